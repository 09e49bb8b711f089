import { createReplica } from "../../domain/replicas/replicas.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation(
  "CreateUserPoolReplica",
  { caller: "admin" },
  async (input, ctx, caller) => ({
    UserPoolReplica: await createReplica(ctx, caller.region, input),
  }),
);
