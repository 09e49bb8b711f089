import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startServer } from "../support/server.ts";

const dir = mkdtempSync(join(tmpdir(), "lanyard-data-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("data written to the embedded database survives a restart", async () => {
  const first = await startServer({ args: ["--data", dir] });
  let poolId: string;
  try {
    const c = first.client();
    poolId = (await c.send(new CreateUserPoolCommand({ PoolName: "durable", UserPoolTags: { a: "b" } })))
      .UserPool!.Id!;
    await c.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: "persisted", MessageAction: "SUPPRESS" }),
    );
  } finally {
    await first.stop();
  }
  const second = await startServer({ args: ["--data", dir] });
  try {
    const c = second.client();
    const { UserPool } = await c.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    assert.equal(UserPool?.Name, "durable");
    assert.deepEqual(UserPool?.UserPoolTags, { a: "b" });
    assert.equal(UserPool?.EstimatedNumberOfUsers, 1);
    const user = await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "persisted" }));
    assert.equal(user.UserStatus, "FORCE_CHANGE_PASSWORD");
  } finally {
    await second.stop();
  }
});

test("--memory keeps nothing across a restart", async () => {
  const first = await startServer({ args: ["--memory"] });
  let poolId: string;
  try {
    poolId = (await first.client().send(new CreateUserPoolCommand({ PoolName: "ephemeral" }))).UserPool!.Id!;
  } finally {
    await first.stop();
  }
  const second = await startServer({ args: ["--memory"] });
  try {
    await assert.rejects(
      second.client().send(new DescribeUserPoolCommand({ UserPoolId: poolId })),
      /does not exist/,
    );
  } finally {
    await second.stop();
  }
});
