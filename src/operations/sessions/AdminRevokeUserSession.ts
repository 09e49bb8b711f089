import { adminRevokeUserSession } from "../../domain/sessions/manage.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "AdminRevokeUserSession",
  { caller: "admin" },
  async (input, ctx) => {
    await adminRevokeUserSession(ctx, input);
    return {};
  },
);
