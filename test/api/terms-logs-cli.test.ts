import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { startServer, type TestServer } from "../support/server.ts";

const run = promisify(execFile);

/** Terms documents and log delivery with the AWS CLI, as an administrator would. */
describe("AWS CLI: terms documents and log delivery", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  const aws = async (...args: string[]) => {
    const { stdout } = await run(
      "aws",
      ["cognito-idp", ...args, "--endpoint-url", server.url, "--region", "us-east-1", "--output", "json"],
      {
        env: { ...process.env, AWS_ACCESS_KEY_ID: "dummy", AWS_SECRET_ACCESS_KEY: "dummy", AWS_PAGER: "" },
      },
    );
    return stdout.trim() ? JSON.parse(stdout) : {};
  };

  const refused = async (exception: string, ...args: string[]) =>
    assert.rejects(aws(...args), (e: Error & { stderr?: string }) => {
      assert.match(e.stderr ?? "", new RegExp(`\\(${exception}\\)`));
      return true;
    });

  test("create, describe, list, update and delete terms; their errors", async () => {
    const poolId: string = (await aws("create-user-pool", "--pool-name", "cli-terms")).UserPool.Id;
    const clientId: string = (
      await aws("create-user-pool-client", "--user-pool-id", poolId, "--client-name", "web")
    ).UserPoolClient.ClientId;
    const create = (name: string, links: string) =>
      aws(
        "create-terms",
        "--user-pool-id",
        poolId,
        "--client-id",
        clientId,
        "--terms-name",
        name,
        "--terms-source",
        "LINK",
        "--enforcement",
        "NONE",
        "--links",
        links,
      );
    const { Terms: created } = await create(
      "terms-of-use",
      '{"cognito:default": "https://example.com/terms", "cognito:spanish": "https://example.com/es/terms"}',
    );
    assert.equal(created.TermsName, "terms-of-use");
    assert.equal(created.ClientId, clientId);
    assert.deepEqual(created.Links, {
      "cognito:default": "https://example.com/terms",
      "cognito:spanish": "https://example.com/es/terms",
    });
    const id: string = created.TermsId;

    const described = await aws("describe-terms", "--user-pool-id", poolId, "--terms-id", id);
    assert.deepEqual(described.Terms, created);

    await refused(
      "TermsExistsException",
      "create-terms",
      "--user-pool-id",
      poolId,
      "--client-id",
      clientId,
      "--terms-name",
      "terms-of-use",
      "--terms-source",
      "LINK",
      "--enforcement",
      "NONE",
      "--links",
      '{"cognito:default": "https://example.com/again"}',
    );

    const listed = await aws("list-terms", "--user-pool-id", poolId);
    assert.deepEqual(
      listed.Terms.map((t: { TermsId: string }) => t.TermsId),
      [id],
    );

    const updated = await aws(
      "update-terms",
      "--user-pool-id",
      poolId,
      "--terms-id",
      id,
      "--terms-name",
      "privacy-policy",
      "--links",
      '{"cognito:default": "https://example.com/privacy"}',
    );
    assert.equal(updated.Terms.TermsName, "privacy-policy");
    assert.deepEqual(updated.Terms.Links, { "cognito:default": "https://example.com/privacy" });

    await aws("delete-terms", "--user-pool-id", poolId, "--terms-id", id);
    await refused("ResourceNotFoundException", "describe-terms", "--user-pool-id", poolId, "--terms-id", id);
    await refused("ResourceNotFoundException", "delete-terms", "--user-pool-id", poolId, "--terms-id", id);
    await refused(
      "InvalidParameterException",
      "describe-terms",
      "--user-pool-id",
      poolId,
      "--terms-id",
      "nope",
    );
  });

  test("set and get the log delivery configuration; its errors", async () => {
    const poolId: string = (await aws("create-user-pool", "--pool-name", "cli-logs")).UserPool.Id;
    const empty = await aws("get-log-delivery-configuration", "--user-pool-id", poolId);
    assert.deepEqual(empty.LogDeliveryConfiguration, { UserPoolId: poolId, LogConfigurations: [] });

    const configurations = [
      {
        LogLevel: "ERROR",
        EventSource: "userNotification",
        CloudWatchLogsConfiguration: {
          LogGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:pool-logs",
        },
      },
    ];
    const set = await aws(
      "set-log-delivery-configuration",
      "--user-pool-id",
      poolId,
      "--log-configurations",
      JSON.stringify(configurations),
    );
    assert.deepEqual(set.LogDeliveryConfiguration, { UserPoolId: poolId, LogConfigurations: configurations });
    const got = await aws("get-log-delivery-configuration", "--user-pool-id", poolId);
    assert.deepEqual(got.LogDeliveryConfiguration.LogConfigurations, configurations);

    await refused(
      "FeatureUnavailableInTierException",
      "set-log-delivery-configuration",
      "--user-pool-id",
      poolId,
      "--log-configurations",
      JSON.stringify([
        {
          LogLevel: "INFO",
          EventSource: "userAuthEvents",
          S3Configuration: { BucketArn: "arn:aws:s3:::logs-bucket" },
        },
      ]),
    );
    await refused(
      "InvalidParameterException",
      "set-log-delivery-configuration",
      "--user-pool-id",
      poolId,
      "--log-configurations",
      JSON.stringify([{ ...configurations[0], LogLevel: "INFO" }]),
    );
    await refused(
      "ResourceNotFoundException",
      "get-log-delivery-configuration",
      "--user-pool-id",
      "us-east-1_missing00",
    );
  });
});
