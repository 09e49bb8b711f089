import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("tags", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  before(async () => {
    server = await startServer();
    client = server.client();
  });
  after(() => server.stop());

  async function newPool(tags?: Record<string, string>): Promise<{ id: string; arn: string }> {
    const { UserPool } = await client.send(
      new CreateUserPoolCommand({ PoolName: "tagged", UserPoolTags: tags }),
    );
    return { id: UserPool!.Id!, arn: UserPool!.Arn! };
  }

  async function tagsOf(arn: string): Promise<Record<string, string> | undefined> {
    return (await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;
  }

  async function describedTags(id: string): Promise<Record<string, string> | undefined> {
    return (await client.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool?.UserPoolTags;
  }

  test("a new pool without tags lists none", async () => {
    const { arn } = await newPool();
    assert.deepEqual(await tagsOf(arn), {});
  });

  test("tags given at creation are listed by ARN", async () => {
    const { arn } = await newPool({ stage: "test", owner: "ops" });
    assert.deepEqual(await tagsOf(arn), { stage: "test", owner: "ops" });
  });

  test("TagResource adds tags and replaces values; DescribeUserPool shows the same tags", async () => {
    const { id, arn } = await newPool({ stage: "test", owner: "ops" });
    await client.send(
      new TagResourceCommand({ ResourceArn: arn, Tags: { stage: "prod", team: "identity", empty: "" } }),
    );
    const expected = { stage: "prod", owner: "ops", team: "identity", empty: "" };
    assert.deepEqual(await tagsOf(arn), expected);
    assert.deepEqual(await describedTags(id), expected);
  });

  test("UntagResource removes the keys named and ignores keys the pool lacks", async () => {
    const { id, arn } = await newPool({ a: "1", b: "2", c: "3" });
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["a", "c", "missing"] }));
    assert.deepEqual(await tagsOf(arn), { b: "2" });
    assert.deepEqual(await describedTags(id), { b: "2" });
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: [] }));
    assert.deepEqual(await tagsOf(arn), { b: "2" });
  });

  test("tag keys are case-sensitive", async () => {
    const { arn } = await newPool({ Stage: "a" });
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { stage: "b" } }));
    assert.deepEqual(await tagsOf(arn), { Stage: "a", stage: "b" });
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["STAGE", "stage"] }));
    assert.deepEqual(await tagsOf(arn), { Stage: "a" });
  });

  test("tags of one pool do not touch another", async () => {
    const one = await newPool({ k: "one" });
    const two = await newPool({ k: "two" });
    await client.send(new TagResourceCommand({ ResourceArn: one.arn, Tags: { extra: "x" } }));
    await client.send(new UntagResourceCommand({ ResourceArn: two.arn, TagKeys: ["k"] }));
    assert.deepEqual(await tagsOf(one.arn), { k: "one", extra: "x" });
    assert.deepEqual(await tagsOf(two.arn), {});
  });

  test("a pool may hold 50 tags but not 51, and a refused request changes nothing", async () => {
    const start: Record<string, string> = {};
    for (let i = 0; i < 45; i++) start[`k${i}`] = `v${i}`;
    const { arn } = await newPool(start);
    const five: Record<string, string> = {};
    for (let i = 45; i < 50; i++) five[`k${i}`] = `v${i}`;
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: five }));
    assert.equal(Object.keys((await tagsOf(arn)) ?? {}).length, 50);
    // Replacing an existing value keeps the count at 50.
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { k0: "changed" } }));
    await rejectsWith(
      client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { k0: "again", k50: "one too many" } })),
      "InvalidParameterException",
      400,
      /50/,
    );
    const after = (await tagsOf(arn)) ?? {};
    assert.equal(Object.keys(after).length, 50);
    assert.equal(after.k0, "changed");
    assert.equal(after.k50, undefined);
  });

  test("keys with the reserved aws: prefix are refused", async () => {
    const { arn } = await newPool({ keep: "me" });
    await rejectsWith(
      client.send(
        new TagResourceCommand({ ResourceArn: arn, Tags: { "aws:cloudformation:stack": "x", ok: "y" } }),
      ),
      "InvalidParameterException",
      400,
      /aws:/,
    );
    assert.deepEqual(await tagsOf(arn), { keep: "me" });
  });

  test("keys and values past their length limits are refused", async () => {
    const { arn } = await newPool({ keep: "me" });
    await rejectsWith(
      client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { ["k".repeat(129)]: "v" } })),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { k: "v".repeat(257) } })),
      "InvalidParameterException",
      400,
    );
    assert.deepEqual(await tagsOf(arn), { keep: "me" });
  });

  test("an ARN that names no user pool is InvalidParameterException", async () => {
    const { id, arn } = await newPool({ keep: "me" });
    const bad = [
      `arn:aws:cognito-idp:us-east-1:000000000000:identitypool/${id}`,
      "arn:aws:iam::000000000000:role/some-role",
      `arn:aws:cognito-idp:us-east-1:000000000000:userpool/not-a-pool-id`,
      "arn:aws:s3:::bucket",
      id,
    ];
    for (const resourceArn of bad) {
      await rejectsWith(
        client.send(new ListTagsForResourceCommand({ ResourceArn: resourceArn })),
        "InvalidParameterException",
        400,
      );
      await rejectsWith(
        client.send(new TagResourceCommand({ ResourceArn: resourceArn, Tags: { x: "y" } })),
        "InvalidParameterException",
        400,
      );
      await rejectsWith(
        client.send(new UntagResourceCommand({ ResourceArn: resourceArn, TagKeys: ["keep"] })),
        "InvalidParameterException",
        400,
      );
    }
    assert.deepEqual(await tagsOf(arn), { keep: "me" });
  });

  test("a well-formed ARN of an unknown pool, account or region is ResourceNotFoundException", async () => {
    const { id, arn } = await newPool({ keep: "me" });
    const unknown = [
      "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Missing00",
      `arn:aws:cognito-idp:us-east-1:111111111111:userpool/${id}`,
      `arn:aws:cognito-idp:eu-west-1:000000000000:userpool/${id}`,
    ];
    for (const resourceArn of unknown) {
      await rejectsWith(
        client.send(new ListTagsForResourceCommand({ ResourceArn: resourceArn })),
        "ResourceNotFoundException",
        400,
      );
      await rejectsWith(
        client.send(new TagResourceCommand({ ResourceArn: resourceArn, Tags: { x: "y" } })),
        "ResourceNotFoundException",
        400,
      );
      await rejectsWith(
        client.send(new UntagResourceCommand({ ResourceArn: resourceArn, TagKeys: ["keep"] })),
        "ResourceNotFoundException",
        400,
      );
    }
    assert.deepEqual(await tagsOf(arn), { keep: "me" });
  });
});
