/** User pools: creation with Cognito's defaults, description, update, deletion, listing. */
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException } from "../../generated/exceptions.ts";
import type {
  CreateUserPoolRequest,
  SchemaAttributeType,
  UpdateUserPoolRequest,
  UserPoolDescriptionType,
  UserPoolType,
} from "../../generated/types.ts";
import type { PoolRecord, PoolSettings } from "../../storage/records.ts";
import { newPoolId, poolArn, wireTime } from "../ids.ts";
import { addCustom, buildSchema } from "./schema.ts";
import { checkNewTagKeys, checkTags } from "./tag-rules.ts";
import { storePoolKeys } from "../tokens/keys.ts";
import { poolNotFound, requirePool } from "../lookups.ts";
import { settleMfa } from "../mfa/pool-config.ts";
import { checkAddOnsTier } from "../threats/config.ts";

/** Settings an UpdateUserPool call replaces (with their defaults when left out). */
const UPDATABLE = [
  "Policies",
  "DeletionProtection",
  "LambdaConfig",
  "AutoVerifiedAttributes",
  "SmsVerificationMessage",
  "EmailVerificationMessage",
  "EmailVerificationSubject",
  "VerificationMessageTemplate",
  "SmsAuthenticationMessage",
  "UserAttributeUpdateSettings",
  "MfaConfiguration",
  "DeviceConfiguration",
  "EmailConfiguration",
  "SmsConfiguration",
  "AdminCreateUserConfig",
  "UserPoolAddOns",
  "AccountRecoverySetting",
  "UserPoolTier",
] as const;

/** Settings fixed at creation. */
const CREATE_ONLY = ["AliasAttributes", "UsernameAttributes", "UsernameConfiguration"] as const;

/**
 * A pool id begins with its pool's region (`us-east-1_…`): a request for another region (its
 * credential scope or regional endpoint) does not find it, as in Cognito, whatever the operation.
 */
export function checkPoolRegion(poolId: string, region: string): void {
  const at = poolId.indexOf("_");
  if (at > 0 && poolId.slice(0, at) !== region) throw poolNotFound(poolId);
}

type Input = Partial<Pick<CreateUserPoolRequest, (typeof UPDATABLE)[number] | (typeof CREATE_ONLY)[number]>>;

/** Applies Cognito's defaults and cross-checks to the settable part of a pool. */
function settle(input: Input): PoolSettings {
  const s: PoolSettings = {};
  for (const k of [...UPDATABLE, ...CREATE_ONLY]) {
    const v = input[k];
    if (v !== undefined) (s as Record<string, unknown>)[k] = structuredClone(v);
  }
  const policy = input.Policies?.PasswordPolicy;
  s.Policies = {
    ...s.Policies,
    PasswordPolicy: policy
      ? {
          MinimumLength: policy.MinimumLength ?? 8,
          RequireUppercase: policy.RequireUppercase ?? false,
          RequireLowercase: policy.RequireLowercase ?? false,
          RequireNumbers: policy.RequireNumbers ?? false,
          RequireSymbols: policy.RequireSymbols ?? false,
          ...(policy.PasswordHistorySize !== undefined
            ? { PasswordHistorySize: policy.PasswordHistorySize }
            : {}),
          TemporaryPasswordValidityDays: policy.TemporaryPasswordValidityDays ?? 7,
        }
      : {
          MinimumLength: 8,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 7,
        },
    SignInPolicy: input.Policies?.SignInPolicy ?? { AllowedFirstAuthFactors: ["PASSWORD"] },
  };
  s.DeletionProtection ??= "INACTIVE";
  s.LambdaConfig ??= {};
  s.MfaConfiguration ??= "OFF";
  s.EmailConfiguration ??= { EmailSendingAccount: "COGNITO_DEFAULT" };
  if (!s.EmailConfiguration.EmailSendingAccount) s.EmailConfiguration.EmailSendingAccount = "COGNITO_DEFAULT";
  s.UserAttributeUpdateSettings ??= { AttributesRequireVerificationBeforeUpdate: [] };
  s.UserPoolTier ??= "ESSENTIALS";

  const temporaryDays = s.Policies.PasswordPolicy!.TemporaryPasswordValidityDays!;
  s.AdminCreateUserConfig = {
    AllowAdminCreateUserOnly: false,
    ...s.AdminCreateUserConfig,
    UnusedAccountValidityDays: s.AdminCreateUserConfig?.UnusedAccountValidityDays ?? temporaryDays,
  };

  // The legacy message fields and VerificationMessageTemplate mirror each other.
  const t = { DefaultEmailOption: "CONFIRM_WITH_CODE" as const, ...s.VerificationMessageTemplate };
  if (s.EmailVerificationMessage !== undefined) t.EmailMessage ??= s.EmailVerificationMessage;
  if (s.EmailVerificationSubject !== undefined) t.EmailSubject ??= s.EmailVerificationSubject;
  if (s.SmsVerificationMessage !== undefined) t.SmsMessage ??= s.SmsVerificationMessage;
  if (t.EmailMessage !== undefined) s.EmailVerificationMessage = t.EmailMessage;
  if (t.EmailSubject !== undefined) s.EmailVerificationSubject = t.EmailSubject;
  if (t.SmsMessage !== undefined) s.SmsVerificationMessage = t.SmsMessage;
  s.VerificationMessageTemplate = t;
  check(s);
  return s;
}

function check(s: PoolSettings): void {
  checkAddOnsTier(s);
  if (s.AliasAttributes?.length && s.UsernameAttributes?.length)
    throw new InvalidParameterException(
      "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.",
    );
  const t = s.VerificationMessageTemplate!;
  for (const [field, value] of [
    ["EmailMessage", t.EmailMessage],
    ["SmsMessage", t.SmsMessage],
    ["SmsAuthenticationMessage", s.SmsAuthenticationMessage],
  ] as const) {
    if (value !== undefined && !value.includes("{####}"))
      throw new InvalidParameterException(`${field} must contain the code placeholder {####}.`);
  }
  if (t.EmailMessageByLink !== undefined && !t.EmailMessageByLink.includes("{##"))
    throw new InvalidParameterException(
      "EmailMessageByLink must contain a link placeholder {##Click Here##}.",
    );
  const invite = s.AdminCreateUserConfig?.InviteMessageTemplate;
  if (
    invite?.EmailMessage !== undefined &&
    !(invite.EmailMessage.includes("{username}") && invite.EmailMessage.includes("{####}"))
  )
    throw new InvalidParameterException("The invitation email message must contain {username} and {####}.");
  if (
    invite?.SMSMessage !== undefined &&
    !(invite.SMSMessage.includes("{username}") && invite.SMSMessage.includes("{####}"))
  )
    throw new InvalidParameterException("The invitation SMS message must contain {username} and {####}.");
}

export async function createPool(ctx: RequestContext, input: CreateUserPoolRequest): Promise<PoolRecord> {
  if (input.UserPoolTags) {
    checkNewTagKeys(Object.keys(input.UserPoolTags));
    checkTags(input.UserPoolTags);
  }
  const schema = buildSchema(input.Schema);
  const settings = settle(input);
  settleMfa(settings, undefined);
  settings.SchemaAttributes = schema;
  const pool: PoolRecord = {
    id: ctx.fixedId ?? newPoolId(ctx.region),
    name: input.PoolName,
    region: ctx.region,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    settings,
    tags: { ...input.UserPoolTags },
    userCount: 0,
  };
  const keys = await ctx.services.keys.newPoolKeys(pool.id, ctx.now);
  await ctx.services.storage.transaction(async (tx) => {
    await tx.pools.insertPool(pool);
    await storePoolKeys(tx, keys);
  });
  return pool;
}

export async function updatePool(ctx: RequestContext, input: UpdateUserPoolRequest): Promise<void> {
  if (input.UserPoolTags) {
    checkNewTagKeys(Object.keys(input.UserPoolTags));
    checkTags(input.UserPoolTags);
  }
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    const keep: Input = {};
    for (const k of CREATE_ONLY)
      if (pool.settings[k] !== undefined) (keep as Record<string, unknown>)[k] = pool.settings[k];
    const settings = settle({ ...keep, ...pick(input) });
    settleMfa(settings, pool.settings);
    settings.SchemaAttributes = pool.settings.SchemaAttributes;
    // Fields managed by other operations survive an update.
    for (const k of [
      "SmsConfigurationFailure",
      "EmailConfigurationFailure",
      "Domain",
      "CustomDomain",
      "Status",
    ] as const)
      if (pool.settings[k] !== undefined) (settings as Record<string, unknown>)[k] = pool.settings[k];
    const updated: PoolRecord = {
      ...pool,
      name: input.PoolName ?? pool.name,
      settings,
      tags: input.UserPoolTags ? { ...input.UserPoolTags } : pool.tags,
      updatedAt: ctx.now,
    };
    await tx.pools.updatePool(updated);
  });
}

function pick(input: UpdateUserPoolRequest): Input {
  const out: Input = {};
  for (const k of UPDATABLE) {
    const v = input[k];
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

export async function deletePool(ctx: RequestContext, poolId: string): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    if (pool.settings.DeletionProtection === "ACTIVE")
      throw new InvalidParameterException(
        "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.",
      );
    await tx.pools.deletePool(poolId);
  });
  ctx.services.keys.forget(poolId);
}

export async function addCustomAttributes(
  ctx: RequestContext,
  poolId: string,
  attrs: readonly SchemaAttributeType[],
): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    const schema = structuredClone(pool.settings.SchemaAttributes ?? []);
    addCustom(schema, attrs);
    await tx.pools.updatePool({
      ...pool,
      settings: { ...pool.settings, SchemaAttributes: schema },
      updatedAt: ctx.now,
    });
  });
}

/** The wire form of DescribeUserPool / CreateUserPool. */
export function toUserPoolType(pool: PoolRecord, accountId: string): UserPoolType {
  const {
    SchemaAttributes,
    SmsMfaConfiguration: _sms,
    SoftwareTokenMfaConfiguration: _totp,
    EmailMfaConfiguration: _email,
    WebAuthnConfiguration: _webAuthn,
    ...rest
  } = pool.settings;
  return {
    Id: pool.id,
    Name: pool.name,
    ...rest,
    SchemaAttributes,
    LastModifiedDate: wireTime(pool.updatedAt),
    CreationDate: wireTime(pool.createdAt),
    EstimatedNumberOfUsers: pool.userCount,
    UserPoolTags: pool.tags,
    Arn: poolArn(pool.region, accountId, pool.id),
  };
}

export function toPoolDescription(pool: PoolRecord): UserPoolDescriptionType {
  return {
    Id: pool.id,
    Name: pool.name,
    LambdaConfig: pool.settings.LambdaConfig ?? {},
    LastModifiedDate: wireTime(pool.updatedAt),
    CreationDate: wireTime(pool.createdAt),
  };
}
