/**
 * Sending a code: issued and stored (counted against the code limits, see codes.ts), then, once
 * the transaction that stored it has committed, composed from the pool's template and delivered
 * (or handed to the pool's CustomEmailSender / CustomSMSSender trigger, custom-sender.ts).
 * SignUp, ResendConfirmationCode, ForgotPassword, AdminResetUserPassword, the attribute updates and
 * GetUserAttributeVerificationCode all send their codes this way.
 */
import type { RequestContext } from "../../context.ts";
import type { CodeDeliveryDetailsType } from "../../generated/types.ts";
import type { PoolRecord, UserRecord } from "../../storage/records.ts";
import type { Transaction } from "../../storage/storage.ts";
import type { Subject } from "../counters.ts";
import { type CodePurpose, issueCode, simulateCodeSend } from "./codes.ts";
import { type Destination, deliveryDetails, simulatedDetails } from "./destinations.ts";
import type { MessageOrigin } from "./custom-sender.ts";
import { type CodeMessagePurpose, codeMessage, sendMessage } from "./messages.ts";

/** A code stored in a transaction, to be delivered once it has committed. */
export interface PendingCode {
  to: Destination;
  code: string;
}

/** Issues a code inside `tx` (which may write more); deliver it with `deliverCode` after commit. */
export async function issuePendingCode(
  tx: Transaction,
  ctx: RequestContext,
  poolId: string,
  sub: string,
  purpose: CodePurpose,
  to: Destination,
): Promise<PendingCode> {
  return { to, code: await issueCode(tx, ctx, poolId, sub, purpose) };
}

/** Delivers a committed code with the pool's `template` message; returns its CodeDeliveryDetails. */
export async function deliverCode(
  ctx: RequestContext,
  pool: PoolRecord,
  username: string,
  pending: PendingCode,
  template: CodeMessagePurpose,
  origin?: MessageOrigin,
): Promise<CodeDeliveryDetailsType> {
  const { to, code } = pending;
  const content = codeMessage(pool, template, to.medium, code);
  await sendMessage(ctx, pool, username, to, template, content, code, origin);
  return deliveryDetails(to);
}

/** Issues a code for `user` in a transaction of its own and delivers it to `to`. */
export async function sendCode(
  ctx: RequestContext,
  pool: PoolRecord,
  user: Pick<UserRecord, "sub" | "username">,
  purpose: CodePurpose,
  to: Destination,
  template: CodeMessagePurpose,
  origin?: MessageOrigin,
): Promise<CodeDeliveryDetailsType> {
  const pending = await ctx.services.storage.transaction((tx) =>
    issuePendingCode(tx, ctx, pool.id, user.sub, purpose, to),
  );
  return deliverCode(ctx, pool, user.username, pending, template, origin);
}

/**
 * What a code sent to no one answers (PreventUserExistenceErrors: a name no user has, or a user who
 * gets no code): simulated CodeDeliveryDetails for `name`, counted like a real send (see codes.ts).
 */
export async function simulateSendCode(
  ctx: RequestContext,
  pool: PoolRecord,
  subject: Subject,
  name: string,
  purpose: "signup" | "forgot_password",
): Promise<{ CodeDeliveryDetails: CodeDeliveryDetailsType }> {
  await simulateCodeSend(ctx, pool.id, subject, purpose);
  return {
    CodeDeliveryDetails: simulatedDetails(ctx, pool, name, purpose === "signup" ? "signup" : "recovery"),
  };
}
