import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { type Case, type Settings, clientsSuite } from "./setup.ts";

describe("app clients and client secrets", () => {
  const suite = clientsSuite();
  const { newPool, newClient, refusedCreate } = suite;
  let poolId: string;
  before(() => {
    ({ poolId } = suite);
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
});
