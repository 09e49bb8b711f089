import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AddUserPoolClientSecretCommand,
  type CognitoIdentityProviderClient,
  DeleteUserPoolClientSecretCommand,
  ListUserPoolClientSecretsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { clientsSuite } from "./setup.ts";

describe("app clients and client secrets", () => {
  const suite = clientsSuite();
  const { newClient, describe_, secretIds } = suite;
  let cognito: CognitoIdentityProviderClient;
  let poolId: string;
  before(() => {
    ({ cognito, poolId } = suite);
  });

  describe("client secrets", () => {
    test("rotation: add a second secret, delete the first, the second becomes ClientSecret", async () => {
      const c = await newClient({ GenerateSecret: true });
      const [first] = await secretIds(c.ClientId!);
      const { ClientSecretDescriptor: added } = await cognito.send(
        new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: c.ClientId }),
      );
      assert.ok(added);
      assert.match(added.ClientSecretValue ?? "", /^[a-z0-9]{51}$/);
      assert.match(added.ClientSecretId ?? "", new RegExp(`^${c.ClientId}--\\d+$`));
      assert.ok(added.ClientSecretCreateDate instanceof Date);
      assert.notEqual(added.ClientSecretId, first);

      const { ClientSecrets } = await cognito.send(
        new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: c.ClientId }),
      );
      assert.deepEqual(
        ClientSecrets?.map((s) => s.ClientSecretId),
        [first, added.ClientSecretId],
      );
      for (const s of ClientSecrets ?? []) assert.equal(s.ClientSecretValue, undefined);
      assert.equal((await describe_(c.ClientId!)).ClientSecret, c.ClientSecret);

      await cognito.send(
        new DeleteUserPoolClientSecretCommand({
          UserPoolId: poolId,
          ClientId: c.ClientId,
          ClientSecretId: first,
        }),
      );
      assert.deepEqual(await secretIds(c.ClientId!), [added.ClientSecretId]);
      assert.equal((await describe_(c.ClientId!)).ClientSecret, added.ClientSecretValue);
    });

    test("a caller-provided secret value is stored but not echoed back", async () => {
      const c = await newClient({ GenerateSecret: true });
      const value = "rotated_secret_value_abcdefghij";
      const { ClientSecretDescriptor: added } = await cognito.send(
        new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: c.ClientId, ClientSecret: value }),
      );
      assert.equal(added?.ClientSecretValue, undefined);
      assert.ok(added?.ClientSecretId);
      await cognito.send(
        new DeleteUserPoolClientSecretCommand({
          UserPoolId: poolId,
          ClientId: c.ClientId,
          ClientSecretId: (await secretIds(c.ClientId!))[0],
        }),
      );
      assert.equal((await describe_(c.ClientId!)).ClientSecret, value);
    });

    test("a third secret is LimitExceededException", async () => {
      const c = await newClient({ GenerateSecret: true });
      await cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: c.ClientId }));
      const before_ = await secretIds(c.ClientId!);
      await rejectsWith(
        cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: c.ClientId })),
        "LimitExceededException",
        400,
        /maximum of 2 client secrets/,
      );
      assert.deepEqual(await secretIds(c.ClientId!), before_);
    });

    test("of concurrent additions only as many succeed as the limit allows", async () => {
      const c = await newClient({ GenerateSecret: true });
      const results = await Promise.allSettled(
        [1, 2, 3].map(() =>
          cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: c.ClientId })),
        ),
      );
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      for (const r of results)
        if (r.status === "rejected") assert.equal((r.reason as Error).name, "LimitExceededException");
      assert.equal((await secretIds(c.ClientId!)).length, 2);
    });

    test("a public client cannot get a secret", async () => {
      const c = await newClient();
      await rejectsWith(
        cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: c.ClientId })),
        "InvalidParameterException",
        400,
        /public client/,
      );
      assert.deepEqual(await secretIds(c.ClientId!), []);
      assert.equal((await describe_(c.ClientId!)).ClientSecret, undefined);
    });

    test("the last remaining secret cannot be deleted", async () => {
      const c = await newClient({ GenerateSecret: true });
      const [only] = await secretIds(c.ClientId!);
      await rejectsWith(
        cognito.send(
          new DeleteUserPoolClientSecretCommand({
            UserPoolId: poolId,
            ClientId: c.ClientId,
            ClientSecretId: only,
          }),
        ),
        "InvalidParameterException",
        400,
        /last remaining secret/,
      );
      assert.deepEqual(await secretIds(c.ClientId!), [only]);
      assert.equal((await describe_(c.ClientId!)).ClientSecret, c.ClientSecret);
    });

    test("an unknown secret id is ResourceNotFoundException", async () => {
      const c = await newClient({ GenerateSecret: true });
      await cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: c.ClientId }));
      const before_ = await secretIds(c.ClientId!);
      await rejectsWith(
        cognito.send(
          new DeleteUserPoolClientSecretCommand({
            UserPoolId: poolId,
            ClientId: c.ClientId,
            ClientSecretId: `${c.ClientId}--1`,
          }),
        ),
        "ResourceNotFoundException",
        400,
        /does not exist/,
      );
      assert.deepEqual(await secretIds(c.ClientId!), before_);
    });

    test("an unknown client or pool is ResourceNotFoundException for every secret operation", async () => {
      const missing = "abcdefghijklmnopqrstuvwxyz";
      for (const [pool, message] of [
        [poolId, /^User pool client abcdefghijklmnopqrstuvwxyz does not exist\.$/],
        ["us-east-1_NoSuchOne", /^User pool us-east-1_NoSuchOne does not exist\.$/],
      ] as const) {
        await rejectsWith(
          cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: missing })),
          "ResourceNotFoundException",
          400,
          message,
        );
        await rejectsWith(secretIds(missing, pool), "ResourceNotFoundException", 400, message);
        await rejectsWith(
          cognito.send(
            new DeleteUserPoolClientSecretCommand({
              UserPoolId: pool,
              ClientId: missing,
              ClientSecretId: "x--1",
            }),
          ),
          "ResourceNotFoundException",
          400,
          message,
        );
      }
    });

    test("a secret value outside the model's constraints is refused before anything changes", async () => {
      const c = await newClient({ GenerateSecret: true });
      await rejectsWith(
        cognito.send(
          new AddUserPoolClientSecretCommand({
            UserPoolId: poolId,
            ClientId: c.ClientId,
            ClientSecret: "short",
          }),
        ),
        "InvalidParameterException",
        400,
        /clientSecret/,
      );
      assert.equal((await secretIds(c.ClientId!)).length, 1);
    });
  });
});
