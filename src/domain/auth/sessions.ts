/**
 * Auth sessions: the state of a sign-in between its challenges. The client holds an opaque random
 * value; storage holds its hash, the state, and an expiry from the client's AuthSessionValidity.
 * A session is answered successfully once. An answer refused for bad input (a password the policy
 * refuses, attributes missing or malformed) leaves it usable until it expires, as in Cognito: the
 * challenge reads the session, checks the answer, and consumes the session only in the transaction
 * that records the success.
 */
import { createHash, randomBytes } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import type { AuthSessionRecord, ClientRecord } from "../../storage/records.ts";
import type { Transaction } from "../../storage/storage.ts";
import { sessionExpired } from "../errors.ts";

export function newSessionValue(): string {
  return randomBytes(96).toString("base64");
}

function sessionId(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

export async function openSession(
  ctx: RequestContext,
  client: ClientRecord,
  data: Record<string, unknown>,
  value: string = newSessionValue(),
): Promise<string> {
  const minutes = client.settings.AuthSessionValidity ?? 3;
  await ctx.services.storage.transaction((tx) =>
    tx.tokens.insertAuthSession({
      id: sessionId(value),
      poolId: client.poolId,
      clientId: client.clientId,
      data,
      expiresAt: ctx.now + minutes * 60_000,
    }),
  );
  return value;
}

/** Consumes the session: the first caller gets its state, everyone else NotAuthorizedException. */
export async function takeSession(
  ctx: RequestContext,
  client: ClientRecord,
  value: string | undefined,
): Promise<Record<string, unknown>> {
  if (!value) throw sessionExpired();
  const record = await ctx.services.storage.transaction((tx) =>
    tx.tokens.consumeAuthSession(sessionId(value), ctx.now),
  );
  if (!record || record.clientId !== client.clientId) throw sessionExpired();
  return record.data;
}

/** The session's state, left in place for a later answer; NotAuthorizedException when it is gone. */
export async function readSession(
  ctx: RequestContext,
  client: ClientRecord,
  value: string | undefined,
): Promise<Record<string, unknown>> {
  if (!value) throw sessionExpired();
  const record = await ctx.services.storage.tokens.getAuthSession(sessionId(value), ctx.now);
  if (!record || record.clientId !== client.clientId) throw sessionExpired();
  return record.data;
}

/**
 * Consumes a session read with readSession, inside the transaction that records the answer's
 * success: of concurrent answers exactly one gets past this; if the transaction fails, the session
 * stays.
 */
export async function consumeSession(
  tx: Transaction,
  ctx: RequestContext,
  client: ClientRecord,
  value: string,
): Promise<void> {
  const record = await tx.tokens.consumeAuthSession(sessionId(value), ctx.now);
  if (!record || record.clientId !== client.clientId) throw sessionExpired();
}

/**
 * A session named without its app client (AssociateSoftwareToken and VerifySoftwareToken take a
 * Session alone): its record, still in place; NotAuthorizedException when it is gone.
 */
export async function readSessionRecord(ctx: RequestContext, value: string): Promise<AuthSessionRecord> {
  const record = await ctx.services.storage.tokens.getAuthSession(sessionId(value), ctx.now);
  if (!record) throw sessionExpired();
  return record;
}

/** Consumes a session named without its app client (see readSessionRecord), inside `tx`. */
export async function consumeSessionRecord(
  tx: Transaction,
  ctx: RequestContext,
  value: string,
): Promise<void> {
  if (!(await tx.tokens.consumeAuthSession(sessionId(value), ctx.now))) throw sessionExpired();
}
