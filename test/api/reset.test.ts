import assert from "node:assert/strict";
import { test } from "node:test";
import { CreateUserPoolCommand, DescribeUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { startServer } from "../support/server.ts";

test("POST /_lanyard/reset wipes all state when enabled", async () => {
  const server = await startServer({ args: ["--memory", "--enable-reset"] });
  try {
    const c = server.client();
    const id = (await c.send(new CreateUserPoolCommand({ PoolName: "wiped" }))).UserPool!.Id!;
    const res = await fetch(`${server.url}/_lanyard/reset`, { method: "POST" });
    assert.equal(res.status, 200);
    await rejectsWith(
      c.send(new DescribeUserPoolCommand({ UserPoolId: id })),
      "ResourceNotFoundException",
      400,
    );
  } finally {
    await server.stop();
  }
});

test("the reset endpoint does not exist unless enabled", async () => {
  const server = await startServer();
  try {
    const c = server.client();
    const id = (await c.send(new CreateUserPoolCommand({ PoolName: "kept" }))).UserPool!.Id!;
    const res = await fetch(`${server.url}/_lanyard/reset`, { method: "POST" });
    assert.equal(res.status, 404);
    assert.equal((await c.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool?.Name, "kept");
  } finally {
    await server.stop();
  }
});
