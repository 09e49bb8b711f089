import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  DeleteUserCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { setClockOffset } from "../../support/inbox.ts";
import type { TestServer } from "../../support/server.ts";
import { selfServiceSuite } from "./setup.ts";

describe("token-authorised self-service operations", () => {
  const suite = selfServiceSuite();
  const { pool, appClient, user, signIn, accessToken, signedIn, attrs, getUser, verifiedEmail } = suite;
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  before(() => {
    ({ server, client } = suite);
  });

  describe("GetUser", () => {
    test("answers the username and the attributes, sub first", async () => {
      const { token } = await signedIn([
        ...verifiedEmail("ann@example.com"),
        { Name: "given_name", Value: "Ann" },
      ]);
      const out = await getUser(token);
      assert.equal(out.Username, "ann");
      assert.equal(out.UserAttributes?.[0]?.Name, "sub");
      assert.match(out.UserAttributes![0]!.Value!, /^[0-9a-f-]{36}$/);
      assert.deepEqual(attrs(out.UserAttributes.slice(1)), {
        email: "ann@example.com",
        email_verified: "true",
        given_name: "Ann",
      });
    });

    test("shows only what the app client may read", async () => {
      const poolId = await pool();
      const reader = await appClient(poolId, { ReadAttributes: ["email", "email_verified"] });
      await user(poolId, "ann", [...verifiedEmail("ann@example.com"), { Name: "given_name", Value: "Ann" }]);
      const out = await getUser(await accessToken(reader, "ann"));
      assert.deepEqual(
        out.UserAttributes?.map((a) => a.Name),
        ["sub", "email", "email_verified"],
      );
    });

    test("refuses tokens that are not valid access tokens", async () => {
      const { clientId } = await signedIn();
      await rejectsWith(getUser("not-a-token"), "NotAuthorizedException", 400, /^Invalid Access Token$/);
      const result = (await signIn(clientId, "ann")).AuthenticationResult!;
      await rejectsWith(getUser(result.IdToken!), "NotAuthorizedException", 400, /^Invalid Access Token$/);
      const [header, payload, signature] = result.AccessToken!.split(".");
      const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...claims, username: "someone-else" })).toString(
        "base64url",
      );
      await rejectsWith(
        getUser(`${header}.${forged}.${signature}`),
        "NotAuthorizedException",
        400,
        /^Invalid Access Token$/,
      );
    });

    test("an access token expires after its validity (an hour by default)", async () => {
      const { token } = await signedIn();
      try {
        await setClockOffset(server, 3_590_000);
        assert.equal((await getUser(token)).Username, "ann");
        await setClockOffset(server, 3_601_000);
        await rejectsWith(getUser(token), "NotAuthorizedException", 400, /^Access Token has expired$/);
      } finally {
        await setClockOffset(server, 0);
      }
    });
  });

  describe("DeleteUser", () => {
    test("deletes the account: its tokens, sign-in and the admin view go with it", async () => {
      const { poolId, clientId, token } = await signedIn();
      await client.send(new DeleteUserCommand({ AccessToken: token }));
      await rejectsWith(
        client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "ann" })),
        "UserNotFoundException",
        400,
      );
      await assert.rejects(getUser(token));
      await assert.rejects(signIn(clientId, "ann"));
    });
  });
});
