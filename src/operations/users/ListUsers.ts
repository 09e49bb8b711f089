import { listUsers } from "../../domain/users/admin.ts";
import type { ListUsersRequest, ListUsersResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation<ListUsersRequest, ListUsersResponse>("ListUsers", (input, ctx) =>
  listUsers(ctx, input),
);
