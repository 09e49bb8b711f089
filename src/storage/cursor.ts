/** Opaque keyset cursors shared by the storage backends. */
export class InvalidCursorError extends Error {}

export type CursorKey = readonly (string | number | null)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** Decodes a cursor made by encodeCursor with `length` parts, or throws InvalidCursorError. */
export function decodeCursor(cursor: string, length: number): CursorKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError("invalid pagination token");
  }
  if (
    !Array.isArray(key) ||
    key.length !== length ||
    !key.every((k) => k === null || typeof k === "string" || typeof k === "number")
  )
    throw new InvalidCursorError("invalid pagination token");
  return key;
}

/** The exclusive upper bound of the strings that start with prefix (binary/UTF-8 order). */
export function prefixUpperBound(prefix: string): string {
  return prefix + String.fromCodePoint(0x10ffff);
}
