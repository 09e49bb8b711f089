/** Users as administrators see them: lookup by username or alias, attributes, status, wire form. */
import {
  AliasExistsException,
  InvalidParameterException,
  UsernameExistsException,
} from "../../generated/exceptions.ts";
import type { AttributeType, UserType } from "../../generated/types.ts";
import type { PoolRecord, UserRecord } from "../../storage/records.ts";
import type { Reader, Transaction } from "../../storage/storage.ts";
import type { Subject } from "../counters.ts";
import { wireTime } from "../ids.ts";
import { checkAttribute, isTrue } from "../pools/schema.ts";

export type AliasAttribute = "email" | "phone_number" | "preferred_username";

/** Whom a user's attempts count against: the user, or (no user) the name as the pool compares it. */
export function subjectOf(pool: PoolRecord, user: UserRecord | undefined, name: string): Subject {
  return user ? { sub: user.sub } : { unknownName: usernameKey(pool, name) };
}

export function caseSensitive(pool: PoolRecord): boolean {
  return pool.settings.UsernameConfiguration?.CaseSensitive ?? true;
}

/**
 * The key the pool compares usernames by: Unicode NFC (so that "José" typed precomposed or with a
 * combining accent names one user, never two look-alikes), lower-cased in a case-insensitive pool.
 */
export function usernameKey(pool: PoolRecord, username: string): string {
  const nfc = username.normalize("NFC");
  return caseSensitive(pool) ? nfc : nfc.toLowerCase();
}

/** The attributes a user may also be named by: alias attributes or username attributes. */
export function aliasAttributes(pool: PoolRecord): AliasAttribute[] {
  const s = pool.settings;
  return [...(s.AliasAttributes ?? []), ...(s.UsernameAttributes ?? [])] as AliasAttribute[];
}

function verifiedFlag(attr: AliasAttribute): string | undefined {
  if (attr === "email") return "email_verified";
  if (attr === "phone_number") return "phone_number_verified";
  return undefined;
}

/**
 * Finds a user by what a caller calls them: the username (as the pool compares it), or, where the
 * pool allows, an alias. An alias names a user only once verified (email_verified /
 * phone_number_verified), except in pools that sign in with email or phone as the username.
 */
export async function findUser(db: Reader, pool: PoolRecord, name: string): Promise<UserRecord | undefined> {
  const direct = await db.users.getUser(pool.id, usernameKey(pool, name));
  if (direct) return direct;
  const usernameAttrs = new Set<string>(pool.settings.UsernameAttributes ?? []);
  for (const attr of aliasAttributes(pool)) {
    const candidates = await db.users.findUsersByAlias(pool.id, attr, name);
    const flag = verifiedFlag(attr);
    const found = candidates.find(
      (u) => usernameAttrs.has(attr) || flag === undefined || isTrue(u.attributes[flag]),
    );
    if (found) return found;
  }
  return undefined;
}

/** Wire attributes: sub first, then the user's attributes in the order they were set. */
export function wireAttributes(user: UserRecord, only?: ReadonlySet<string>): AttributeType[] {
  const out: AttributeType[] = [];
  if (!only || only.has("sub")) out.push({ Name: "sub", Value: user.sub });
  for (const [Name, Value] of Object.entries(user.attributes)) {
    if (only && !only.has(Name)) continue;
    out.push({ Name, Value });
  }
  return out;
}

export function toUserType(user: UserRecord, only?: ReadonlySet<string>): UserType {
  return {
    Username: user.username,
    Attributes: wireAttributes(user, only),
    UserCreateDate: wireTime(user.createdAt),
    UserLastModifiedDate: wireTime(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status as UserType["UserStatus"],
  };
}

/** Turns the wire attribute list into a map, refusing duplicates and values missing. */
export function attributeMap(list: readonly AttributeType[] | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const a of list ?? []) {
    if (map.has(a.Name)) throw new InvalidParameterException(`Duplicate attribute name: ${a.Name}`);
    map.set(a.Name, a.Value ?? "");
  }
  return map;
}

/** Checks every attribute against the pool schema. */
export function checkAttributes(
  pool: PoolRecord,
  attrs: ReadonlyMap<string, string>,
  mode: "create" | "update",
): void {
  const schema = pool.settings.SchemaAttributes ?? [];
  for (const [name, value] of attrs) {
    if (name.startsWith("cognito:"))
      throw new InvalidParameterException(
        `Attributes did not conform to the schema: ${name}: Attribute does not exist in the schema.`,
      );
    checkAttribute(schema, name, value, mode);
  }
}

/**
 * Keeps aliases unique: a verified email / phone / preferred_username used as an alias names one
 * user at most. With `force`, the alias moves to this user (the other loses its verified flag, or
 * the preferred_username); otherwise AliasExistsException.
 */
export async function claimAliases(
  tx: Transaction,
  pool: PoolRecord,
  user: UserRecord,
  force: boolean,
  now: number,
): Promise<void> {
  const usernameAttrs = new Set<string>(pool.settings.UsernameAttributes ?? []);
  for (const attr of aliasAttributes(pool)) {
    const value = user.attributes[attr];
    if (value === undefined) continue;
    const flag = verifiedFlag(attr);
    const counts = usernameAttrs.has(attr) || flag === undefined || isTrue(user.attributes[flag]);
    if (!counts) continue;
    const others = (await tx.users.findUsersByAlias(pool.id, attr, value)).filter((u) => u.sub !== user.sub);
    for (const other of others) {
      const claimed = usernameAttrs.has(attr) || flag === undefined || isTrue(other.attributes[flag]);
      if (!claimed) continue;
      if (usernameAttrs.has(attr))
        throw new AliasExistsException(
          `An account with the given ${attr === "email" ? "email" : "phone_number"} already exists.`,
        );
      if (!force)
        throw new AliasExistsException(
          `An account with the ${attr === "phone_number" ? "phone number" : attr} already exists.`,
        );
      const moved = { ...other, attributes: { ...other.attributes }, updatedAt: now };
      if (flag) moved.attributes[flag] = "false";
      else delete moved.attributes[attr];
      await tx.users.updateUser(moved);
    }
  }
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;
const PHONE = /^\+[0-9]{4,15}$/;

/** Username rules that depend on the pool's sign-in options. */
export function checkNewUsername(pool: PoolRecord, username: string): void {
  const usernameAttrs = pool.settings.UsernameAttributes ?? [];
  if (usernameAttrs.length > 0) {
    const isEmail = EMAIL.test(username);
    const isPhone = PHONE.test(username);
    const ok =
      (usernameAttrs.includes("email") && isEmail) || (usernameAttrs.includes("phone_number") && isPhone);
    if (!ok) {
      if (usernameAttrs.length === 2)
        throw new InvalidParameterException("Username should be either an email or a phone number.");
      throw new InvalidParameterException(
        usernameAttrs[0] === "email" ? "Username should be an email." : "Username should be a phone number.",
      );
    }
    return;
  }
  const aliases = pool.settings.AliasAttributes ?? [];
  if (aliases.includes("email") && EMAIL.test(username))
    throw new InvalidParameterException(
      "Username cannot be of email format, since user pool is configured for email alias.",
    );
  if (aliases.includes("phone_number") && PHONE.test(username))
    throw new InvalidParameterException(
      "Username cannot be of phone number format, since user pool is configured for phone_number alias.",
    );
}

/** For pools that use email/phone as username: the attribute the username stands for. */
export function usernameAttributeOf(
  pool: PoolRecord,
  username: string,
): "email" | "phone_number" | undefined {
  const usernameAttrs = pool.settings.UsernameAttributes ?? [];
  if (usernameAttrs.includes("email") && EMAIL.test(username)) return "email";
  if (usernameAttrs.includes("phone_number") && PHONE.test(username)) return "phone_number";
  return undefined;
}

/**
 * The username a new user is stored under (SignUp, AdminCreateUser, the bulk import). Pools that
 * sign in by email or phone keep the sub as the username and the email or phone number given as
 * the username in its attribute (which, when also given, must match it); elsewhere the name given
 * is the username. `attrs` gets the username attribute.
 */
export function assignUsername(
  pool: PoolRecord,
  given: string,
  sub: string,
  attrs: Map<string, string>,
): { username: string; asAttribute: "email" | "phone_number" | undefined } {
  const asAttribute = usernameAttributeOf(pool, given);
  if (!asAttribute) return { username: given, asAttribute };
  const value = attrs.get(asAttribute);
  if (value !== undefined && value !== given)
    throw new InvalidParameterException(`${asAttribute} attribute must match the username.`);
  attrs.set(asAttribute, given);
  return { username: sub, asAttribute };
}

/** The email or phone number given as a username must not be another user's already. */
export async function checkUsernameAttributeFree(
  db: Reader,
  pool: PoolRecord,
  asAttribute: "email" | "phone_number" | undefined,
  given: string,
): Promise<void> {
  if (asAttribute && (await db.users.findUsersByAlias(pool.id, asAttribute, given)).length > 0)
    throw new UsernameExistsException(`An account with the given ${asAttribute} already exists.`);
}
