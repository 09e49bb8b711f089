import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CreateIdentityProviderCommandInput } from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import {
  AMAZON_DETAILS,
  APPLE_DETAILS,
  FACEBOOK_DETAILS,
  GOOGLE_DETAILS,
  OIDC_DETAILS,
  samlMetadata,
} from "../../support/federation.ts";
import { identityProvidersSuite } from "./setup.ts";

describe("identity providers", () => {
  const suite = identityProvidersSuite();
  const { newPool, create, describeIdp, names } = suite;

  test("Google: created with the username mapped from sub, described with Google's endpoints", async () => {
    const poolId = await newPool();
    const created = await create(poolId, {
      ProviderName: "Google",
      ProviderType: "Google",
      ProviderDetails: GOOGLE_DETAILS,
    });
    assert.equal(created.UserPoolId, poolId);
    assert.equal(created.ProviderName, "Google");
    assert.equal(created.ProviderType, "Google");
    assert.deepEqual(created.AttributeMapping, { username: "sub" });
    assert.equal(created.IdpIdentifiers, undefined, "not echoed when the request gave none");
    assert.ok(created.CreationDate instanceof Date && created.LastModifiedDate instanceof Date);
    const described = await describeIdp(poolId, "Google");
    assert.deepEqual(described.IdpIdentifiers, []);
    assert.deepEqual(described.ProviderDetails, {
      attributes_url: "https://people.googleapis.com/v1/people/me?personFields=",
      attributes_url_add_attributes: "true",
      authorize_scopes: "email profile openid",
      authorize_url: "https://accounts.google.com/o/oauth2/v2/auth",
      client_id: GOOGLE_DETAILS.client_id,
      client_secret: GOOGLE_DETAILS.client_secret,
      oidc_issuer: "https://accounts.google.com",
      token_request_method: "POST",
      token_url: "https://www.googleapis.com/oauth2/v4/token",
    });
  });

  test("Facebook, Login with Amazon and Sign in with Apple: their subject claims and endpoints", async () => {
    const poolId = await newPool();
    const facebook = await create(poolId, {
      ProviderName: "Facebook",
      ProviderType: "Facebook",
      ProviderDetails: { ...FACEBOOK_DETAILS, api_version: "v17.0" },
    });
    assert.deepEqual(facebook.AttributeMapping, { username: "id" });
    assert.equal(facebook.ProviderDetails!.authorize_url, "https://www.facebook.com/v17.0/dialog/oauth");
    assert.equal(facebook.ProviderDetails!.attributes_url, "https://graph.facebook.com/v17.0/me?fields=");
    assert.equal(facebook.ProviderDetails!.token_request_method, "GET");

    const amazon = await create(poolId, {
      ProviderName: "LoginWithAmazon",
      ProviderType: "LoginWithAmazon",
      ProviderDetails: AMAZON_DETAILS,
    });
    assert.deepEqual(amazon.AttributeMapping, { username: "user_id" });
    assert.equal(amazon.ProviderDetails!.token_url, "https://api.amazon.com/auth/o2/token");

    const apple = await create(poolId, {
      ProviderName: "SignInWithApple",
      ProviderType: "SignInWithApple",
      ProviderDetails: APPLE_DETAILS,
    });
    assert.deepEqual(apple.AttributeMapping, { username: "sub" });
    assert.equal(apple.ProviderDetails!.oidc_issuer, "https://appleid.apple.com");
    assert.equal(apple.ProviderDetails!.private_key, undefined, "the private key is never shown back");
    assert.equal(apple.ProviderDetails!.team_id, APPLE_DETAILS.team_id);
  });

  test("a social provider is named after its type, and no other provider takes a social name", async () => {
    const poolId = await newPool();
    await rejectsWith(
      create(poolId, { ProviderName: "MyGoogle", ProviderType: "Google", ProviderDetails: GOOGLE_DETAILS }),
      "InvalidParameterException",
      400,
      /^Provider MyGoogle cannot be of type Google\.$/,
    );
    await rejectsWith(
      create(poolId, { ProviderName: "Google", ProviderType: "OIDC", ProviderDetails: OIDC_DETAILS }),
      "InvalidParameterException",
      400,
      /^Provider Google cannot be of type OIDC\.$/,
    );
    assert.deepEqual(await names(poolId), []);
  });

  test("ProviderDetails are checked per type, with Cognito's messages", async () => {
    const poolId = await newPool();
    const cases: [Omit<CreateIdentityProviderCommandInput, "UserPoolId">, RegExp][] = [
      [
        {
          ProviderName: "Google",
          ProviderType: "Google",
          ProviderDetails: { client_id: "x", authorize_scopes: "email" },
        },
        /^clientId, clientSecret and authorizeScopes are all required idp details\.$/,
      ],
      [
        {
          ProviderName: "Facebook",
          ProviderType: "Facebook",
          ProviderDetails: { client_id: "x", client_secret: "y" },
        },
        /^clientId, clientSecret and authorizeScopes are all required idp details\.$/,
      ],
      [
        {
          ProviderName: "SignInWithApple",
          ProviderType: "SignInWithApple",
          ProviderDetails: { client_id: "x", team_id: "t", key_id: "k" },
        },
        /^clientId, privateKey, teamId, and keyId are all required idp details\.$/,
      ],
      [
        {
          ProviderName: "Okta",
          ProviderType: "OIDC",
          ProviderDetails: { client_id: "x", authorize_scopes: "openid" },
        },
        /^clientId, authorizeScopes, oidcIssuer and attributesRequestMethod are all required idp details\.$/,
      ],
      [
        {
          ProviderName: "Okta",
          ProviderType: "OIDC",
          ProviderDetails: { ...OIDC_DETAILS, attributes_request_method: "PUT" },
        },
        /attributes_request_method must be GET or POST/,
      ],
      [
        { ProviderName: "Corp", ProviderType: "SAML", ProviderDetails: { IDPSignout: "true" } },
        /^At least one of the MetadataURL or MetadataFile should be provided\.$/,
      ],
      [
        {
          ProviderName: "Corp",
          ProviderType: "SAML",
          ProviderDetails: { MetadataFile: "<html>not metadata</html>" },
        },
        /^Invalid SAML metadata: no EntityDescriptor element\.$/,
      ],
      [
        {
          ProviderName: "Corp",
          ProviderType: "SAML",
          ProviderDetails: { MetadataFile: samlMetadata("urn:corp"), RequestSigningAlgorithm: "rsa-sha1" },
        },
        /RequestSigningAlgorithm must be rsa-sha256/,
      ],
    ];
    for (const [input, message] of cases)
      await rejectsWith(create(poolId, input), "InvalidParameterException", 400, message);
    assert.deepEqual(await names(poolId), [], "nothing was created");
  });
});
