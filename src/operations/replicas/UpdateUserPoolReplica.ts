import { updateReplica } from "../../domain/replicas/replicas.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "UpdateUserPoolReplica",
  { caller: "admin" },
  async (input, ctx) => ({
    UserPoolReplica: await updateReplica(ctx, input),
  }),
);
