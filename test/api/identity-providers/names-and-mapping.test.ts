import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AddCustomAttributesCommand,
  type CognitoIdentityProviderClient,
  GetIdentityProviderByIdentifierCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { OIDC_DETAILS, samlMetadata } from "../../support/federation.ts";
import { identityProvidersSuite } from "./setup.ts";

describe("identity providers", () => {
  const suite = identityProvidersSuite();
  const { newPool, create, describeIdp, names } = suite;
  let cognito: CognitoIdentityProviderClient;
  before(() => {
    ({ cognito } = suite);
  });

  test("a second provider of the same name is a DuplicateProviderException and changes nothing", async () => {
    const poolId = await newPool();
    await create(poolId, { ProviderName: "Okta", ProviderType: "OIDC", ProviderDetails: OIDC_DETAILS });
    await rejectsWith(
      create(poolId, {
        ProviderName: "Okta",
        ProviderType: "OIDC",
        ProviderDetails: { ...OIDC_DETAILS, client_id: "other" },
      }),
      "DuplicateProviderException",
      400,
      new RegExp(`^Okta already exists for tenant ${poolId}\\.$`),
    );
    assert.equal((await describeIdp(poolId, "Okta")).ProviderDetails!.client_id, OIDC_DETAILS.client_id);
  });

  test("IdP identifiers: echoed, found by GetIdentityProviderByIdentifier, unique in the pool", async () => {
    const poolId = await newPool();
    const created = await create(poolId, {
      ProviderName: "Okta",
      ProviderType: "OIDC",
      ProviderDetails: OIDC_DETAILS,
      IdpIdentifiers: ["example.com", "okta"],
    });
    assert.deepEqual(created.IdpIdentifiers, ["example.com", "okta"]);
    const { IdentityProvider } = await cognito.send(
      new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: "example.com" }),
    );
    assert.equal(IdentityProvider!.ProviderName, "Okta");
    assert.deepEqual(IdentityProvider!.IdpIdentifiers, ["example.com", "okta"]);
    await rejectsWith(
      create(poolId, {
        ProviderName: "Corp",
        ProviderType: "SAML",
        ProviderDetails: { MetadataFile: samlMetadata("urn:corp") },
        IdpIdentifiers: ["okta"],
      }),
      "DuplicateProviderException",
      400,
      /okta/,
    );
    await rejectsWith(
      cognito.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: "nope" })),
      "ResourceNotFoundException",
      400,
    );
    await rejectsWith(
      create(poolId, {
        ProviderName: "Bad",
        ProviderType: "OIDC",
        ProviderDetails: OIDC_DETAILS,
        IdpIdentifiers: ["bad/identifier"],
      }),
      "InvalidParameterException",
      400,
      /failed to satisfy constraint/,
    );
    assert.deepEqual(await names(poolId), ["Okta"]);
  });

  test("AttributeMapping names attributes of the pool, custom ones included", async () => {
    const poolId = await newPool();
    await rejectsWith(
      create(poolId, {
        ProviderName: "Okta",
        ProviderType: "OIDC",
        ProviderDetails: OIDC_DETAILS,
        AttributeMapping: { email: "email", "custom:team": "team" },
      }),
      "InvalidParameterException",
      400,
      /^AttributeMapping contains invalid mapping: \[custom:team\]$/,
    );
    await cognito.send(
      new AddCustomAttributesCommand({
        UserPoolId: poolId,
        CustomAttributes: [{ Name: "team", AttributeDataType: "String" }],
      }),
    );
    const created = await create(poolId, {
      ProviderName: "Okta",
      ProviderType: "OIDC",
      ProviderDetails: OIDC_DETAILS,
      AttributeMapping: { email: "email", "custom:team": "team" },
    });
    assert.deepEqual(created.AttributeMapping, { email: "email", "custom:team": "team" });
  });

  test("the model's constraints: an unknown ProviderType, a name with an underscore", async () => {
    const poolId = await newPool();
    await rejectsWith(
      create(poolId, {
        ProviderName: "Bogus",
        ProviderType: "NotARealType" as "OIDC",
        ProviderDetails: { client_id: "x" },
      }),
      "InvalidParameterException",
      400,
      /Value 'NotARealType' at 'providerType' failed to satisfy constraint: Member must satisfy enum value set/,
    );
    await rejectsWith(
      create(poolId, { ProviderName: "_Okta", ProviderType: "OIDC", ProviderDetails: OIDC_DETAILS }),
      "InvalidParameterException",
      400,
      /at 'providerName' failed to satisfy constraint/,
    );
    await rejectsWith(
      create(poolId, { ProviderName: "Cognito", ProviderType: "OIDC", ProviderDetails: OIDC_DETAILS }),
      "InvalidParameterException",
      400,
      /reserved/,
    );
  });
});
