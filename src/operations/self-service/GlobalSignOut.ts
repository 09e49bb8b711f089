import { globalSignOut } from "../../domain/users/account.ts";
import type { GlobalSignOutRequest, GlobalSignOutResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<GlobalSignOutRequest, GlobalSignOutResponse>(
  "GlobalSignOut",
  async (input, ctx) => {
    await globalSignOut(ctx, input.AccessToken);
    return {};
  },
);
