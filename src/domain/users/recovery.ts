/** Self-service password recovery: ForgotPassword and ConfirmForgotPassword. */
import { recordPasswordEvent, recordRequestEvent } from "../threats/auth-events.ts";
import { screenNewPassword } from "../threats/compromised.ts";
import type { RequestContext } from "../../context.ts";
import { postConfirmation } from "../triggers/sign-up.ts";
import { InvalidParameterException, NotAuthorizedException } from "../../generated/exceptions.ts";
import type {
  ConfirmForgotPasswordRequest,
  ForgotPasswordRequest,
  ForgotPasswordResponse,
} from "../../generated/types.ts";
import type { UserRecord } from "../../storage/records.ts";
import { signInCounterKey } from "../auth/lockout.ts";
import { redeemCodeOrThrow, simulateWrongCode } from "../messaging/codes.ts";
import { simulateSendCode } from "../messaging/send-code.ts";
import { recoveryDestination, recoveryIsAdminOnly } from "../messaging/destinations.ts";
import { checkPassword } from "./password-policy.ts";
import { newCredential } from "./passwords.ts";
import { type ClientCaller, hidesUsers } from "../caller.ts";
import { checkSecretHash } from "../auth/app-client.ts";
import { findUser, subjectOf } from "./users.ts";
import { migratedUser } from "./migration.ts";
import { passwordCannotBeReset, userDisabled, usernameNotFound } from "../errors.ts";
import { sendCode } from "../messaging/send-code.ts";

/** Statuses whose password the user cannot reset themselves. */
const NOT_RESETTABLE = new Set(["FORCE_CHANGE_PASSWORD", "EXTERNAL_PROVIDER"]);

export function noRecoveryDestination(): InvalidParameterException {
  return new InvalidParameterException(
    "Cannot reset password for the user as there is no registered/verified email or phone_number",
  );
}

export async function forgotPassword(
  ctx: RequestContext,
  caller: ClientCaller,
  input: ForgotPasswordRequest,
): Promise<ForgotPasswordResponse> {
  const { pool } = caller;
  await checkSecretHash(ctx.services.storage, caller.client, input.Username, input.SecretHash);
  const hideUsers = hidesUsers(caller);
  if (recoveryIsAdminOnly(pool)) throw new NotAuthorizedException("Contact administrator to reset password.");

  const user =
    (await findUser(ctx.services.storage, pool, input.Username)) ??
    (await migratedUser(
      ctx,
      pool,
      "UserMigration_ForgotPassword",
      input.Username,
      caller.client.clientId,
      undefined,
      input.ClientMetadata,
      hideUsers,
    ));
  // With PreventUserExistenceErrors, users that are unknown, disabled, or have nowhere to receive a
  // code get a simulated CodeDeliveryDetails (and no message), counted like a code sent.
  const simulated = () =>
    simulateSendCode(ctx, pool, subjectOf(pool, user, input.Username), input.Username, "forgot_password");
  if (!user) {
    if (hideUsers) return simulated();
    throw usernameNotFound();
  }
  if (!user.enabled) {
    if (hideUsers) return simulated();
    throw userDisabled();
  }
  if (NOT_RESETTABLE.has(user.status)) {
    if (hideUsers) return simulated();
    throw passwordCannotBeReset();
  }
  const to = recoveryDestination(pool, user.attributes);
  if (!to) {
    if (hideUsers) return simulated();
    throw noRecoveryDestination();
  }
  const origin = { clientId: caller.client.clientId, clientMetadata: input.ClientMetadata };
  const CodeDeliveryDetails = await sendCode(
    ctx,
    pool,
    user,
    "forgot_password",
    to,
    "forgot_password",
    origin,
  );
  await recordRequestEvent(ctx, pool, user, "ForgotPassword");
  return { CodeDeliveryDetails };
}

export async function confirmForgotPassword(
  ctx: RequestContext,
  caller: ClientCaller,
  input: ConfirmForgotPasswordRequest,
): Promise<void> {
  const { pool } = caller;
  await checkSecretHash(ctx.services.storage, caller.client, input.Username, input.SecretHash);
  const hideUsers = hidesUsers(caller);
  // The policy first: its answer does not depend on whether the user exists.
  checkPassword(input.Password, pool.settings.Policies?.PasswordPolicy);
  const user = await findUser(ctx.services.storage, pool, input.Username);
  if (!user?.enabled) {
    if (!hideUsers) throw user ? userDisabled() : usernameNotFound();
    // As much work as for a real user (the new credential, then a counted wrong code).
    await newCredential(pool, undefined, input.Password, false, ctx.now, input.Username);
    return simulateWrongCode(ctx, pool.id, subjectOf(pool, user, input.Username), "forgot_password");
  }
  // Threat protection's compromised-credentials check (PASSWORD_CHANGE).
  const compromised = await screenNewPassword(
    ctx,
    pool,
    caller.client.clientId,
    "PASSWORD_CHANGE",
    input.Password,
  );
  // Hash outside the transaction: it is the slow part.
  const { credential, history } = await newCredential(pool, user, input.Password, false, ctx.now);

  let changed: UserRecord | undefined;
  await redeemCodeOrThrow(
    ctx,
    pool.id,
    user.sub,
    "forgot_password",
    input.ConfirmationCode,
    async (tx) => {
      const current = await tx.users.getUserBySub(pool.id, user.sub);
      if (!current) throw usernameNotFound();
      const next: UserRecord = {
        ...current,
        password: credential,
        status: "CONFIRMED",
        updatedAt: ctx.now,
      };
      if (history) next.passwordHistory = history;
      await tx.users.updateUser(next);
      // A new password starts the failed sign-in count afresh; issued tokens stay valid.
      await tx.codes.deleteCounter(pool.id, signInCounterKey({ sub: user.sub }));
      changed = next;
    },
    hideUsers,
  );
  if (changed) await recordPasswordEvent(ctx, pool, changed, "PasswordChange", compromised);
  if (changed)
    await postConfirmation(
      ctx,
      pool,
      "PostConfirmation_ConfirmForgotPassword",
      changed,
      caller.client.clientId,
      input.ClientMetadata,
    );
}
