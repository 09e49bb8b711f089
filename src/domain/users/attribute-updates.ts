/**
 * Changing and deleting a user's attributes, for administrators (AdminUpdateUserAttributes,
 * AdminDeleteUserAttributes) and for users themselves through an app client (UpdateUserAttributes,
 * DeleteUserAttributes), and verifying email addresses and phone numbers.
 *
 * Cognito's rules:
 * - An app client writes only what its WriteAttributes allow (all but the *_verified flags when
 *   unset), never a developer-only attribute; otherwise NotAuthorizedException.
 * - A user submits an empty value to delete an attribute.
 * - A changed email or phone number is unverified (`email_verified` / `phone_number_verified`
 *   "false") unless an administrator marks it verified in the same request. When the pool verifies
 *   the attribute automatically (AutoVerifiedAttributes), a code goes to the new value.
 * - When the pool also lists the attribute in UserAttributeUpdateSettings.
 *   AttributesRequireVerificationBeforeUpdate, the original value (and its verified state) stays
 *   until the user confirms the new value (VerifyUserAttribute, or an administrator setting the
 *   verified flag to true); until then the new value is pending.
 */
import type { RequestContext } from "../../context.ts";
import { AliasExistsException, InvalidParameterException } from "../../generated/exceptions.ts";
import type { AttributeType, CodeDeliveryDetailsType } from "../../generated/types.ts";
import type { ClientRecord, PoolRecord, UserRecord } from "../../storage/records.ts";
import type { Transaction } from "../../storage/storage.ts";
import type { Destination } from "../messaging/destinations.ts";
import { findAttribute, isTrue } from "../pools/schema.ts";
import { attributeMap, checkAttributes, claimAliases } from "./users.ts";
import { unauthorizedAttribute } from "../errors.ts";
import { type PendingCode, deliverCode, issuePendingCode } from "../messaging/send-code.ts";

export type VerifiableAttribute = "email" | "phone_number";

export const VERIFIED_FLAG: Readonly<Record<VerifiableAttribute, string>> = {
  email: "email_verified",
  phone_number: "phone_number_verified",
};

export function isVerifiable(name: string): name is VerifiableAttribute {
  return name === "email" || name === "phone_number";
}

/** Who changes attributes: an administrator, or the user through an app client. */
export type AttributeWriter = { kind: "admin" } | { kind: "user"; client: ClientRecord };

/** The user and their pool, found inside the transaction that changes them. */
export type LocateUser = (tx: Transaction) => Promise<{ pool: PoolRecord; user: UserRecord }>;

export function pendingValue(user: UserRecord, attr: VerifiableAttribute): string | undefined {
  return user.pendingAttributes?.[attr];
}

/** The user with the pending value of `attr` set, or cleared when `value` is undefined. */
export function withPending(
  user: UserRecord,
  attr: VerifiableAttribute,
  value: string | undefined,
): UserRecord {
  const pending = { ...user.pendingAttributes };
  if (value === undefined) delete pending[attr];
  else pending[attr] = value;
  const next: UserRecord = { ...user };
  if (Object.keys(pending).length > 0) next.pendingAttributes = pending;
  else delete next.pendingAttributes;
  return next;
}

function isDeveloperOnly(pool: PoolRecord, name: string): boolean {
  const schema = pool.settings.SchemaAttributes ?? [];
  return name.startsWith("dev:") || (!findAttribute(schema, name) && !!findAttribute(schema, `dev:${name}`));
}

/**
 * An app client writes only the attributes its WriteAttributes allow (all when unset, but for the
 * verified flags: a user never marks their own email or phone number verified unless the client may
 * write that flag explicitly), and never a developer-only attribute, which only administrators write.
 * SignUp, UpdateUserAttributes and DeleteUserAttributes all check it.
 */
export function checkWritable(pool: PoolRecord, client: ClientRecord, names: Iterable<string>): void {
  const writable = client.settings.WriteAttributes;
  for (const name of names) {
    const allowed = writable
      ? writable.includes(name)
      : name !== "email_verified" && name !== "phone_number_verified";
    if (!allowed || isDeveloperOnly(pool, name)) throw unauthorizedAttribute();
  }
}

/** The attributes an app client may read (its ReadAttributes; all but developer-only when unset). */
export function readableAttributes(pool: PoolRecord, client: ClientRecord, user: UserRecord): Set<string> {
  const read = client.settings.ReadAttributes;
  const names = ["sub", ...Object.keys(user.attributes)].filter(
    (n) => !isDeveloperOnly(pool, n) && (n === "sub" || !read || read.includes(n)),
  );
  return new Set(names);
}

function autoVerified(pool: PoolRecord, attr: VerifiableAttribute): boolean {
  return (pool.settings.AutoVerifiedAttributes ?? []).includes(attr);
}

function keepsOriginal(pool: PoolRecord, attr: VerifiableAttribute): boolean {
  const list = pool.settings.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  return list.includes(attr) && autoVerified(pool, attr);
}

function destination(attr: VerifiableAttribute, address: string): Destination {
  return attr === "email"
    ? { medium: "EMAIL", attribute: "email", address }
    : { medium: "SMS", attribute: "phone_number", address };
}

/** Removes one attribute (and what hangs on it) from `next`, with Cognito's refusals. */
function removeAttribute(pool: PoolRecord, next: UserRecord, name: string): UserRecord {
  const schema = pool.settings.SchemaAttributes ?? [];
  const attr = findAttribute(schema, name) ?? findAttribute(schema, `dev:${name}`);
  if (!attr || name === "sub" || name === "identities")
    throw new InvalidParameterException(`Invalid attribute name: ${name}`);
  if (attr.Required) throw new InvalidParameterException(`Cannot delete a required attribute: ${name}`);
  if (attr.Mutable === false)
    throw new InvalidParameterException(`Cannot modify the non-mutable attribute ${name}`);
  if ((pool.settings.UsernameAttributes ?? []).includes(name as VerifiableAttribute))
    throw new InvalidParameterException(`Cannot delete ${name}: the pool uses it as the username.`);
  let out: UserRecord = { ...next, attributes: { ...next.attributes } };
  delete out.attributes[name];
  if (isVerifiable(name)) {
    delete out.attributes[VERIFIED_FLAG[name]];
    out = withPending(out, name, undefined);
  }
  return out;
}

/** Stores a verification code for each destination; returns them for sending after commit. */
async function issueVerificationCodes(
  tx: Transaction,
  ctx: RequestContext,
  user: UserRecord,
  to: readonly Destination[],
): Promise<PendingCode[]> {
  const out: PendingCode[] = [];
  for (const d of to)
    out.push(await issuePendingCode(tx, ctx, user.poolId, user.sub, `verify:${d.attribute}`, d));
  return out;
}

/**
 * Applies an attribute update (AdminUpdateUserAttributes, UpdateUserAttributes) in one transaction
 * and sends the verification codes it calls for. Returns their CodeDeliveryDetails.
 */
export async function updateUserAttributes(
  ctx: RequestContext,
  locate: LocateUser,
  list: readonly AttributeType[],
  writer: AttributeWriter,
  clientMetadata?: Record<string, string>,
): Promise<CodeDeliveryDetailsType[]> {
  const { pool, user, codes } = await ctx.services.storage.transaction(async (tx) => {
    const { pool, user } = await locate(tx);
    const attrs = attributeMap(list);
    if (writer.kind === "user") checkWritable(pool, writer.client, attrs.keys());
    // Users delete an attribute by sending it with an empty value.
    const removed = writer.kind === "user" ? [...attrs].filter(([, v]) => v === "").map(([n]) => n) : [];
    for (const name of removed) attrs.delete(name);
    checkAttributes(pool, attrs, "update");

    let next: UserRecord = { ...user, attributes: { ...user.attributes }, updatedAt: ctx.now };
    for (const name of removed) next = removeAttribute(pool, next, name);
    const verify: Destination[] = [];
    const changed = new Set<VerifiableAttribute>(removed.filter(isVerifiable));
    for (const [name, value] of attrs) {
      if (!isVerifiable(name)) {
        next.attributes[name] = value;
        continue;
      }
      const flag = VERIFIED_FLAG[name];
      const markedVerified = isTrue(attrs.get(flag));
      if (user.attributes[name] === value) {
        // Setting the current value again cancels a change waiting for verification (and its code).
        if (pendingValue(next, name) !== undefined) changed.add(name);
        next = withPending(next, name, undefined);
        continue;
      }
      changed.add(name);
      if (keepsOriginal(pool, name) && !markedVerified) {
        next = withPending(next, name, value);
        verify.push(destination(name, value));
        continue;
      }
      next = withPending(next, name, undefined);
      next.attributes[name] = value;
      if (!attrs.has(flag)) next.attributes[flag] = "false";
      if (autoVerified(pool, name) && !markedVerified) verify.push(destination(name, value));
    }
    // An administrator confirming a pending value by setting its flag to true puts it in place.
    for (const attr of ["email", "phone_number"] as const) {
      const pending = pendingValue(next, attr);
      if (pending !== undefined && !attrs.has(attr) && isTrue(attrs.get(VERIFIED_FLAG[attr]))) {
        next = withPending(next, attr, undefined);
        next.attributes[attr] = pending;
        changed.add(attr);
      }
    }
    await checkUsernameAttributes(tx, pool, user, next);
    await claimAliases(tx, pool, next, false, ctx.now);
    await tx.users.updateUser(next);
    // A code sent for an earlier value must not verify the new one.
    for (const name of changed) await tx.codes.deleteCode(pool.id, user.sub, `verify:${name}`);
    return { pool, user: next, codes: await issueVerificationCodes(tx, ctx, next, verify) };
  });
  const details: CodeDeliveryDetailsType[] = [];
  const origin = { ...(writer.kind === "user" ? { clientId: writer.client.clientId } : {}), clientMetadata };
  for (const pending of codes)
    details.push(await deliverCode(ctx, pool, user.username, pending, "update_attribute", origin));
  return details;
}

/** In pools that sign in by email or phone, the new value must not name another user. */
async function checkUsernameAttributes(
  tx: Transaction,
  pool: PoolRecord,
  before: UserRecord,
  next: UserRecord,
): Promise<void> {
  for (const attr of pool.settings.UsernameAttributes ?? []) {
    const value = next.attributes[attr];
    if (value === undefined || value === before.attributes[attr]) continue;
    const taken = (await tx.users.findUsersByAlias(pool.id, attr, value)).some((u) => u.sub !== before.sub);
    if (taken) throw new AliasExistsException(`An account with the given ${attr} already exists.`);
  }
}

/** AdminDeleteUserAttributes, DeleteUserAttributes. */
export async function deleteUserAttributes(
  ctx: RequestContext,
  locate: LocateUser,
  names: readonly string[],
  writer: AttributeWriter,
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const { pool, user } = await locate(tx);
    if (writer.kind === "user") checkWritable(pool, writer.client, names);
    let next: UserRecord = { ...user, attributes: { ...user.attributes }, updatedAt: ctx.now };
    for (const name of names) next = removeAttribute(pool, next, name);
    await tx.users.updateUser(next);
    for (const name of names)
      if (isVerifiable(name)) await tx.codes.deleteCode(pool.id, user.sub, `verify:${name}`);
  });
}
