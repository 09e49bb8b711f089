/**
 * GetProvisionedLimit and UpdateProvisionedLimit: the rate of an API category for the account in a
 * region, its documented bounds and errors, and the limiter enforcing what UpdateProvisionedLimit sets.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  GetProvisionedLimitCommand,
  UpdateProvisionedLimitCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { rawRequest, startServer, type TestServer } from "../../support/server.ts";

const category = (Category: string) => ({ LimitClass: "API_CATEGORY" as const, Attributes: { Category } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("GetProvisionedLimit and UpdateProvisionedLimit", () => {
  let server: TestServer;
  let admin: CognitoIdentityProviderClient;
  before(async () => {
    server = await startServer();
    admin = server.client();
  });
  after(() => server.stop());

  test("a category's limit starts at Cognito's default, free and provisioned", async () => {
    const { Limit } = await admin.send(
      new GetProvisionedLimitCommand({ LimitDefinition: category("UserAuthentication") }),
    );
    assert.deepEqual(Limit, {
      LimitDefinition: { LimitClass: "API_CATEGORY", Attributes: { Category: "UserAuthentication" } },
      ProvisionedLimitValue: 120,
      FreeLimitValue: 120,
    });
    const list = await admin.send(new GetProvisionedLimitCommand({ LimitDefinition: category("UserList") }));
    assert.equal(list.Limit?.FreeLimitValue, 30);
  });

  test("an adjustable category is provisioned above its default, per region", async () => {
    const { Limit } = await admin.send(
      new UpdateProvisionedLimitCommand({
        LimitDefinition: category("UserAuthentication"),
        RequestedLimitValue: 300,
      }),
    );
    assert.equal(Limit?.ProvisionedLimitValue, 300);
    assert.equal(Limit?.FreeLimitValue, 120);
    const again = await admin.send(
      new GetProvisionedLimitCommand({ LimitDefinition: category("UserAuthentication") }),
    );
    assert.equal(again.Limit?.ProvisionedLimitValue, 300);
    // The quota is the account's in one region: another region's is untouched.
    const west = server.client(undefined, "eu-west-1");
    const other = await west.send(
      new GetProvisionedLimitCommand({ LimitDefinition: category("UserAuthentication") }),
    );
    assert.equal(other.Limit?.ProvisionedLimitValue, 120);
  });

  test("the documented errors", async () => {
    await rejectsWith(
      admin.send(
        new UpdateProvisionedLimitCommand({
          LimitDefinition: category("UserUpdate"),
          RequestedLimitValue: 50,
        }),
      ),
      "InvalidParameterException",
      400,
      /^The UserUpdate category is not adjustable\.$/,
    );
    await rejectsWith(
      admin.send(
        new UpdateProvisionedLimitCommand({ LimitDefinition: category("UserRead"), RequestedLimitValue: 60 }),
      ),
      "InvalidParameterException",
      400,
      /at least the default limit of 120/,
    );
    await rejectsWith(
      admin.send(
        new UpdateProvisionedLimitCommand({
          LimitDefinition: category("UserRead"),
          RequestedLimitValue: 1201,
        }),
      ),
      "ServiceQuotaExceededException",
      400,
      /account-level maximum limit of 1200/,
    );
    await rejectsWith(
      admin.send(new GetProvisionedLimitCommand({ LimitDefinition: category("UserSomething") })),
      "InvalidParameterException",
      400,
      /UserSomething is not a valid API category/,
    );
    await rejectsWith(
      admin.send(
        new GetProvisionedLimitCommand({ LimitDefinition: { LimitClass: "API_CATEGORY", Attributes: {} } }),
      ),
      "InvalidParameterException",
      400,
      /must contain Category/,
    );
    const raw = await rawRequest(
      server.url,
      "GetProvisionedLimit",
      JSON.stringify({ LimitDefinition: { LimitClass: "API_RATE", Attributes: { Category: "UserRead" } } }),
    );
    assert.equal(raw.status, 400);
    assert.equal(raw.json.__type, "InvalidParameterException");
    assert.match(String(raw.json.message), /limitClass/);
    // The operations are SigV4-signed: unsigned, they are refused.
    const unsigned = await rawRequest(
      server.url,
      "GetProvisionedLimit",
      JSON.stringify({ LimitDefinition: category("UserRead") }),
      {},
      false,
    );
    assert.equal(unsigned.status, 400);
    assert.equal(unsigned.json.__type, "MissingAuthenticationTokenException");
  });
});

describe("a provisioned limit is what the limiter enforces", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--memory", "--rate-limits", "UserRead=2"] });
  });
  after(() => server.stop());

  test("raising UserRead lets more requests through at once", async () => {
    const admin = server.client();
    const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: "p" }))).UserPool!.Id!;
    await admin.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: "ann", MessageAction: "SUPPRESS" }),
    );
    const burst = async () =>
      (
        await Promise.allSettled(
          Array.from({ length: 10 }, () =>
            admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "ann" })),
          ),
        )
      ).filter((s) => s.status === "fulfilled").length;
    await sleep(1100);
    const started = Date.now();
    const before = await burst();
    assert.ok(
      before <= 3 + Math.floor(((Date.now() - started) * 2) / 1000),
      `served ${before} at 2 per second`,
    );
    const { Limit } = await admin.send(
      new UpdateProvisionedLimitCommand({ LimitDefinition: category("UserRead"), RequestedLimitValue: 20 }),
    );
    assert.deepEqual([Limit?.FreeLimitValue, Limit?.ProvisionedLimitValue], [2, 20]);
    await sleep(1100);
    assert.equal(await burst(), 10);
  });
});
