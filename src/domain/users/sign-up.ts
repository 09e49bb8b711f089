/** Self-service sign-up: SignUp, ConfirmSignUp, ResendConfirmationCode. */
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
import type { ClientRecord, PasswordCredential, PoolRecord, UserRecord } from "../../storage/records.ts";
import { DuplicateKeyError } from "../../storage/storage.ts";
import { issueCode, redeemCodeOrThrow, simulateCodeSend, simulateWrongCode } from "../messaging/codes.ts";
import { deliveryDetails, signUpDestination, simulatedDetails } from "../messaging/destinations.ts";
import { newSub } from "../ids.ts";
import { codeMessage, sendMessage } from "../messaging/messages.ts";
import { SIGN_UP_WORDING } from "./password-policy.ts";
import { newCredential } from "./passwords.ts";
import { publicCaller, userDisabled, usernameNotFound } from "./public-caller.ts";
import {
  attributeMap,
  checkAttributes,
  checkNewUsername,
  claimAliases,
  findUser,
  usernameAttributeOf,
  usernameKey,
} from "./users.ts";

const VERIFIED_FLAGS = ["email_verified", "phone_number_verified"];

/**
 * An app client writes only the attributes its WriteAttributes allow (all when unset); a user never
 * marks their own email or phone number verified unless the client may write that flag explicitly.
 */
function checkWritable(client: ClientRecord, attrs: ReadonlyMap<string, string>): void {
  const writable = client.settings.WriteAttributes;
  for (const name of attrs.keys()) {
    const allowed = writable ? writable.includes(name) : !VERIFIED_FLAGS.includes(name);
    if (!allowed) throw new NotAuthorizedException("A client attempted to write unauthorized attribute");
  }
}

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

export async function signUp(ctx: RequestContext, input: SignUpRequest): Promise<SignUpResponse> {
  const { pool, client } = await publicCaller(ctx, input.ClientId, input.Username, input.SecretHash);
  if (pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly)
    throw new NotAuthorizedException("SignUp is not permitted for this user pool");
  checkNewUsername(pool, input.Username);
  const attrs = attributeMap(input.UserAttributes);
  checkWritable(client, attrs);
  checkAttributes(pool, attrs, "create");

  const sub = newSub();
  let username = input.Username;
  const asAttribute = usernameAttributeOf(pool, input.Username);
  if (asAttribute) {
    // Pools that sign in by email or phone keep the sub as the username and the value as an attribute.
    const given = attrs.get(asAttribute);
    if (given !== undefined && given !== input.Username)
      throw new InvalidParameterException(`${asAttribute} attribute must match the username.`);
    attrs.set(asAttribute, input.Username);
    username = sub;
  }
  checkRequired(pool, attrs);
  // An email or phone number given at sign-up is unverified until the user confirms it.
  if (attrs.has("email") && !attrs.has("email_verified")) attrs.set("email_verified", "false");
  if (attrs.has("phone_number") && !attrs.has("phone_number_verified"))
    attrs.set("phone_number_verified", "false");

  let credential: PasswordCredential | undefined;
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
  const to = signUpDestination(pool, user.attributes);

  const code = await ctx.services.storage.transaction(async (tx) => {
    if (asAttribute && (await tx.users.findUsersByAlias(pool.id, asAttribute, input.Username)).length > 0)
      throw new UsernameExistsException(`An account with the given ${asAttribute} already exists.`);
    await claimAliases(tx, pool, user, false, ctx.now);
    try {
      await tx.users.insertUser(user);
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw new UsernameExistsException("User already exists");
      throw e;
    }
    return to ? issueCode(tx, ctx, pool.id, sub, "signup") : undefined;
  });

  const out: SignUpResponse = { UserConfirmed: false, UserSub: sub };
  if (to && code !== undefined) {
    await sendMessage(ctx, pool, username, to, "signup", codeMessage(pool, "signup", to.medium, code), code);
    out.CodeDeliveryDetails = deliveryDetails(to);
  }
  return out;
}

export async function confirmSignUp(ctx: RequestContext, input: ConfirmSignUpRequest): Promise<void> {
  const { pool, hideUsers } = await publicCaller(ctx, input.ClientId, input.Username, input.SecretHash);
  const user = await findUser(ctx.services.storage, pool, input.Username);
  // With PreventUserExistenceErrors, an unknown name, or a user with nothing to confirm, is
  // answered as a wrong code (and counted as one), like a user who is waiting for their code.
  if (!user) {
    if (hideUsers)
      await simulateWrongCode(ctx, pool.id, { unknownName: usernameKey(pool, input.Username) }, "signup");
    throw usernameNotFound();
  }
  if (user.status !== "UNCONFIRMED") {
    if (hideUsers) await simulateWrongCode(ctx, pool.id, { sub: user.sub }, "signup");
    throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
  }

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
    },
    hideUsers,
  );
}

export async function resendConfirmationCode(
  ctx: RequestContext,
  input: ResendConfirmationCodeRequest,
): Promise<ResendConfirmationCodeResponse> {
  const { pool, hideUsers } = await publicCaller(ctx, input.ClientId, input.Username, input.SecretHash);
  const notTurnedOn = () =>
    new NotAuthorizedException("Cannot resend codes. Auto verification not turned on.");
  if ((pool.settings.AutoVerifiedAttributes ?? []).length === 0) throw notTurnedOn();

  const user = await findUser(ctx.services.storage, pool, input.Username);
  // With PreventUserExistenceErrors, unknown, disabled and confirmed users get a simulated answer
  // (and no message), like the one a real user would get.
  const simulated = async () => {
    await simulateCodeSend(
      ctx,
      pool.id,
      user ? { sub: user.sub } : { unknownName: usernameKey(pool, input.Username) },
      "signup",
    );
    return { CodeDeliveryDetails: simulatedDetails(ctx, pool, input.Username, "signup") };
  };
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
  const code = await ctx.services.storage.transaction((tx) =>
    issueCode(tx, ctx, pool.id, user.sub, "signup"),
  );
  await sendMessage(
    ctx,
    pool,
    user.username,
    to,
    "resend_code",
    codeMessage(pool, "resend_code", to.medium, code),
    code,
  );
  return { CodeDeliveryDetails: deliveryDetails(to) };
}
