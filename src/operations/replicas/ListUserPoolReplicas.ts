import { listReplicas } from "../../domain/replicas/replicas.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ListUserPoolReplicas", { caller: "admin" }, async (input, ctx) => ({
  UserPoolReplicas: await listReplicas(ctx, input),
}));
