import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AddUserPoolClientSecretCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DeleteUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientSecretsCommand,
  ListUserPoolClientsCommand,
  UpdateUserPoolClientCommand,
  type UserPoolClientType,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { startServer, type TestServer } from "../support/server.ts";

type Settings = Partial<CreateUserPoolClientCommandInput>;
/** A refused request: what it tries, the extra input, and the message expected. */
type Case = [string, Settings, RegExp];

describe("app clients and client secrets", () => {
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  let poolId: string;

  before(async () => {
    server = await startServer();
    cognito = server.client();
    poolId = await newPool();
  });
  after(() => server.stop());

  async function newPool(input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
    const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: "clients", ...input }));
    return UserPool!.Id!;
  }

  async function newClient(
    extra: Partial<CreateUserPoolClientCommandInput> = {},
    pool = poolId,
  ): Promise<UserPoolClientType> {
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: "app", ...extra }),
    );
    return UserPoolClient!;
  }

  async function describe_(clientId: string, pool = poolId): Promise<UserPoolClientType> {
    const { UserPoolClient } = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: pool, ClientId: clientId }),
    );
    return UserPoolClient!;
  }

  async function clientIds(pool: string): Promise<string[]> {
    const ids: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cognito.send(
        new ListUserPoolClientsCommand({ UserPoolId: pool, MaxResults: 60, NextToken }),
      );
      ids.push(...(page.UserPoolClients ?? []).map((c) => c.ClientId!));
      NextToken = page.NextToken;
    } while (NextToken);
    return ids;
  }

  async function secretIds(clientId: string, pool = poolId): Promise<string[]> {
    const { ClientSecrets } = await cognito.send(
      new ListUserPoolClientSecretsCommand({ UserPoolId: pool, ClientId: clientId }),
    );
    return (ClientSecrets ?? []).map((s) => s.ClientSecretId!);
  }

  /** Asserts that a refused create left the pool's client list as it was. */
  async function refusedCreate(
    extra: Partial<CreateUserPoolClientCommandInput>,
    name: string,
    message?: RegExp,
    pool = poolId,
  ): Promise<void> {
    const before_ = await clientIds(pool);
    await rejectsWith(newClient(extra, pool), name, 400, message);
    assert.deepEqual(await clientIds(pool), before_);
  }

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

  describe("token validity", () => {
    test("values are counted in TokenValidityUnits; missing units take their defaults", async () => {
      const c = await newClient({
        AccessTokenValidity: 5,
        IdTokenValidity: 1440,
        TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes" },
      });
      assert.equal(c.AccessTokenValidity, 5);
      assert.equal(c.IdTokenValidity, 1440);
      assert.deepEqual(c.TokenValidityUnits, {
        AccessToken: "minutes",
        IdToken: "minutes",
        RefreshToken: "days",
      });
      assert.equal(c.RefreshTokenValidity, 30);
    });

    test("refresh validity left out or 0 is 30 days, in the chosen unit", async () => {
      const zero = await newClient({ RefreshTokenValidity: 0 });
      assert.equal(zero.RefreshTokenValidity, 30);
      const hours = await newClient({ TokenValidityUnits: { RefreshToken: "hours" } });
      assert.equal(hours.RefreshTokenValidity, 720);
      const tenYears = await newClient({ RefreshTokenValidity: 3650 });
      assert.equal(tenYears.RefreshTokenValidity, 3650);
      const hour = await newClient({
        RefreshTokenValidity: 60,
        TokenValidityUnits: { RefreshToken: "minutes" },
      });
      assert.equal(hour.RefreshTokenValidity, 60);
    });

    for (const [what, extra] of [
      [
        "access token under 5 minutes",
        { AccessTokenValidity: 299, TokenValidityUnits: { AccessToken: "seconds" } },
      ],
      ["access token over 1 day", { AccessTokenValidity: 25 }],
      ["ID token over 1 day", { IdTokenValidity: 2, TokenValidityUnits: { IdToken: "days" } }],
      ["ID token under 5 minutes", { IdTokenValidity: 4, TokenValidityUnits: { IdToken: "minutes" } }],
      [
        "refresh token under 60 minutes",
        { RefreshTokenValidity: 59, TokenValidityUnits: { RefreshToken: "minutes" } },
      ],
      ["refresh token over 10 years", { RefreshTokenValidity: 3651 }],
    ] satisfies [string, Settings][])
      test(`${what} is InvalidParameterException`, async () => {
        await refusedCreate(
          extra,
          "InvalidParameterException",
          /^Invalid range for token validity\. \w+TokenValidity must be between/,
        );
      });
  });

  describe("read and write attributes", () => {
    let strictPool: string;
    before(async () => {
      strictPool = await newPool({
        Schema: [
          { Name: "email", Required: true, Mutable: true },
          { Name: "badge", AttributeDataType: "String", Mutable: false },
          { Name: "secret", AttributeDataType: "String", DeveloperOnlyAttribute: true },
        ],
      });
    });

    test("standard and custom attributes of the pool are accepted", async () => {
      const c = await newClient(
        { ReadAttributes: ["email", "custom:badge", "name"], WriteAttributes: ["email", "name"] },
        strictPool,
      );
      assert.deepEqual(c.ReadAttributes, ["email", "custom:badge", "name"]);
      assert.deepEqual(c.WriteAttributes, ["email", "name"]);
    });

    for (const [what, extra, message] of [
      [
        "an unknown read attribute",
        { ReadAttributes: ["custom:nope"] },
        /^Invalid read attributes specified while creating a client/,
      ],
      [
        "a developer-only read attribute",
        { ReadAttributes: ["dev:custom:secret"] },
        /^Invalid read attributes/,
      ],
      [
        "an unknown write attribute",
        { WriteAttributes: ["email", "shoe_size"] },
        /^Invalid write attributes specified while creating a client/,
      ],
      [
        "an immutable write attribute",
        { WriteAttributes: ["email", "custom:badge"] },
        /custom:badge cannot be written/,
      ],
      ["sub as a write attribute", { WriteAttributes: ["email", "sub"] }, /sub cannot be written/],
      [
        "email_verified as a write attribute",
        { WriteAttributes: ["email", "email_verified"] },
        /email_verified cannot be written/,
      ],
      [
        "write attributes without a required attribute",
        { WriteAttributes: ["name"] },
        /required attribute email must be writable/,
      ],
    ] satisfies Case[])
      test(`${what} is InvalidParameterException`, async () => {
        await refusedCreate(extra, "InvalidParameterException", message, strictPool);
      });
  });

  describe("ExplicitAuthFlows and identity providers", () => {
    test("legacy values alone are accepted as given", async () => {
      const c = await newClient({ ExplicitAuthFlows: ["USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"] });
      assert.deepEqual(c.ExplicitAuthFlows, ["USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"]);
    });

    test("legacy and ALLOW_ values together are refused", async () => {
      await refusedCreate(
        { ExplicitAuthFlows: ["USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
        "InvalidParameterException",
        /legacy/,
      );
    });

    test("ALLOW_ values without ALLOW_REFRESH_TOKEN_AUTH are refused", async () => {
      await refusedCreate(
        { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] },
        "InvalidParameterException",
        /^REFRESH_TOKEN_AUTH should always be allowed\.$/,
      );
    });

    test("ALLOW_USER_AUTH needs a pool above the Lite tier", async () => {
      const lite = await newPool({ UserPoolTier: "LITE" });
      await refusedCreate(
        { ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
        "FeatureUnavailableInTierException",
        /Essentials/,
        lite,
      );
      const c = await newClient({ ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] });
      assert.deepEqual(c.ExplicitAuthFlows, ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
    });

    test("an identity provider other than COGNITO is refused by name", async () => {
      await refusedCreate(
        { SupportedIdentityProviders: ["COGNITO", "Google"] },
        "InvalidParameterException",
        new RegExp(`^The provider Google does not exist for User Pool ${poolId}$`),
      );
    });
  });

  describe("redirect URLs and OAuth", () => {
    const oauth = {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code" as const],
      AllowedOAuthScopes: ["openid"],
    };

    for (const [what, extra, message] of [
      [
        "an http callback URL to another host",
        { CallbackURLs: ["http://app.example.com/cb"] },
        /CallbackURLs must use HTTPS/,
      ],
      [
        "an http logout URL to another host",
        { LogoutURLs: ["http://app.example.com/bye"] },
        /LogoutURLs must use HTTPS/,
      ],
      ["a callback URL with a fragment", { CallbackURLs: ["https://app.example.com/cb#x"] }, /fragment/],
      ["a relative callback URL", { CallbackURLs: ["/cb"] }, /absolute/],
      [
        "a DefaultRedirectURI outside CallbackURLs",
        { CallbackURLs: ["https://a.example.com/cb"], DefaultRedirectURI: "https://b.example.com/cb" },
        /must be one of the CallbackURLs/,
      ],
    ] satisfies Case[])
      test(`${what} is InvalidParameterException`, async () => {
        await refusedCreate(extra, "InvalidParameterException", message);
      });

    test("loopback http callbacks and app schemes are accepted", async () => {
      const urls = [
        "http://localhost:8080/cb",
        "http://127.0.0.1/cb",
        "http://[::1]:9000/cb",
        "com.example.app://cb",
      ];
      const c = await newClient({ ...oauth, CallbackURLs: urls, DefaultRedirectURI: urls[0] });
      assert.deepEqual(c.CallbackURLs, urls);
      assert.equal(c.DefaultRedirectURI, urls[0]);
    });

    for (const [what, extra, name, message] of [
      [
        "OAuth on without flows",
        { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ["openid"] },
        "InvalidOAuthFlowException",
        /^AllowedOAuthFlows and AllowedOAuthScopes are required/,
      ],
      [
        "OAuth on without scopes",
        {
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ["code"],
          CallbackURLs: ["https://a.example.com"],
        },
        "InvalidOAuthFlowException",
        /^AllowedOAuthFlows and AllowedOAuthScopes are required/,
      ],
      [
        "the code flow without callback URLs",
        oauth,
        "InvalidOAuthFlowException",
        /^CallbackUrls can not be empty when code flow or implicit flow is selected$/,
      ],
      [
        "client_credentials without a secret",
        {
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ["client_credentials"],
          AllowedOAuthScopes: ["api/read"],
        },
        "InvalidOAuthFlowException",
        /^client_credentials flow can not be selected if client does not have a client secret\.$/,
      ],
      [
        "client_credentials with code",
        {
          GenerateSecret: true,
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ["client_credentials", "code"],
          AllowedOAuthScopes: ["openid"],
          CallbackURLs: ["https://a.example.com"],
        },
        "InvalidOAuthFlowException",
        /^client_credentials flow can not be selected along with code flow or implicit flow\.$/,
      ],
      [
        "client_credentials with a standard scope",
        {
          GenerateSecret: true,
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ["client_credentials"],
          AllowedOAuthScopes: ["openid"],
        },
        "InvalidOAuthFlowException",
        /^openid is not supported with client_credentials flow$/,
      ],
      [
        "a custom scope (no resource servers exist)",
        { ...oauth, CallbackURLs: ["https://a.example.com"], AllowedOAuthScopes: ["openid", "api/read"] },
        "ScopeDoesNotExistException",
        /^Invalid scope requested: api\/read$/,
      ],
      [
        "a scope Cognito does not know",
        { ...oauth, CallbackURLs: ["https://a.example.com"], AllowedOAuthScopes: ["Cognito"] },
        "ScopeDoesNotExistException",
        /^Invalid scope requested: Cognito$/,
      ],
    ] satisfies [string, Settings, string, RegExp][])
      test(`${what} is ${name}`, async () => {
        await refusedCreate(extra, name, message);
      });

    test("EnablePropagateAdditionalUserContextData needs a client secret", async () => {
      await refusedCreate(
        { EnablePropagateAdditionalUserContextData: true },
        "InvalidParameterException",
        /client secret/,
      );
      const c = await newClient({ GenerateSecret: true, EnablePropagateAdditionalUserContextData: true });
      assert.equal(c.EnablePropagateAdditionalUserContextData, true);
    });
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

  describe("DeleteUserPoolClient", () => {
    test("the client and its secrets are gone", async () => {
      const c = await newClient({ GenerateSecret: true });
      await cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId }));
      await rejectsWith(describe_(c.ClientId!), "ResourceNotFoundException", 400);
      assert.ok(!(await clientIds(poolId)).includes(c.ClientId!));
      await rejectsWith(secretIds(c.ClientId!), "ResourceNotFoundException", 400);
      await rejectsWith(
        cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId })),
        "ResourceNotFoundException",
        400,
        /^User pool client \w+ does not exist\.$/,
      );
    });

    test("an unknown pool is ResourceNotFoundException", async () => {
      await rejectsWith(
        cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: "us-east-1_NoSuchOne", ClientId: "abc" })),
        "ResourceNotFoundException",
        400,
      );
    });
  });

  describe("ListUserPoolClients", () => {
    test("pages through every client with stable tokens", async () => {
      const pool = await newPool();
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push((await newClient({ ClientName: `c${i}` }, pool)).ClientId!);
      const seen: string[] = [];
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const page = await cognito.send(
          new ListUserPoolClientsCommand({ UserPoolId: pool, MaxResults: 2, NextToken }),
        );
        assert.ok((page.UserPoolClients?.length ?? 0) <= 2);
        for (const d of page.UserPoolClients ?? []) {
          assert.equal(d.UserPoolId, pool);
          assert.match(d.ClientName ?? "", /^c\d$/);
          assert.deepEqual(Object.keys(d).sort(), ["ClientId", "ClientName", "UserPoolId"]);
          seen.push(d.ClientId!);
        }
        NextToken = page.NextToken;
        pages++;
      } while (NextToken);
      assert.equal(pages, 3);
      assert.deepEqual(seen, created);
    });

    test("a token of another pool's list is refused", async () => {
      const pool = await newPool();
      await newClient({}, pool);
      await newClient({}, pool);
      const page = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: pool, MaxResults: 1 }));
      assert.ok(page.NextToken);
      await rejectsWith(
        cognito.send(
          new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 1, NextToken: page.NextToken }),
        ),
        "InvalidParameterException",
        400,
      );
    });

    test("ClientType filters: every client is REGULAR, none is DCR", async () => {
      const pool = await newPool();
      const c = await newClient({}, pool);
      const regular = await cognito.send(
        new ListUserPoolClientsCommand({ UserPoolId: pool, ClientType: "REGULAR" }),
      );
      assert.deepEqual(
        regular.UserPoolClients?.map((d) => d.ClientId),
        [c.ClientId],
      );
      const dcr = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: pool, ClientType: "DCR" }));
      assert.deepEqual(dcr.UserPoolClients, []);
    });

    test("an empty pool lists none; an unknown pool is ResourceNotFoundException", async () => {
      const pool = await newPool();
      const { UserPoolClients, NextToken } = await cognito.send(
        new ListUserPoolClientsCommand({ UserPoolId: pool }),
      );
      assert.deepEqual(UserPoolClients, []);
      assert.equal(NextToken, undefined);
      await rejectsWith(
        cognito.send(new ListUserPoolClientsCommand({ UserPoolId: "us-east-1_NoSuchOne" })),
        "ResourceNotFoundException",
        400,
      );
    });
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
