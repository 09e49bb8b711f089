import { adminCreateUser } from "../../domain/users/admin.ts";
import type { AdminCreateUserRequest, AdminCreateUserResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<AdminCreateUserRequest, AdminCreateUserResponse>(
  "AdminCreateUser",
  async (input, ctx) => ({ User: await adminCreateUser(ctx, input) }),
);
