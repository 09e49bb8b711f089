/**
 * Compromised-credentials detection through the AWS SDK: a password from the bundled list of
 * breached passwords is refused at sign-up, password change and sign-in under ENFORCED with BLOCK,
 * only for the events of the EventFilter, and only recorded under AUDIT or NO_ACTION.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  type CognitoIdentityProviderClient,
  type EventFilterType,
  SetRiskConfigurationCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

/** On the breached list (as "p@ssw0rd"), and within the default password policy. */
const BREACHED = "P@ssw0rd";
const GOOD = "Correct-Horse-1";
const FLOWS = {
  ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH" as const, "ALLOW_REFRESH_TOKEN_AUTH" as const],
};

describe("compromised credentials", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    client = server.client();
  });
  after(() => server.stop());

  async function pool(mode: "AUDIT" | "ENFORCED", action: "BLOCK" | "NO_ACTION", filter?: EventFilterType[]) {
    const p = await poolWithClient(client, {
      pool: { UserPoolTier: "PLUS", UserPoolAddOns: { AdvancedSecurityMode: mode } },
      app: FLOWS,
    });
    await client.send(
      new SetRiskConfigurationCommand({
        UserPoolId: p.poolId,
        CompromisedCredentialsRiskConfiguration: {
          Actions: { EventAction: action },
          ...(filter ? { EventFilter: filter } : {}),
        },
      }),
    );
    return p;
  }
  const signUp = (clientId: string, username: string, password: string) =>
    client.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: password }));
  const signIn = (poolId: string, clientId: string, username: string, password: string) =>
    client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
  const events = async (poolId: string, username: string) =>
    (await client.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username })))
      .AuthEvents!;

  test("ENFORCED with BLOCK: a breached password is refused at SignUp, ChangePassword and by an administrator", async () => {
    const { poolId, clientId } = await pool("ENFORCED", "BLOCK");
    await rejectsWith(
      signUp(clientId, "bob", BREACHED),
      "InvalidPasswordException",
      400,
      /^Provided password cannot be used for security reasons\.$/,
    );
    // The case of the letters does not hide it.
    await rejectsWith(
      signUp(clientId, "bob", "PASSWORD123!".replace("!", "")),
      "InvalidPasswordException",
      400,
    );
    const ok = await signUp(clientId, "bob", GOOD);
    assert.equal(ok.UserConfirmed, false);
    const [signedUp] = await events(poolId, "bob");
    assert.equal(signedUp!.EventType, "SignUp");
    assert.equal(signedUp!.EventRisk?.CompromisedCredentialsDetected, false);

    await confirmedUser(client, poolId, "carol", GOOD);
    await rejectsWith(
      client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: poolId,
          Username: "carol",
          Password: BREACHED,
          Permanent: true,
        }),
      ),
      "InvalidPasswordException",
      400,
    );
    await rejectsWith(
      client.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: "dave",
          TemporaryPassword: BREACHED,
          MessageAction: "SUPPRESS",
        }),
      ),
      "InvalidPasswordException",
      400,
    );
    const tokens = await signIn(poolId, clientId, "carol", GOOD);
    await rejectsWith(
      client.send(
        new ChangePasswordCommand({
          AccessToken: tokens.AuthenticationResult!.AccessToken!,
          PreviousPassword: GOOD,
          ProposedPassword: BREACHED,
        }),
      ),
      "InvalidPasswordException",
      400,
    );
  });

  test("ENFORCED with BLOCK at sign-in: the user must reset the password (RESET_REQUIRED)", async () => {
    const { poolId, clientId } = await pool("ENFORCED", "BLOCK", ["SIGN_IN"]);
    // PASSWORD_CHANGE is not in the filter: an administrator may still set the password.
    await confirmedUser(client, poolId, "erin", BREACHED);
    await rejectsWith(signIn(poolId, clientId, "erin", BREACHED), "PasswordResetRequiredException", 400);
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "erin" }));
    assert.equal(user.UserStatus, "RESET_REQUIRED");
    const [event] = await events(poolId, "erin");
    assert.equal(event!.EventResponse, "Fail");
    assert.equal(event!.EventRisk?.RiskDecision, "Block");
    assert.equal(event!.EventRisk?.CompromisedCredentialsDetected, true);
  });

  test("the EventFilter leaves other events unchecked", async () => {
    const { clientId } = await pool("ENFORCED", "BLOCK", ["SIGN_IN"]);
    const ok = await signUp(clientId, "frank", BREACHED);
    assert.ok(ok.UserSub);
  });

  test("AUDIT records a breached password but does not refuse it; so does NO_ACTION", async () => {
    for (const [mode, action] of [
      ["AUDIT", "BLOCK"],
      ["ENFORCED", "NO_ACTION"],
    ] as const) {
      const { poolId, clientId } = await pool(mode, action);
      await signUp(clientId, "gina", BREACHED);
      const [event] = await events(poolId, "gina");
      assert.equal(event!.EventType, "SignUp");
      assert.equal(event!.EventResponse, "Pass");
      assert.equal(event!.EventRisk?.CompromisedCredentialsDetected, true);
      await confirmedUser(client, poolId, "hal", BREACHED);
      const tokens = await signIn(poolId, clientId, "hal", BREACHED);
      assert.ok(tokens.AuthenticationResult?.AccessToken);
      const [signedIn] = await events(poolId, "hal");
      assert.equal(signedIn!.EventRisk?.CompromisedCredentialsDetected, true);
      assert.equal(signedIn!.EventResponse, "Pass");
    }
  });
});
