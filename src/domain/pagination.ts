/**
 * Pagination tokens on the wire: the storage cursor plus a fingerprint of the list it belongs to,
 * so a token handed to another list (another pool, another filter) is refused, not misread.
 */
import { createHash } from "node:crypto";
import { InvalidParameterException } from "../generated/exceptions.ts";
import { InvalidCursorError } from "../storage/cursor.ts";

function fingerprint(scope: string): string {
  return createHash("sha256").update(scope).digest("base64url").slice(0, 8);
}

export function toToken(cursor: string, scope: string): string {
  return `${fingerprint(scope)}.${cursor}`;
}

/** The storage cursor inside a token, undefined for no token; InvalidParameterException for a bad one. */
export function fromToken(token: string | undefined, scope: string): string | undefined {
  if (token === undefined || token === "") return undefined;
  const dot = token.indexOf(".");
  if (dot < 0 || token.slice(0, dot) !== fingerprint(scope)) throw invalidToken();
  return token.slice(dot + 1);
}

export function invalidToken(): InvalidParameterException {
  return new InvalidParameterException("Invalid pagination token.");
}

/** Reads one list page, answering a cursor the storage cannot read as Cognito's bad-token error. */
export async function readPage<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof InvalidCursorError) throw invalidToken();
    throw e;
  }
}
