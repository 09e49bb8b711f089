import { deleteReplica } from "../../domain/replicas/replicas.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "DeleteUserPoolReplica",
  { caller: "admin" },
  async (input, ctx, caller) => ({
    UserPoolReplica: await deleteReplica(ctx, caller.region, input),
  }),
);
