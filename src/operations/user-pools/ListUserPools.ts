import { fromToken, readPage, toToken } from "../../domain/pagination.ts";
import { toPoolDescription } from "../../domain/pools/pools.ts";
import type { ListUserPoolsResponse } from "../../generated/types.ts";
import { defineOperation } from "../define.ts";

export const operation = defineOperation("ListUserPools", { caller: "admin" }, async (input, ctx) => {
  const page = await readPage(() =>
    ctx.services.storage.pools.listPools(
      ctx.region,
      input.MaxResults,
      fromToken(input.NextToken, `pools:${ctx.region}`),
    ),
  );
  const out: ListUserPoolsResponse = { UserPools: page.items.map(toPoolDescription) };
  if (page.next) out.NextToken = toToken(page.next, `pools:${ctx.region}`);
  return out;
});
