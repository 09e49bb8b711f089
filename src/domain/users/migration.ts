/**
 * Lazy user migration: a user the pool's UserMigration function vouches for is created on the spot,
 * with the attributes it answered, the password the user signed in with (hashed, as any password,
 * but not held to the pool's policy, as the developer guide says),
 * the status it chose (CONFIRMED, or RESET_REQUIRED to make the user choose a new password), and
 * its aliases (forceAliasCreation moves an alias from another user, as AdminCreateUser's does).
 *
 * Unless the function answered `messageAction: SUPPRESS`, the user then gets the welcome message
 * Cognito sends to new users: the pool's invitation (InviteMessageTemplate, CustomMessage_AdminCreateUser,
 * or the custom senders' `_AdminCreateUser`), by `desiredDeliveryMediums` (SMS when none, as for
 * AdminCreateUser), with `{username}`. Its `{####}` reads `********`: the user already knows the
 * password they signed in with, and Lanyard sends no password anywhere. A migration in
 * ForgotPassword sends no welcome message: the user gets the reset code.
 */
import type { RequestContext } from "../../context.ts";
import { UserNotFoundException, UsernameExistsException } from "../../generated/exceptions.ts";
import type { PoolRecord, UserRecord } from "../../storage/records.ts";
import { DuplicateKeyError } from "../../storage/storage.ts";
import { newSub } from "../ids.ts";
import { invitationDestinations } from "../messaging/destinations.ts";
import { invitationMessage, sendMessage } from "../messaging/messages.ts";

/** What a migrated user's welcome message shows for the password. */
const MASKED_PASSWORD = "********";
import { migrateUser, type UserMigrationSource } from "../triggers/user-migration.ts";
import { hasTrigger } from "../triggers/invoke.ts";
import { newCredential } from "./passwords.ts";
import {
  assignUsername,
  checkAttributes,
  claimAliases,
  checkUsernameAttributeFree,
  usernameKey,
} from "./users.ts";

/**
 * The user the pool's function migrates for an unknown `name`, stored; undefined when the pool has
 * no function. A function that knows no such user fails as Cognito fails: UserNotFoundException
 * (undefined when the client hides which users exist).
 */
export async function migratedUser(
  ctx: RequestContext,
  pool: PoolRecord,
  source: UserMigrationSource,
  name: string,
  clientId: string,
  password: string | undefined,
  /** The request's ClientMetadata (a sign-in's goes to the function as validationData). */
  metadata: Record<string, string> | undefined,
  hideUsers: boolean,
): Promise<UserRecord | undefined> {
  if (!hasTrigger(pool, "UserMigration")) return undefined;
  const answer = await migrateUser(ctx, pool, source, name, clientId, password, metadata);
  // No such user in the old system either: with PreventUserExistenceErrors, the unknown user's usual answer.
  if (!answer) {
    if (hideUsers) return undefined;
    throw new UserNotFoundException(`Exception migrating user in app client ${clientId}`);
  }
  const attrs = new Map(Object.entries(answer.attributes));
  checkAttributes(pool, attrs, "create");
  const sub = newSub();
  const { username, asAttribute } = assignUsername(pool, name, sub, attrs);
  const credential =
    password === undefined
      ? undefined
      : // Cognito does not hold a migrated password to the pool's policy (the function may answer
        // RESET_REQUIRED for one that falls short).
        (await newCredential(pool, undefined, password, false, ctx.now, username, "unchecked")).credential;
  const user: UserRecord = {
    poolId: pool.id,
    username,
    usernameKey: usernameKey(pool, username),
    sub,
    status: answer.finalUserStatus,
    enabled: true,
    attributes: Object.fromEntries(attrs),
    createdAt: ctx.now,
    updatedAt: ctx.now,
    ...(credential ? { password: credential } : {}),
  };
  await ctx.services.storage.transaction(async (tx) => {
    await checkUsernameAttributeFree(tx, pool, asAttribute, name);
    await claimAliases(tx, pool, user, answer.forceAliasCreation, ctx.now);
    try {
      await tx.users.insertUser(user);
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw new UsernameExistsException("User already exists");
      throw e;
    }
  });
  if (answer.messageAction !== "SUPPRESS" && password !== undefined) {
    // A medium the user has no attribute for is skipped (AdminCreateUser would refuse; a sign-in does not).
    for (const to of invitationDestinations(answer.desiredDeliveryMediums, user.attributes))
      await sendMessage(
        ctx,
        pool,
        username,
        to,
        "invitation",
        invitationMessage(pool, to.medium, name, MASKED_PASSWORD),
        MASKED_PASSWORD,
        // A sign-in's ClientMetadata goes to no message trigger (InitiateAuth's API reference).
        { clientId },
      );
  }
  return user;
}
