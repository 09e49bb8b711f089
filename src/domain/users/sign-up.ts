/** Self-service sign-up: SignUp, ConfirmSignUp, ResendConfirmationCode. */
import { recordPasswordEvent, recordRequestEvent } from "../threats/auth-events.ts";
import { screenNewPassword } from "../threats/compromised.ts";
import { openSignUpSession } from "../auth/flows/user-auth.ts";
import type { RequestContext } from "../../context.ts";
import {
  InvalidParameterException,
  NotAuthorizedException,
  UsernameExistsException,
} from "../../generated/exceptions.ts";
import type {
  ConfirmSignUpRequest,
  ResendConfirmationCodeRequest,
  ResendConfirmationCodeResponse,
  SignUpRequest,
  SignUpResponse,
} from "../../generated/types.ts";
import type { PasswordCredential, PoolRecord, UserRecord } from "../../storage/records.ts";
import { DuplicateKeyError } from "../../storage/storage.ts";
import { redeemCodeOrThrow, simulateWrongCode } from "../messaging/codes.ts";
import { signUpDestination } from "../messaging/destinations.ts";
import { newSub } from "../ids.ts";
import { SIGN_UP_WORDING } from "./password-policy.ts";
import { newCredential } from "./passwords.ts";
import { type ClientCaller, hidesUsers } from "../caller.ts";
import { checkSecretHash } from "../auth/app-client.ts";
import {
  attributeMap,
  checkAttributes,
  checkNewUsername,
  claimAliases,
  findUser,
  subjectOf,
  usernameKey,
  assignUsername,
  checkUsernameAttributeFree,
} from "./users.ts";
import { userDisabled, usernameNotFound } from "../errors.ts";
import { checkWritable } from "./attribute-updates.ts";
import { applyPreSignUp, postConfirmation, preSignUp, validationData } from "../triggers/sign-up.ts";
import { deliverCode, issuePendingCode, sendCode, simulateSendCode } from "../messaging/send-code.ts";

/** Required attributes of the schema, all missing ones named in one message as Cognito does. */
function checkRequired(pool: PoolRecord, attrs: ReadonlyMap<string, string>): void {
  const missing = (pool.settings.SchemaAttributes ?? [])
    .filter((a) => a.Required && a.Name && a.Name !== "sub" && !attrs.get(a.Name))
    .map((a) => `${a.Name}: The attribute is required\n`);
  if (missing.length > 0)
    throw new InvalidParameterException(`Attributes did not conform to the schema: ${missing.join("")}`);
}

/**
 * Without a password, a sign-up is allowed only when the pool signs in with one-time codes
 * (SignInPolicy EMAIL_OTP / SMS_OTP) to an attribute it verifies and the user gives.
 */
function checkPasswordless(pool: PoolRecord, attrs: ReadonlyMap<string, string>): void {
  const factors = pool.settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? [];
  const auto = pool.settings.AutoVerifiedAttributes ?? [];
  const ok =
    (factors.includes("EMAIL_OTP") && auto.includes("email") && attrs.has("email")) ||
    (factors.includes("SMS_OTP") && auto.includes("phone_number") && attrs.has("phone_number"));
  if (!ok)
    throw new InvalidParameterException(
      "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null",
    );
}

export async function signUp(
  ctx: RequestContext,
  caller: ClientCaller,
  input: SignUpRequest,
): Promise<SignUpResponse> {
  const { pool, client } = caller;
  await checkSecretHash(ctx.services.storage, client, input.Username, input.SecretHash);
  if (pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly)
    throw new NotAuthorizedException("SignUp is not permitted for this user pool");
  checkNewUsername(pool, input.Username);
  const attrs = attributeMap(input.UserAttributes);
  checkWritable(pool, client, attrs.keys());
  checkAttributes(pool, attrs, "create");

  const sub = newSub();
  const { username, asAttribute } = assignUsername(pool, input.Username, sub, attrs);
  checkRequired(pool, attrs);
  // An email or phone number given at sign-up is unverified until the user confirms it.
  if (attrs.has("email") && !attrs.has("email_verified")) attrs.set("email_verified", "false");
  if (attrs.has("phone_number") && !attrs.has("phone_number_verified"))
    attrs.set("phone_number_verified", "false");

  let credential: PasswordCredential | undefined;
  // Threat protection's compromised-credentials check (SIGN_UP).
  const compromised =
    input.Password !== undefined &&
    (await screenNewPassword(ctx, pool, client.clientId, "SIGN_UP", input.Password));
  if (input.Password === undefined) checkPasswordless(pool, attrs);
  else
    credential = (
      await newCredential(pool, undefined, input.Password, false, ctx.now, username, SIGN_UP_WORDING)
    ).credential;

  const user: UserRecord = {
    poolId: pool.id,
    username,
    usernameKey: usernameKey(pool, username),
    sub,
    status: "UNCONFIRMED",
    enabled: true,
    attributes: Object.fromEntries(attrs),
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  if (credential) user.password = credential;
  // PreSignUp sees the attributes the user gave, before anything is stored; a refusal stores nothing.
  const answer = await preSignUp(
    ctx,
    pool,
    "PreSignUp_SignUp",
    { username, attributes: Object.fromEntries(attributeMap(input.UserAttributes)) },
    client.clientId,
    validationData(input.ValidationData),
    input.ClientMetadata,
  );
  applyPreSignUp(user, answer);
  const to = user.status === "UNCONFIRMED" ? signUpDestination(pool, user.attributes) : undefined;

  const pending = await ctx.services.storage.transaction(async (tx) => {
    await checkUsernameAttributeFree(tx, pool, asAttribute, input.Username);
    await claimAliases(tx, pool, user, false, ctx.now);
    try {
      await tx.users.insertUser(user);
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw new UsernameExistsException("User already exists");
      throw e;
    }
    return to ? issuePendingCode(tx, ctx, pool.id, sub, "signup", to) : undefined;
  });

  await recordPasswordEvent(ctx, pool, user, "SignUp", compromised);
  const out: SignUpResponse = { UserConfirmed: user.status === "CONFIRMED", UserSub: sub };
  if (pending)
    out.CodeDeliveryDetails = await deliverCode(ctx, pool, username, pending, "signup", {
      clientId: client.clientId,
      clientMetadata: input.ClientMetadata,
    });
  return out;
}

export async function confirmSignUp(
  ctx: RequestContext,
  caller: ClientCaller,
  input: ConfirmSignUpRequest,
): Promise<string> {
  const { pool } = caller;
  await checkSecretHash(ctx.services.storage, caller.client, input.Username, input.SecretHash);
  const hideUsers = hidesUsers(caller);
  const user = await findUser(ctx.services.storage, pool, input.Username);
  // With PreventUserExistenceErrors, an unknown name, or a user with nothing to confirm, is
  // answered as a wrong code (and counted as one), like a user who is waiting for their code.
  if (!user) {
    if (hideUsers)
      await simulateWrongCode(ctx, pool.id, subjectOf(pool, undefined, input.Username), "signup");
    throw usernameNotFound();
  }
  if (user.status !== "UNCONFIRMED") {
    if (hideUsers) await simulateWrongCode(ctx, pool.id, { sub: user.sub }, "signup");
    throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
  }

  let confirmed: UserRecord | undefined;
  await redeemCodeOrThrow(
    ctx,
    pool.id,
    user.sub,
    "signup",
    input.ConfirmationCode,
    async (tx) => {
      const current = await tx.users.getUserBySub(pool.id, user.sub);
      if (!current) throw usernameNotFound();
      if (current.status !== "UNCONFIRMED")
        throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${current.status}`);
      const next: UserRecord = {
        ...current,
        attributes: { ...current.attributes },
        status: "CONFIRMED",
        updatedAt: ctx.now,
      };
      // The code went to this attribute: confirming it proves the user receives there.
      const to = signUpDestination(pool, current.attributes);
      if (to) next.attributes[`${to.attribute}_verified`] = "true";
      await claimAliases(tx, pool, next, input.ForceAliasCreation === true, ctx.now);
      await tx.users.updateUser(next);
      confirmed = next;
    },
    hideUsers,
  );
  if (confirmed)
    await postConfirmation(
      ctx,
      pool,
      "PostConfirmation_ConfirmSignUp",
      confirmed,
      caller.client.clientId,
      input.ClientMetadata,
    );
  // The Session signs the user straight in (InitiateAuth USER_AUTH with it), as Cognito's does.
  return openSignUpSession(ctx, caller.client, user.sub);
}

export async function resendConfirmationCode(
  ctx: RequestContext,
  caller: ClientCaller,
  input: ResendConfirmationCodeRequest,
): Promise<ResendConfirmationCodeResponse> {
  const { pool } = caller;
  await checkSecretHash(ctx.services.storage, caller.client, input.Username, input.SecretHash);
  const hideUsers = hidesUsers(caller);
  const notTurnedOn = () =>
    new NotAuthorizedException("Cannot resend codes. Auto verification not turned on.");
  if ((pool.settings.AutoVerifiedAttributes ?? []).length === 0) throw notTurnedOn();

  const user = await findUser(ctx.services.storage, pool, input.Username);
  // With PreventUserExistenceErrors, unknown, disabled and confirmed users get a simulated answer
  // (and no message), like the one a real user would get.
  const simulated = () =>
    simulateSendCode(ctx, pool, subjectOf(pool, user, input.Username), input.Username, "signup");
  if (!user) {
    if (hideUsers) return simulated();
    throw usernameNotFound();
  }
  if (!user.enabled) {
    if (hideUsers) return simulated();
    throw userDisabled();
  }
  if (user.status !== "UNCONFIRMED") {
    if (hideUsers) return simulated();
    throw new InvalidParameterException("User is already confirmed.");
  }
  const to = signUpDestination(pool, user.attributes);
  if (!to) throw notTurnedOn();
  const origin = { clientId: caller.client.clientId, clientMetadata: input.ClientMetadata };
  const CodeDeliveryDetails = await sendCode(ctx, pool, user, "signup", to, "resend_code", origin);
  await recordRequestEvent(ctx, pool, user, "ResendCode");
  return { CodeDeliveryDetails };
}
