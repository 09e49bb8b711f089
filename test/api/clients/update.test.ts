import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  ListUserPoolClientsCommand,
  UpdateUserPoolClientCommand,
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

  describe("UpdateUserPoolClient", () => {
    test("settings left out return to their defaults; the name and the secret stay", async () => {
      const c = await newClient({
        ClientName: "before",
        GenerateSecret: true,
        AccessTokenValidity: 2,
        TokenValidityUnits: { AccessToken: "hours" },
        RefreshTokenValidity: 7,
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        CallbackURLs: ["https://app.example.com/cb"],
        AllowedOAuthFlows: ["code"],
        AllowedOAuthScopes: ["openid"],
        AllowedOAuthFlowsUserPoolClient: true,
        PreventUserExistenceErrors: "ENABLED",
        EnableTokenRevocation: false,
        AuthSessionValidity: 10,
        RefreshTokenRotation: { Feature: "ENABLED" },
      });
      await new Promise((r) => setTimeout(r, 5));
      const { UserPoolClient: u } = await cognito.send(
        new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId, IdTokenValidity: 3 }),
      );
      assert.ok(u);
      assert.equal(u.ClientName, "before");
      assert.equal(u.ClientSecret, c.ClientSecret);
      assert.equal(u.IdTokenValidity, 3);
      assert.equal(u.AccessTokenValidity, undefined);
      assert.equal(u.TokenValidityUnits, undefined);
      assert.equal(u.RefreshTokenValidity, 30);
      assert.deepEqual(u.ExplicitAuthFlows, [
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_CUSTOM_AUTH",
      ]);
      assert.equal(u.CallbackURLs, undefined);
      assert.equal(u.AllowedOAuthFlows, undefined);
      assert.equal(u.AllowedOAuthScopes, undefined);
      assert.equal(u.AllowedOAuthFlowsUserPoolClient, false);
      assert.equal(u.PreventUserExistenceErrors, "LEGACY");
      assert.equal(u.EnableTokenRevocation, true);
      assert.equal(u.AuthSessionValidity, 3);
      assert.equal(u.RefreshTokenRotation, undefined);
      assert.deepEqual(u.CreationDate, c.CreationDate);
      assert.ok(u.LastModifiedDate! > c.LastModifiedDate!);
      assert.deepEqual(await describe_(c.ClientId!), u);
      assert.equal((await secretIds(c.ClientId!)).length, 1);
    });

    test("a new name and settings are stored", async () => {
      const c = await newClient();
      const { UserPoolClient: u } = await cognito.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientId: c.ClientId,
          ClientName: "renamed",
          ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          LogoutURLs: ["https://app.example.com/bye"],
        }),
      );
      assert.equal(u?.ClientName, "renamed");
      assert.deepEqual(u?.ExplicitAuthFlows, ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
      const { UserPoolClients } = await cognito.send(
        new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }),
      );
      assert.equal(UserPoolClients?.find((d) => d.ClientId === c.ClientId)?.ClientName, "renamed");
    });

    test("a refused update changes nothing", async () => {
      const c = await newClient({ ClientName: "keep", AccessTokenValidity: 2 });
      const attempts: [Record<string, unknown>, string, RegExp][] = [
        [{ AccessTokenValidity: 48 }, "InvalidParameterException", /^Invalid range for token validity/],
        [
          { WriteAttributes: ["sub"] },
          "InvalidParameterException",
          /^Invalid write attributes specified while updating a client/,
        ],
        [
          { ReadAttributes: ["custom:nope"] },
          "InvalidParameterException",
          /^Invalid read attributes specified while updating a client/,
        ],
        [
          {
            AllowedOAuthFlowsUserPoolClient: true,
            AllowedOAuthFlows: ["client_credentials"],
            AllowedOAuthScopes: ["openid"],
          },
          "InvalidOAuthFlowException",
          /client secret/,
        ],
        [{ SupportedIdentityProviders: ["Facebook"] }, "InvalidParameterException", /provider Facebook/],
      ];
      for (const [extra, name, message] of attempts)
        await rejectsWith(
          cognito.send(
            new UpdateUserPoolClientCommand({
              UserPoolId: poolId,
              ClientId: c.ClientId,
              ClientName: "changed",
              ...extra,
            }),
          ),
          name,
          400,
          message,
        );
      assert.deepEqual(await describe_(c.ClientId!), c);
    });

    test("client_credentials is accepted on a client that has a secret (scope check aside)", async () => {
      const c = await newClient({ GenerateSecret: true });
      await rejectsWith(
        cognito.send(
          new UpdateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientId: c.ClientId,
            AllowedOAuthFlowsUserPoolClient: true,
            AllowedOAuthFlows: ["client_credentials"],
            AllowedOAuthScopes: ["api/read"],
          }),
        ),
        "ScopeDoesNotExistException",
        400,
      );
    });

    test("an unknown client or pool is ResourceNotFoundException", async () => {
      await rejectsWith(
        cognito.send(
          new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: "abcdefghijklmnopqrstuvwxyz" }),
        ),
        "ResourceNotFoundException",
        400,
        /^User pool client abcdefghijklmnopqrstuvwxyz does not exist\.$/,
      );
      await rejectsWith(
        cognito.send(new UpdateUserPoolClientCommand({ UserPoolId: "us-east-1_NoSuchOne", ClientId: "abc" })),
        "ResourceNotFoundException",
        400,
        /^User pool us-east-1_NoSuchOne does not exist\.$/,
      );
    });
  });
});
