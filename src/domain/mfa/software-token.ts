/**
 * AssociateSoftwareToken and VerifySoftwareToken: a TOTP authenticator set up for the user an
 * access token names, or for the user of an MFA_SETUP session (the sign-in then goes on with the
 * session VerifySoftwareToken returns). AssociateSoftwareToken returns the secret in base32 (what an
 * authenticator app takes, or an otpauth:// URI made of it); it is stored sealed. VerifySoftwareToken
 * checks a code of it (one step either side, never a step already used) and marks it verified; on
 * an MFA_SETUP session it also turns TOTP MFA on and makes it the preferred factor.
 */
import type { RequestContext } from "../../context.ts";
import { newTotpSecret, totpStep } from "../../crypto/totp.ts";
import {
  EnableSoftwareTokenMFAException,
  InvalidParameterException,
  SoftwareTokenMFANotFoundException,
} from "../../generated/exceptions.ts";
import type {
  AssociateSoftwareTokenResponse,
  VerifySoftwareTokenRequest,
  VerifySoftwareTokenResponse,
} from "../../generated/types.ts";
import type { ClientRecord, PoolRecord, UserRecord } from "../../storage/records.ts";
import { consumeSessionRecord, openSession, readSessionRecord } from "../auth/sessions.ts";
import { sessionExpired } from "../errors.ts";
import { userNotFound } from "../lookups.ts";
import { tokenCaller } from "../tokens/access-token.ts";
import { openTotpSecret, sealTotpSecret, userMfa } from "./user-mfa.ts";

/** Whose authenticator: the access token's user, or the MFA_SETUP session's. */
interface Subject {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  /** The MFA_SETUP session (absent with an access token) and its state. */
  session?: { value: string; state: Record<string, unknown> };
}

async function subjectOf(
  ctx: RequestContext,
  input: { AccessToken?: string; Session?: string },
): Promise<Subject> {
  if (input.AccessToken !== undefined) {
    const caller = await tokenCaller(ctx, input.AccessToken);
    return { pool: caller.pool, client: caller.client, user: caller.user };
  }
  if (input.Session === undefined)
    throw new InvalidParameterException("Either AccessToken or Session must be provided.");
  const record = await readSessionRecord(ctx, input.Session);
  if (record.data.challenge !== "MFA_SETUP") throw sessionExpired();
  const { storage } = ctx.services;
  const pool = await storage.pools.getPool(record.poolId);
  const client = await storage.pools.getClient(record.poolId, record.clientId);
  const user = await storage.users.getUserBySub(record.poolId, String(record.data.sub));
  if (!pool || !client || !user) throw sessionExpired();
  return { pool, client, user, session: { value: input.Session, state: record.data } };
}

/** The session that replaces an MFA_SETUP session after a step of the setup. */
async function nextSession(
  ctx: RequestContext,
  s: Subject,
  extra: Record<string, unknown>,
): Promise<string | undefined> {
  if (!s.session) return undefined;
  await ctx.services.storage.transaction((tx) => consumeSessionRecord(tx, ctx, s.session!.value));
  return openSession(ctx, s.client, { ...s.session.state, ...extra, challenge: "MFA_SETUP" });
}

export async function associateSoftwareToken(
  ctx: RequestContext,
  input: { AccessToken?: string; Session?: string },
): Promise<AssociateSoftwareTokenResponse> {
  const s = await subjectOf(ctx, input);
  const secret = await newTotpSecret();
  await ctx.services.storage.transaction(async (tx) => {
    const user = await tx.users.getUserBySub(s.pool.id, s.user.sub);
    if (!user) throw userNotFound();
    const m = await userMfa(tx, user, ctx.now);
    m.totpSecret = sealTotpSecret(ctx, m, secret);
    m.totpVerified = false;
    delete m.totpLastStep;
    delete m.totpFriendlyName;
    m.updatedAt = ctx.now;
    await tx.mfa.putUserMfa(m);
  });
  const Session = await nextSession(ctx, s, { associated: true });
  return Session ? { SecretCode: secret, Session } : { SecretCode: secret };
}

export async function verifySoftwareToken(
  ctx: RequestContext,
  input: VerifySoftwareTokenRequest,
): Promise<VerifySoftwareTokenResponse> {
  const s = await subjectOf(ctx, input);
  const m = await userMfa(ctx.services.storage, s.user);
  const secret = openTotpSecret(ctx, m);
  // On an MFA_SETUP session, only the secret AssociateSoftwareToken gave on that session counts.
  if (secret === undefined || (s.session && s.session.state.associated !== true))
    throw new SoftwareTokenMFANotFoundException("Software Token MFA not found.");
  const step = await totpStep(secret, input.UserCode, ctx.now);
  const ok =
    step !== undefined &&
    (await ctx.services.storage.transaction(async (tx) => {
      const current = await tx.mfa.getUserMfa(s.pool.id, s.user.sub);
      // Another AssociateSoftwareToken since: this code is for a secret no longer held.
      if (!current || current.totpSecret !== m.totpSecret) return false;
      if (!(await tx.mfa.acceptTotpStep(s.pool.id, s.user.sub, step, ctx.now))) return false;
      const next = { ...current, totpVerified: true, totpLastStep: step, updatedAt: ctx.now };
      if (input.FriendlyDeviceName !== undefined) next.totpFriendlyName = input.FriendlyDeviceName;
      if (s.session) {
        next.totpEnabled = true;
        next.preferred = "SOFTWARE_TOKEN_MFA";
      }
      await tx.mfa.putUserMfa(next);
      return true;
    }));
  if (!ok) throw new EnableSoftwareTokenMFAException("Code mismatch and fail enable Software Token MFA");
  const Session = await nextSession(ctx, s, { setUp: "SOFTWARE_TOKEN_MFA" });
  return Session ? { Status: "SUCCESS", Session } : { Status: "SUCCESS" };
}
