import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AdminInitiateAuthCommand,
  ChangePasswordCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { setClockOffset } from "../../support/inbox.ts";
import type { TestServer } from "../../support/server.ts";
import { PASSWORD, selfServiceSuite } from "./setup.ts";

describe("token-authorised self-service operations", () => {
  const suite = selfServiceSuite();
  const { signIn, signedIn, getUser } = suite;
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  before(() => {
    ({ server, client } = suite);
  });

  describe("ChangePassword", () => {
    const change = (token: string, previous: string, proposed: string) =>
      client.send(
        new ChangePasswordCommand({
          AccessToken: token,
          PreviousPassword: previous,
          ProposedPassword: proposed,
        }),
      );

    test("the new password signs in (USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH), the old one not", async () => {
      const { poolId, clientId, token } = await signedIn();
      await change(token, PASSWORD, "Brand-n3w-pass!");
      assert.ok((await signIn(clientId, "ann", "Brand-n3w-pass!")).AuthenticationResult?.AccessToken);
      const admin = await client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "ann", PASSWORD: "Brand-n3w-pass!" },
        }),
      );
      assert.ok(admin.AuthenticationResult?.AccessToken);
      await rejectsWith(
        signIn(clientId, "ann", PASSWORD),
        "NotAuthorizedException",
        400,
        /^Incorrect username or password\.$/,
      );
      // The session that changed the password stays signed in.
      assert.equal((await getUser(token)).Username, "ann");
    });

    test("a wrong previous password or a weak new one changes nothing", async () => {
      const { clientId, token } = await signedIn();
      await rejectsWith(
        change(token, "Wrong-passw0rd!", "Brand-n3w-pass!"),
        "NotAuthorizedException",
        400,
        /^Incorrect username or password\.$/,
      );
      await rejectsWith(
        change(token, PASSWORD, "short"),
        "InvalidPasswordException",
        400,
        /^Password does not conform to policy: Password not long enough$/,
      );
      assert.ok((await signIn(clientId, "ann")).AuthenticationResult);
    });

    test("the pool's password history applies", async () => {
      const { token } = await signedIn([], {
        Policies: { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: 2 } },
      });
      await rejectsWith(change(token, PASSWORD, PASSWORD), "PasswordHistoryPolicyViolationException", 400);
      await change(token, PASSWORD, "Second-pass-2");
      await rejectsWith(
        change(token, "Second-pass-2", PASSWORD),
        "PasswordHistoryPolicyViolationException",
        400,
      );
      await change(token, "Second-pass-2", "Third-pass-3");
    });

    test("wrong previous passwords count like failed sign-ins: then LimitExceededException", async () => {
      const { clientId, token } = await signedIn();
      for (let i = 0; i < 5; i++)
        await rejectsWith(
          change(token, `Wrong-pass-${i}!`, "Brand-n3w-pass!"),
          "NotAuthorizedException",
          400,
        );
      await rejectsWith(
        change(token, PASSWORD, "Brand-n3w-pass!"),
        "LimitExceededException",
        400,
        /^Attempt limit exceeded, please try after some time\.$/,
      );
      await rejectsWith(
        signIn(clientId, "ann"),
        "NotAuthorizedException",
        400,
        /^Password attempts exceeded$/,
      );
      try {
        await setClockOffset(server, 2000);
        await change(token, PASSWORD, "Brand-n3w-pass!");
      } finally {
        await setClockOffset(server, 0);
      }
      assert.ok((await signIn(clientId, "ann", "Brand-n3w-pass!")).AuthenticationResult);
    });
  });
});
