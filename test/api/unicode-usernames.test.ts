/** Usernames that differ only by Unicode normalisation name one user, never two look-alikes. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { startServer, type TestServer } from "../support/server.ts";

const NFC = "Jos\u00e9";
const NFD = "Jose\u0301";

describe("Unicode normalisation of usernames", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  before(async () => {
    server = await startServer();
    client = server.client();
  });
  after(() => server.stop());

  for (const CaseSensitive of [true, false]) {
    test(`NFC and NFD spellings are one username (CaseSensitive ${CaseSensitive})`, async () => {
      assert.notEqual(NFC, NFD);
      const UserPoolId = (
        await client.send(
          new CreateUserPoolCommand({ PoolName: "unicode", UsernameConfiguration: { CaseSensitive } }),
        )
      ).UserPool!.Id!;
      await client.send(new AdminCreateUserCommand({ UserPoolId, Username: NFC, MessageAction: "SUPPRESS" }));
      await rejectsWith(
        client.send(new AdminCreateUserCommand({ UserPoolId, Username: NFD, MessageAction: "SUPPRESS" })),
        "UsernameExistsException",
        400,
        /^User account already exists$/,
      );
      const ClientId = (await client.send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: "app" })))
        .UserPoolClient!.ClientId!;
      await assert.rejects(
        client.send(new SignUpCommand({ ClientId, Username: NFD, Password: "Un1code-password!" })),
        { name: "UsernameExistsException" },
      );
      const found = await client.send(new AdminGetUserCommand({ UserPoolId, Username: NFD }));
      assert.equal(found.Username, NFC);
      const listed = await client.send(new ListUsersCommand({ UserPoolId, Filter: `username = "${NFD}"` }));
      assert.deepEqual(
        listed.Users?.map((u) => u.Username),
        [NFC],
      );
    });
  }
});
