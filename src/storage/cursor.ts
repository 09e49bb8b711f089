/** Opaque keyset cursors and list pages, shared by the storage backends. */
import type { Page } from "./storage.ts";
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

/**
 * One page of `rows` read with LIMIT `limit + 1`: the first `limit` mapped, and when there was one
 * more, the cursor of the last kept row.
 */
export function page<R, T>(rows: R[], limit: number, map: (r: R) => T, key: (r: R) => CursorKey): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const result: Page<T> = { items: kept.map(map) };
  if (more) result.next = encodeCursor(key(kept[kept.length - 1]!));
  return result;
}
