/**
 * GetUserAttributeVerificationCode and VerifyUserAttribute: a signed-in user proves they own an
 * email address or phone number. A value waiting for verification (AttributesRequireVerification
 * BeforeUpdate) is the one the code goes to, and it replaces the original once verified.
 */
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException } from "../../generated/exceptions.ts";
import type { CodeDeliveryDetailsType } from "../../generated/types.ts";
import type { UserRecord } from "../../storage/records.ts";
import type { TokenCaller } from "../caller.ts";
import {
  isVerifiable,
  pendingValue,
  VERIFIED_FLAG,
  type VerifiableAttribute,
  withPending,
} from "./attribute-updates.ts";
import { redeemCodeOrThrow } from "../messaging/codes.ts";
import type { Destination } from "../messaging/destinations.ts";
import { claimAliases } from "./users.ts";
import { userNotFound } from "../lookups.ts";
import { sendCode } from "../messaging/send-code.ts";

function verifiableName(name: string): VerifiableAttribute {
  if (!isVerifiable(name))
    throw new InvalidParameterException(
      `Invalid attribute name: ${name}. Only email and phone_number can be verified.`,
    );
  return name;
}

/** The value a code for `attr` goes to (or verifies): the pending value if any, else the current one. */
function valueToVerify(user: UserRecord, attr: VerifiableAttribute): string {
  const value = pendingValue(user, attr) ?? user.attributes[attr];
  if (value === undefined)
    throw new InvalidParameterException(`User does not have a value for the attribute: ${attr}`);
  return value;
}

export async function getUserAttributeVerificationCode(
  ctx: RequestContext,
  caller: TokenCaller,
  attributeName: string,
  clientMetadata?: Record<string, string>,
): Promise<CodeDeliveryDetailsType> {
  const attr = verifiableName(attributeName);
  const { pool, user } = caller;
  const address = valueToVerify(user, attr);
  const to: Destination =
    attr === "email"
      ? { medium: "EMAIL", attribute: "email", address }
      : { medium: "SMS", attribute: "phone_number", address };
  const origin = { clientId: caller.clientId, clientMetadata };
  return sendCode(ctx, pool, user, `verify:${attr}`, to, "verify_attribute", origin);
}

/**
 * Checks the code (wrong codes are counted; see codes.ts) and marks the value verified, putting a
 * pending value in place. A verified email or phone that is an alias must not be another user's
 * verified alias (AliasExistsException).
 */
export async function verifyUserAttribute(
  ctx: RequestContext,
  caller: TokenCaller,
  attributeName: string,
  code: string,
): Promise<void> {
  const attr = verifiableName(attributeName);
  const { pool } = caller;
  valueToVerify(caller.user, attr);
  await redeemCodeOrThrow(ctx, pool.id, caller.user.sub, `verify:${attr}`, code, async (tx) => {
    const user = await tx.users.getUserBySub(pool.id, caller.user.sub);
    if (!user) throw userNotFound();
    const value = valueToVerify(user, attr);
    let next: UserRecord = withPending(user, attr, undefined);
    next = { ...next, attributes: { ...next.attributes, [attr]: value, [VERIFIED_FLAG[attr]]: "true" } };
    next.updatedAt = ctx.now;
    if ((pool.settings.UsernameAttributes ?? []).includes(attr) && value !== user.attributes[attr]) {
      const taken = (await tx.users.findUsersByAlias(pool.id, attr, value)).some((u) => u.sub !== user.sub);
      if (taken) throw new InvalidParameterException(`An account with the given ${attr} already exists.`);
    }
    await claimAliases(tx, pool, next, false, ctx.now);
    await tx.users.updateUser(next);
  });
}
