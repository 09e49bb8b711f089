/** The session operations and RevokeToken's RevokeAssociatedSessions through the AWS CLI. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { awsCli, awsCliError } from "../../support/aws-cli.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const PASSWORD = "Sup3r-secret!";

interface Session {
  SessionId: string;
  SessionType: string;
  ClientId: string;
  IsCurrentSession: boolean;
  DeviceType: string;
  CreateDate: unknown;
}

describe("user sessions through the AWS CLI", () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;
  before(async () => {
    server = await startServer({ args: ["--memory"] });
    const sdk = server.client();
    ({ poolId, clientId } = await poolWithClient(sdk, {
      app: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    }));
    await confirmedUser(sdk, poolId, "carol", PASSWORD);
  });
  after(() => server.stop());

  const signIn = async () => {
    const { AuthenticationResult: r } = await server.client().send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "carol", PASSWORD },
      }),
    );
    return { AccessToken: r!.AccessToken!, RefreshToken: r!.RefreshToken! };
  };
  const adminList = async () =>
    (
      (await awsCli(server, "admin-list-user-sessions", "--user-pool-id", poolId, "--username", "carol")) as {
        Sessions: Session[];
      }
    ).Sessions;

  test("the pool and app client configurations, with their errors", async () => {
    const defaults = await awsCli(server, "get-user-pool-session-configuration", "--user-pool-id", poolId);
    assert.deepEqual(defaults, {
      UserPoolId: poolId,
      UserSessionTracking: "DISABLED",
      TokenSession: { MaxPerUser: 20 },
    });
    assert.match(
      await awsCliError(
        server,
        "set-user-pool-client-session-configuration",
        "--user-pool-id",
        poolId,
        "--client-id",
        clientId,
        "--sso-session",
        "MaxValidityMinutes=30",
      ),
      /OperationNotEnabledException/,
    );
    assert.match(
      await awsCliError(
        server,
        "set-user-pool-session-configuration",
        "--user-pool-id",
        poolId,
        "--user-session-tracking",
        "ENABLED",
        "--token-session",
        "MaxPerUser=0",
      ),
      /InvalidParameterException.*tokenSession\.maxPerUser/,
    );
    const set = await awsCli(
      server,
      "set-user-pool-session-configuration",
      "--user-pool-id",
      poolId,
      "--user-session-tracking",
      "ENABLED",
      "--token-session",
      "MaxPerUser=3",
    );
    assert.deepEqual(set, {
      UserPoolId: poolId,
      UserSessionTracking: "ENABLED",
      TokenSession: { MaxPerUser: 3 },
    });
    const client = await awsCli(
      server,
      "set-user-pool-client-session-configuration",
      "--user-pool-id",
      poolId,
      "--client-id",
      clientId,
      "--sso-session",
      "MaxValidityMinutes=120",
    );
    assert.deepEqual(client, {
      UserPoolId: poolId,
      ClientId: clientId,
      SSOSession: { MaxValidityMinutes: 120 },
    });
    const got = await awsCli(
      server,
      "get-user-pool-client-session-configuration",
      "--user-pool-id",
      poolId,
      "--client-id",
      clientId,
    );
    assert.deepEqual(got, client);
    assert.match(
      await awsCliError(
        server,
        "get-user-pool-session-configuration",
        "--user-pool-id",
        "us-east-1_nopool000",
      ),
      /ResourceNotFoundException/,
    );
  });

  test("list, revoke and RevokeToken --revoke-associated-sessions", async () => {
    await awsCli(
      server,
      "set-user-pool-session-configuration",
      "--user-pool-id",
      poolId,
      "--user-session-tracking",
      "ENABLED",
      "--token-session",
      "MaxPerUser=3",
    );
    const mine = await signIn();
    const other = await signIn();
    const third = await signIn();
    const own = (
      (await awsCli(server, "list-user-sessions", "--access-token", mine.AccessToken)) as {
        Sessions: Session[];
      }
    ).Sessions;
    assert.equal(own.length, 3);
    assert.equal(own.filter((s) => s.IsCurrentSession).length, 1);
    const current = own.find((s) => s.IsCurrentSession)!.SessionId;
    assert.match(
      await awsCliError(
        server,
        "revoke-user-session",
        "--access-token",
        mine.AccessToken,
        "--session-id",
        current,
      ),
      /InvalidParameterException/,
    );
    const notCurrent = own.filter((s) => !s.IsCurrentSession).map((s) => s.SessionId);
    await awsCli(
      server,
      "revoke-user-session",
      "--access-token",
      mine.AccessToken,
      "--session-id",
      notCurrent[0]!,
      "--revoke-associated-sessions",
      "NONE",
    );
    await awsCli(
      server,
      "admin-revoke-user-session",
      "--user-pool-id",
      poolId,
      "--username",
      "carol",
      "--session-id",
      notCurrent[1]!,
      "--revoke-associated-sessions",
      "LINKED",
    );
    assert.deepEqual(
      (await adminList()).map((s) => s.SessionId),
      [current],
    );
    // The revoked sessions' access tokens fail at once.
    for (const tokens of [other, third])
      assert.match(
        await awsCliError(server, "get-user", "--access-token", tokens.AccessToken),
        /NotAuthorizedException.*Access Token has been revoked/,
      );
    await awsCli(
      server,
      "revoke-token",
      "--client-id",
      clientId,
      // `=`: a refresh token may begin with "-", which the CLI would take for an option.
      `--token=${mine.RefreshToken}`,
      "--revoke-associated-sessions",
      "LINKED",
    );
    assert.deepEqual(await adminList(), []);
    assert.match(
      await awsCliError(
        server,
        "admin-revoke-user-session",
        "--user-pool-id",
        poolId,
        "--username",
        "carol",
        "--session-id",
        current,
      ),
      /ResourceNotFoundException/,
    );
    assert.match(
      await awsCliError(server, "admin-list-user-sessions", "--user-pool-id", poolId, "--username", "nobody"),
      /UserNotFoundException/,
    );
  });
});
