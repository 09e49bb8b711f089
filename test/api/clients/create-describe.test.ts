import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  ListUserPoolClientSecretsCommand,
  type UserPoolClientType,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { clientsSuite } from "./setup.ts";

describe("app clients and client secrets", () => {
  const suite = clientsSuite();
  const { newPool, newClient, describe_, refusedCreate } = suite;
  let cognito: CognitoIdentityProviderClient;
  let poolId: string;
  before(() => {
    ({ cognito, poolId } = suite);
  });

  describe("CreateUserPoolClient and DescribeUserPoolClient", () => {
    test("a client with only a name gets Cognito's defaults", async () => {
      const c = await newClient({ ClientName: "minimal" });
      assert.match(c.ClientId ?? "", /^[a-z0-9]{26}$/);
      assert.equal(c.UserPoolId, poolId);
      assert.equal(c.ClientName, "minimal");
      assert.equal(c.ClientSecret, undefined);
      assert.ok(c.CreationDate instanceof Date);
      assert.deepEqual(c.LastModifiedDate, c.CreationDate);
      assert.equal(c.RefreshTokenValidity, 30);
      assert.equal(c.AccessTokenValidity, undefined);
      assert.equal(c.IdTokenValidity, undefined);
      assert.equal(c.TokenValidityUnits, undefined);
      assert.equal(c.ReadAttributes, undefined);
      assert.equal(c.WriteAttributes, undefined);
      assert.deepEqual(c.ExplicitAuthFlows, [
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_CUSTOM_AUTH",
      ]);
      assert.equal(c.AllowedOAuthFlowsUserPoolClient, false);
      assert.equal(c.PreventUserExistenceErrors, "LEGACY");
      assert.equal(c.EnableTokenRevocation, true);
      assert.equal(c.EnablePropagateAdditionalUserContextData, false);
      assert.equal(c.AuthSessionValidity, 3);
      assert.equal(c.ClientType, "REGULAR");
      assert.deepEqual(await describe_(c.ClientId!), c);
    });

    test("every setting given is stored and returned", async () => {
      const pool = await newPool({
        Schema: [
          { Name: "email", Required: true, Mutable: true },
          { Name: "tenant", AttributeDataType: "String", Mutable: true },
        ],
      });
      const input = {
        ClientName: "full",
        GenerateSecret: true,
        RefreshTokenValidity: 10,
        AccessTokenValidity: 30,
        IdTokenValidity: 2,
        TokenValidityUnits: { AccessToken: "minutes", IdToken: "hours", RefreshToken: "days" } as const,
        ReadAttributes: ["email", "email_verified", "custom:tenant"],
        WriteAttributes: ["email", "custom:tenant"],
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] as const,
        SupportedIdentityProviders: ["COGNITO"],
        CallbackURLs: ["https://app.example.com/cb", "http://localhost:3000/cb", "myapp://callback"],
        LogoutURLs: ["https://app.example.com/bye"],
        DefaultRedirectURI: "https://app.example.com/cb",
        AllowedOAuthFlows: ["code", "implicit"] as const,
        AllowedOAuthScopes: ["openid", "email", "profile", "phone", "aws.cognito.signin.user.admin"],
        AllowedOAuthFlowsUserPoolClient: true,
        AnalyticsConfiguration: {
          ApplicationId: "0123456789abcdef0123456789abcdef",
          RoleArn: "arn:aws:iam::123456789012:role/pinpoint",
          ExternalId: "ext",
          UserDataShared: true,
        },
        PreventUserExistenceErrors: "ENABLED" as const,
        EnableTokenRevocation: false,
        EnablePropagateAdditionalUserContextData: true,
        AuthSessionValidity: 15,
        RefreshTokenRotation: { Feature: "ENABLED" as const, RetryGracePeriodSeconds: 10 },
      };
      const c = await newClient(
        {
          ...input,
          ExplicitAuthFlows: [...input.ExplicitAuthFlows],
          AllowedOAuthFlows: [...input.AllowedOAuthFlows],
        },
        pool,
      );
      const { ClientName: _n, GenerateSecret: _g, ...settings } = input;
      for (const [key, value] of Object.entries(settings))
        assert.deepEqual(c[key as keyof UserPoolClientType], value, key);
      assert.equal(c.ClientName, "full");
      assert.match(c.ClientSecret ?? "", /^[a-z0-9]{51}$/);
      assert.deepEqual(await describe_(c.ClientId!, pool), c);
    });

    test("GenerateSecret creates the client's first secret, listed by ListUserPoolClientSecrets", async () => {
      const c = await newClient({ GenerateSecret: true });
      assert.ok(c.ClientSecret);
      const { ClientSecrets } = await cognito.send(
        new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: c.ClientId }),
      );
      assert.equal(ClientSecrets?.length, 1);
      assert.match(ClientSecrets![0]!.ClientSecretId ?? "", new RegExp(`^${c.ClientId}--\\d+$`));
      assert.equal(ClientSecrets![0]!.ClientSecretValue, undefined);
      assert.deepEqual(ClientSecrets![0]!.ClientSecretCreateDate, c.CreationDate);
    });

    test("a caller-provided ClientSecret becomes the client's secret", async () => {
      const value = "my_own_secret_value_0123456789";
      const c = await newClient({ ClientSecret: value });
      assert.equal(c.ClientSecret, value);
      assert.equal((await describe_(c.ClientId!)).ClientSecret, value);
    });

    test("GenerateSecret together with a ClientSecret is refused", async () => {
      await refusedCreate(
        { GenerateSecret: true, ClientSecret: "my_own_secret_value_0123456789" },
        "InvalidParameterException",
        /GenerateSecret/,
      );
    });

    test("an unknown pool is ResourceNotFoundException", async () => {
      await rejectsWith(
        newClient({}, "us-east-1_NoSuchOne"),
        "ResourceNotFoundException",
        400,
        /^User pool us-east-1_NoSuchOne does not exist\.$/,
      );
      await rejectsWith(
        describe_("abcdefghijklmnopqrstuvwxyz", "us-east-1_NoSuchOne"),
        "ResourceNotFoundException",
        400,
      );
    });

    test("an unknown client is ResourceNotFoundException in Cognito's words", async () => {
      await rejectsWith(
        describe_("abcdefghijklmnopqrstuvwxyz"),
        "ResourceNotFoundException",
        400,
        /^User pool client abcdefghijklmnopqrstuvwxyz does not exist\.$/,
      );
    });

    test("a client of another pool is not found through this pool", async () => {
      const other = await newPool();
      const c = await newClient({}, other);
      await rejectsWith(describe_(c.ClientId!), "ResourceNotFoundException", 400);
    });
  });
});
