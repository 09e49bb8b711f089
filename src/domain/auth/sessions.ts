/**
 * Auth sessions: the state of a sign-in between its challenges. The client holds an opaque random
 * value; storage holds its hash, the state, and an expiry from the client's AuthSessionValidity.
 * A session is answered once.
 */
import { createHash, randomBytes } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import { NotAuthorizedException } from "../../generated/exceptions.ts";
import type { ClientRecord } from "../../storage/records.ts";

export function newSessionValue(): string {
  return randomBytes(96).toString("base64");
}

function sessionId(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

export function sessionExpired(): NotAuthorizedException {
  return new NotAuthorizedException("Invalid session for the user, session is expired.");
}

export async function openSession(
  ctx: RequestContext,
  client: ClientRecord,
  data: Record<string, unknown>,
  value: string = newSessionValue(),
): Promise<string> {
  const minutes = client.settings.AuthSessionValidity ?? 3;
  await ctx.services.storage.transaction((tx) =>
    tx.insertAuthSession({
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
    tx.consumeAuthSession(sessionId(value), ctx.now),
  );
  if (!record || record.clientId !== client.clientId) throw sessionExpired();
  return record.data;
}
