import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { rejectsWith } from "../../support/assert.ts";
import { GOOGLE_DETAILS, OIDC_DETAILS, samlMetadata } from "../../support/federation.ts";
import { identityProvidersSuite } from "./setup.ts";

describe("identity providers", () => {
  const suite = identityProvidersSuite();
  const { newPool, create } = suite;
  let metadataUrl: string;
  before(() => {
    ({ metadataUrl } = suite);
  });

  test("OIDC: the details as given, attributes_url_add_attributes added; AcrMapping for OIDC only", async () => {
    const poolId = await newPool();
    const details = { ...OIDC_DETAILS, jwks_uri: "https://auth.example.com/.well-known/jwks.json" };
    const created = await create(poolId, {
      ProviderName: "Okta",
      ProviderType: "OIDC",
      ProviderDetails: details,
      AcrMapping: { Level1: "urn:okta:loa:1fa:any" },
    });
    assert.deepEqual(created.ProviderDetails, { ...details, attributes_url_add_attributes: "false" });
    assert.deepEqual(created.AttributeMapping, { username: "sub" });
    assert.deepEqual(created.AcrMapping, { Level1: "urn:okta:loa:1fa:any" });
    await rejectsWith(
      create(poolId, {
        ProviderName: "Google",
        ProviderType: "Google",
        ProviderDetails: GOOGLE_DETAILS,
        AcrMapping: { Level1: "x" },
      }),
      "InvalidParameterException",
      400,
      /AcrMapping is supported only for OIDC/,
    );
  });

  test("SAML from a MetadataFile: the IdP's endpoints read from it", async () => {
    const poolId = await newPool();
    const created = await create(poolId, {
      ProviderName: "Corp",
      ProviderType: "SAML",
      ProviderDetails: { MetadataFile: samlMetadata("urn:corp"), IDPSignout: "true" },
      AttributeMapping: { email: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" },
    });
    assert.equal(created.ProviderDetails!.SSORedirectBindingURI, "https://idp.example.com/sso");
    assert.equal(created.ProviderDetails!.SLORedirectBindingURI, "https://idp.example.com/slo");
    assert.equal(created.ProviderDetails!.IDPSignout, "true");
    assert.ok(created.ProviderDetails!.MetadataFile!.includes("urn:corp"));
    assert.deepEqual(created.AttributeMapping, {
      email: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    });
  });

  test("SAML from a MetadataURL: fetched when the provider is created; an unreachable one is refused", async () => {
    const poolId = await newPool();
    const created = await create(poolId, {
      ProviderName: "ByUrl",
      ProviderType: "SAML",
      ProviderDetails: { MetadataURL: metadataUrl },
    });
    assert.equal(created.ProviderDetails!.MetadataURL, metadataUrl);
    assert.equal(created.ProviderDetails!.SSORedirectBindingURI, "https://sso.example.org/sso");
    assert.equal(created.ProviderDetails!.MetadataFile, undefined);
    await rejectsWith(
      create(poolId, {
        ProviderName: "Gone",
        ProviderType: "SAML",
        ProviderDetails: { MetadataURL: metadataUrl.replace("/metadata", "/missing") },
      }),
      "InvalidParameterException",
      400,
      /^Unable to retrieve the SAML metadata from http:\/\/127\.0\.0\.1:\d+\/missing\.$/,
    );
  });
});
