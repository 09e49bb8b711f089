/** The administrator's user operations (AdminCreateUser, AdminUpdateUserAttributes, ...). */
import { screenNewPassword } from "../threats/compromised.ts";
import type { RequestContext } from "../../context.ts";
import {
  InvalidParameterException,
  NotAuthorizedException,
  UnsupportedUserStateException,
} from "../../generated/exceptions.ts";
import type {
  AdminCreateUserRequest,
  AttributeType,
  ListUsersRequest,
  UserType,
} from "../../generated/types.ts";
import type { PoolRecord, UserRecord } from "../../storage/records.ts";
import { DuplicateKeyError } from "../../storage/storage.ts";
import { deleteUserAttributes, type LocateUser, updateUserAttributes } from "./attribute-updates.ts";
import { type Destination, invitationDestinations, recoveryDestination } from "../messaging/destinations.ts";
import { newSub } from "../ids.ts";
import { parseFilter } from "./list-filter.ts";
import type { MessageOrigin } from "../messaging/custom-sender.ts";
import { invitationMessage, sendMessage } from "../messaging/messages.ts";
import { fromToken, readPage, toToken } from "../pagination.ts";
import { generateTemporaryPassword } from "./password-policy.ts";
import { newCredential } from "./passwords.ts";
import { isTrue } from "../pools/schema.ts";
import { endAllSessions } from "../tokens/revocation.ts";
import {
  attributeMap,
  checkAttributes,
  checkNewUsername,
  claimAliases,
  toUserType,
  usernameKey,
  assignUsername,
  checkUsernameAttributeFree,
} from "./users.ts";
import { requirePool, requireUser } from "../lookups.ts";
import { passwordCannotBeReset, userDisabled, usernameExists } from "../errors.ts";
import { deliverCode, issuePendingCode } from "../messaging/send-code.ts";
import { applyPreSignUp, postConfirmation, preSignUp, validationData } from "../triggers/sign-up.ts";

export async function adminCreateUser(ctx: RequestContext, input: AdminCreateUserRequest): Promise<UserType> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  const attrs = attributeMap(input.UserAttributes);
  checkAttributes(pool, attrs, "create");

  if (input.MessageAction === "RESEND") {
    const user = await requireUser(storage, pool, input.Username);
    if (user.status !== "FORCE_CHANGE_PASSWORD")
      throw new UnsupportedUserStateException(
        "Resend not possible. User is not in FORCE_CHANGE_PASSWORD state.",
      );
    const password =
      input.TemporaryPassword ?? generateTemporaryPassword(pool.settings.Policies?.PasswordPolicy);
    const { credential } = await newCredential(pool, user, password, true, ctx.now);
    const updated: UserRecord = { ...user, password: credential, updatedAt: ctx.now };
    await storage.transaction((tx) => tx.users.updateUser(updated));
    const to = invitationDestinations(input.DesiredDeliveryMediums, updated.attributes);
    await sendInvitations(ctx, pool, input.Username, to, password, "resend_invitation", {
      clientMetadata: input.ClientMetadata,
    });
    return toUserType(updated);
  }

  checkNewUsername(pool, input.Username);
  const sub = newSub();
  const { username, asAttribute } = assignUsername(pool, input.Username, sub, attrs);
  const mediums = input.DesiredDeliveryMediums ?? [];
  const invitations =
    input.MessageAction === "SUPPRESS" ? [] : invitationDestinations(mediums, Object.fromEntries(attrs));
  if (input.MessageAction !== "SUPPRESS" && mediums.length > 0 && invitations.length === 0)
    throw new InvalidParameterException(
      `User has no attribute matching desired delivery mediums: ${mediums
        .map((m) =>
          m === "EMAIL" ? "EMAIL requires an email attribute" : "SMS requires a phone_number attribute",
        )
        .join(", ")}.`,
    );

  const password =
    input.TemporaryPassword ?? generateTemporaryPassword(pool.settings.Policies?.PasswordPolicy);
  // A generated password that no invitation carries is known to no one, so no sign-in can ever
  // present it: such a user gets no credential (every sign-in is answered as for a wrong password,
  // as it would be), which spares a hash and an SRP verifier per user created with SUPPRESS.
  const known = input.TemporaryPassword !== undefined || invitations.length > 0;
  // Threat protection's compromised-credentials check of a given temporary password (SIGN_UP).
  if (input.TemporaryPassword !== undefined)
    await screenNewPassword(ctx, pool, undefined, "SIGN_UP", input.TemporaryPassword);
  const credential = known
    ? (await newCredential(pool, undefined, password, true, ctx.now, username)).credential
    : undefined;
  const user: UserRecord = {
    poolId: pool.id,
    username,
    usernameKey: usernameKey(pool, username),
    sub,
    status: "FORCE_CHANGE_PASSWORD",
    enabled: true,
    attributes: Object.fromEntries(attrs),
    createdAt: ctx.now,
    updatedAt: ctx.now,
    ...(credential ? { password: credential } : {}),
  };
  applyPreSignUp(
    user,
    await preSignUp(
      ctx,
      pool,
      "PreSignUp_AdminCreateUser",
      { username, attributes: Object.fromEntries(attributeMap(input.UserAttributes)) },
      undefined,
      validationData(input.ValidationData),
      input.ClientMetadata,
    ),
  );
  await storage.transaction(async (tx) => {
    await checkUsernameAttributeFree(tx, pool, asAttribute, input.Username);
    await claimAliases(tx, pool, user, input.ForceAliasCreation === true, ctx.now);
    try {
      await tx.users.insertUser(user);
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw usernameExists();
      throw e;
    }
  });
  // The invitation names the user as the administrator did (the email or phone number in pools
  // that sign in with one), with the temporary password.
  await sendInvitations(ctx, pool, input.Username, invitations, password, "invitation", {
    clientMetadata: input.ClientMetadata,
  });
  return toUserType(user);
}

async function sendInvitations(
  ctx: RequestContext,
  pool: PoolRecord,
  username: string,
  destinations: readonly Destination[],
  password: string,
  purpose: "invitation" | "resend_invitation",
  origin: MessageOrigin,
): Promise<void> {
  for (const to of destinations)
    await sendMessage(
      ctx,
      pool,
      username,
      to,
      purpose,
      invitationMessage(pool, to.medium, username, password),
      password,
      origin,
    );
}

/** Runs a change on one user inside a transaction, re-reading the user there. */
export async function changeUser(
  ctx: RequestContext,
  poolId: string,
  username: string,
  change: (user: UserRecord) => Promise<UserRecord | undefined> | UserRecord | undefined,
): Promise<UserRecord> {
  return ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    const user = await requireUser(tx, pool, username);
    const next = await change(user);
    if (!next) return user;
    await tx.users.updateUser(next);
    return next;
  });
}

/** The user an admin call names: pool by id, user by username or alias. */
function adminTarget(poolId: string, username: string): LocateUser {
  return async (tx) => {
    const pool = await requirePool(tx, poolId);
    return { pool, user: await requireUser(tx, pool, username) };
  };
}

export async function adminUpdateUserAttributes(
  ctx: RequestContext,
  poolId: string,
  username: string,
  list: readonly AttributeType[],
  clientMetadata?: Record<string, string>,
): Promise<void> {
  await updateUserAttributes(ctx, adminTarget(poolId, username), list, { kind: "admin" }, clientMetadata);
}

export async function adminDeleteUserAttributes(
  ctx: RequestContext,
  poolId: string,
  username: string,
  names: readonly string[],
): Promise<void> {
  await deleteUserAttributes(ctx, adminTarget(poolId, username), names, { kind: "admin" });
}

export async function adminSetUserPassword(
  ctx: RequestContext,
  poolId: string,
  username: string,
  password: string,
  permanent: boolean,
): Promise<void> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, poolId);
  const current = await requireUser(storage, pool, username);
  if (current.status === "EXTERNAL_PROVIDER")
    throw new InvalidParameterException("Cannot set a password for a user of an external identity provider.");
  // Threat protection's compromised-credentials check (PASSWORD_CHANGE).
  await screenNewPassword(ctx, pool, undefined, "PASSWORD_CHANGE", password);
  // Hash outside the transaction: it is the slow part.
  const { credential, history } = await newCredential(pool, current, password, !permanent, ctx.now);
  await changeUser(ctx, poolId, username, (user) => ({
    ...user,
    password: credential,
    passwordHistory: history,
    status: permanent ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD",
    updatedAt: ctx.now,
  }));
}

/**
 * Marks the password for reset (RESET_REQUIRED) and, when the user has a verified email or phone
 * number (in the pool's recovery order), sends a forgot-password code there for ConfirmForgotPassword.
 * A disabled user is refused, as Cognito refuses them.
 */
export async function adminResetUserPassword(
  ctx: RequestContext,
  poolId: string,
  username: string,
  clientMetadata?: Record<string, string>,
): Promise<void> {
  const sent = await ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    const user = await requireUser(tx, pool, username);
    if (!user.enabled) throw userDisabled();
    if (user.status === "EXTERNAL_PROVIDER" || user.status === "FORCE_CHANGE_PASSWORD")
      throw passwordCannotBeReset();
    const a = user.attributes;
    const canReceive =
      isTrue(a.email_verified) || isTrue(a.phone_number_verified) || a.email || a.phone_number;
    if (!canReceive)
      throw new InvalidParameterException(
        "Cannot reset password for the user as there is no registered/verified email or phone_number",
      );
    await tx.users.updateUser({ ...user, status: "RESET_REQUIRED", updatedAt: ctx.now });
    const to = recoveryDestination(pool, user.attributes);
    if (!to) return undefined;
    return { pool, user, pending: await issuePendingCode(tx, ctx, pool.id, user.sub, "forgot_password", to) };
  });
  if (!sent) return;
  await deliverCode(ctx, sent.pool, sent.user.username, sent.pending, "forgot_password", { clientMetadata });
}

export async function adminConfirmSignUp(
  ctx: RequestContext,
  poolId: string,
  username: string,
  clientMetadata?: Record<string, string>,
): Promise<void> {
  const confirmed = await changeUser(ctx, poolId, username, (user) => {
    if (user.status !== "UNCONFIRMED")
      throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
    return { ...user, status: "CONFIRMED", updatedAt: ctx.now };
  });
  const pool = await requirePool(ctx.services.storage, poolId);
  await postConfirmation(ctx, pool, "PostConfirmation_ConfirmSignUp", confirmed, undefined, clientMetadata);
}

export async function setEnabled(
  ctx: RequestContext,
  poolId: string,
  username: string,
  enabled: boolean,
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const user = await requireUser(tx, await requirePool(tx, poolId), username);
    if (user.enabled === enabled) return;
    const next: UserRecord = { ...user, enabled, updatedAt: ctx.now };
    // Disabling ends every session for good: re-enabling does not bring old tokens back.
    await tx.users.updateUser(enabled ? next : await endAllSessions(tx, next, ctx.now));
  });
}

export async function adminDeleteUser(ctx: RequestContext, poolId: string, username: string): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    const user = await requireUser(tx, pool, username);
    await tx.users.deleteUser(pool.id, user.sub);
  });
}

export async function listUsers(
  ctx: RequestContext,
  input: ListUsersRequest,
): Promise<{ Users: UserType[]; PaginationToken?: string }> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  const filter = parseFilter(pool, input.Filter);
  const limit = input.Limit || 60;
  const scope = `users:${pool.id}:${input.Filter ?? ""}`;
  const after = fromToken(input.PaginationToken, scope);
  const page = await readPage(() => storage.users.listUsers(pool.id, limit, filter, after));
  const only = input.AttributesToGet ? new Set(input.AttributesToGet) : undefined;
  // Cognito answers an error, not a partial list, when a listed user has no value for an attribute
  // asked for: narrow the list with a Filter, or ask for attributes every user has.
  for (const name of only ?? [])
    if (name !== "sub" && page.items.some((u) => u.attributes[name] === undefined))
      throw new InvalidParameterException("One or more requested attributes do not exist.");
  const out: { Users: UserType[]; PaginationToken?: string } = {
    Users: page.items.map((u) => toUserType(u, only)),
  };
  if (page.next) out.PaginationToken = toToken(page.next, scope);
  return out;
}
