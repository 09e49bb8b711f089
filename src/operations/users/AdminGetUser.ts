import { wireTime } from "../../domain/ids.ts";
import { wireAttributes } from "../../domain/users/users.ts";
import type { AdminGetUserResponse } from "../../generated/types.ts";
import { userMfa, wireMfa } from "../../domain/mfa/user-mfa.ts";
import { defineOperation } from "../define.ts";
import { requirePool, requireUser } from "../../domain/lookups.ts";

export const operation = defineOperation("AdminGetUser", { caller: "admin" }, async (input, ctx) => {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  const user = await requireUser(storage, pool, input.Username);
  return {
    Username: user.username,
    UserAttributes: wireAttributes(user),
    UserCreateDate: wireTime(user.createdAt),
    UserLastModifiedDate: wireTime(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status as AdminGetUserResponse["UserStatus"],
    ...wireMfa(await userMfa(storage, user)),
  };
});
