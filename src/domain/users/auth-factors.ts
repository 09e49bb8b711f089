/**
 * GetUserAuthFactors and AdminGetUserAuthFactors: the user's MFA settings, and the first factors
 * they have set up for USER_AUTH (ConfiguredUserAuthFactors): PASSWORD when they have a password,
 * WEB_AUTHN when they have a passkey of the pool's relying party.
 */
import type { RequestContext } from "../../context.ts";
import type { AuthFactorType, GetUserAuthFactorsResponse } from "../../generated/types.ts";
import type { PoolRecord, UserRecord } from "../../storage/records.ts";
import { userMfa, wireMfa } from "../mfa/user-mfa.ts";
import { usablePasskeys } from "../passkeys/assertion.ts";

/**
 * The user's MFA settings as GetUser and AdminGetUser show them (PreferredMfaSetting,
 * UserMFASettingList): the one place the auth factors read them.
 */
async function mfaSettings(
  ctx: RequestContext,
  user: UserRecord,
): Promise<Pick<GetUserAuthFactorsResponse, "PreferredMfaSetting" | "UserMFASettingList">> {
  const { PreferredMfaSetting, UserMFASettingList } = wireMfa(await userMfa(ctx.services.storage, user));
  return {
    ...(PreferredMfaSetting === undefined ? {} : { PreferredMfaSetting }),
    ...(UserMFASettingList === undefined ? {} : { UserMFASettingList }),
  };
}

export async function userAuthFactors(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
): Promise<GetUserAuthFactorsResponse> {
  const configured: AuthFactorType[] = [];
  if (user.password !== undefined) configured.push("PASSWORD");
  if ((await usablePasskeys(ctx, pool, user)).length > 0) configured.push("WEB_AUTHN");
  return {
    Username: user.username,
    ...(await mfaSettings(ctx, user)),
    ConfiguredUserAuthFactors: configured,
  };
}
