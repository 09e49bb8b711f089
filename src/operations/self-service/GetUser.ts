import { getUser } from "../../domain/users/account.ts";
import type { GetUserRequest, GetUserResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<GetUserRequest, GetUserResponse>("GetUser", async (input, ctx) =>
  getUser(ctx, input.AccessToken),
);
