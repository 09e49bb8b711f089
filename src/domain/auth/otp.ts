/**
 * Sign-in codes: the one-time codes of SMS_MFA and EMAIL_OTP (and of the EMAIL_OTP / SMS_OTP first
 * factors of USER_AUTH). Six random digits, kept only as an HMAC (messaging/codes.ts), valid for
 * three minutes, single use, void after five wrong guesses, replaced by the next code sent to the
 * user on the same channel; sent through the configured delivery with the pool's template
 * (SmsAuthenticationMessage, EmailMfaConfiguration) or Cognito's default text.
 */
import type { RequestContext } from "../../context.ts";
import type { MessageOrigin } from "../messaging/custom-sender.ts";
import { CodeMismatchException, ExpiredCodeException } from "../../generated/exceptions.ts";
import type { CodeDeliveryDetailsType } from "../../generated/types.ts";
import type { PoolRecord, UserRecord } from "../../storage/records.ts";
import type { Transaction } from "../../storage/storage.ts";
import { attemptLimitExceeded } from "../errors.ts";
import { issueCode, redeemCode } from "../messaging/codes.ts";
import { type Destination, deliveryDetails } from "../messaging/destinations.ts";
import { type MessageContent, sendMessage } from "../messaging/messages.ts";

export type SignInCodeChannel = "SMS" | "EMAIL";

/** Cognito's texts when the pool sets none. */
const DEFAULTS = {
  sms: "Your authentication code is {####}. ",
  email: "Your authentication code is {####}. ",
  subject: "Your authentication code",
};

/** Where a user's sign-in code goes on `channel`, or undefined when the user has no such address. */
export function signInDestination(
  user: Pick<UserRecord, "attributes">,
  channel: SignInCodeChannel,
): Destination | undefined {
  if (channel === "SMS") {
    const n = user.attributes.phone_number;
    return n ? { medium: "SMS", attribute: "phone_number", address: n } : undefined;
  }
  const e = user.attributes.email;
  return e ? { medium: "EMAIL", attribute: "email", address: e } : undefined;
}

export function signInMessage(pool: PoolRecord, medium: Destination["medium"], code: string): MessageContent {
  const fill = (t: string) => t.replaceAll("{####}", code);
  if (medium === "SMS")
    return {
      body: fill(
        pool.settings.SmsMfaConfiguration?.SmsAuthenticationMessage ??
          pool.settings.SmsAuthenticationMessage ??
          DEFAULTS.sms,
      ),
    };
  const t = pool.settings.EmailMfaConfiguration;
  return { subject: t?.Subject ?? DEFAULTS.subject, body: fill(t?.Message ?? DEFAULTS.email) };
}

/**
 * Issues a sign-in code for the user and sends it to `to` (counted against the code limits); the
 * CodeDeliveryDetails of where it went.
 */
export async function sendSignInCode(
  ctx: RequestContext,
  pool: PoolRecord,
  user: Pick<UserRecord, "sub" | "username">,
  to: Destination,
  origin?: MessageOrigin,
): Promise<CodeDeliveryDetailsType> {
  const purpose = `sign_in:${to.medium}` as const;
  const code = await ctx.services.storage.transaction((tx) => issueCode(tx, ctx, pool.id, user.sub, purpose));
  await sendMessage(
    ctx,
    pool,
    user.username,
    to,
    "authentication",
    signInMessage(pool, to.medium, code),
    code,
    origin,
  );
  return deliveryDetails(to);
}

export function wrongSignInCode(): CodeMismatchException {
  return new CodeMismatchException("Invalid code or auth state for the user.");
}

/**
 * Checks a sign-in code and consumes it when it is right (exactly one concurrent caller gets it).
 * A wrong code is counted (committed) and answered CodeMismatchException; a code past its three
 * minutes ExpiredCodeException; a code after too many wrong guesses LimitExceededException. `apply`
 * runs in the transaction that consumes the code.
 */
export async function checkSignInCode<T>(
  ctx: RequestContext,
  poolId: string,
  sub: string,
  channel: SignInCodeChannel,
  given: string,
  apply: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const result = await ctx.services.storage.transaction(async (tx) => {
    const outcome = await redeemCode(tx, ctx, poolId, sub, `sign_in:${channel}`, given);
    if (outcome !== "ok") return { outcome } as const;
    return { outcome, value: await apply(tx) } as const;
  });
  switch (result.outcome) {
    case "ok":
      return result.value;
    case "expired":
      throw new ExpiredCodeException("Invalid code provided, please request a code again.");
    case "exhausted":
      throw attemptLimitExceeded();
    default:
      throw wrongSignInCode();
  }
}
