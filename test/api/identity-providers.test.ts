import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, test } from "node:test";
import {
  AddCustomAttributesCommand,
  type CognitoIdentityProviderClient,
  CreateIdentityProviderCommand,
  type CreateIdentityProviderCommandInput,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteIdentityProviderCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  GetIdentityProviderByIdentifierCommand,
  type IdentityProviderType,
  ListIdentityProvidersCommand,
  UpdateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import {
  AMAZON_DETAILS,
  APPLE_DETAILS,
  FACEBOOK_DETAILS,
  GOOGLE_DETAILS,
  OIDC_DETAILS,
  samlMetadata,
} from "../support/federation.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("identity providers", () => {
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  let metadataServer: Server;
  let metadataUrl: string;

  before(async () => {
    // The metadata server below listens on 127.0.0.1: private addresses must be allowed.
    server = await startServer({ env: { LANYARD_ALLOW_PRIVATE_METADATA_URLS: "1" } });
    cognito = server.client();
    // A SAML IdP publishing its metadata, as CreateIdentityProvider's MetadataURL points at.
    metadataServer = createServer((req, res) => {
      if (req.url === "/metadata") {
        res.writeHead(200, { "content-type": "application/samlmetadata+xml" });
        res.end(samlMetadata("urn:example:idp-by-url", "https://sso.example.org"));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => metadataServer.listen(0, "127.0.0.1", resolve));
    const address = metadataServer.address();
    metadataUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/metadata`;
  });
  after(async () => {
    await server.stop();
    await new Promise((resolve) => metadataServer.close(resolve));
  });

  async function newPool(): Promise<string> {
    const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: "idps" }));
    return UserPool!.Id!;
  }

  async function create(
    poolId: string,
    input: Omit<CreateIdentityProviderCommandInput, "UserPoolId">,
  ): Promise<IdentityProviderType> {
    const { IdentityProvider } = await cognito.send(
      new CreateIdentityProviderCommand({ UserPoolId: poolId, ...input }),
    );
    return IdentityProvider!;
  }

  async function describeIdp(poolId: string, name: string): Promise<IdentityProviderType> {
    const { IdentityProvider } = await cognito.send(
      new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: name }),
    );
    return IdentityProvider!;
  }

  async function names(poolId: string): Promise<string[]> {
    const { Providers } = await cognito.send(new ListIdentityProvidersCommand({ UserPoolId: poolId }));
    return Providers!.map((p) => p.ProviderName!);
  }

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

  test("UpdateIdentityProvider keeps what it is not given, clears what it is given empty", async () => {
    const poolId = await newPool();
    await create(poolId, {
      ProviderName: "Okta",
      ProviderType: "OIDC",
      ProviderDetails: OIDC_DETAILS,
      AttributeMapping: { email: "email", username: "sub" },
      IdpIdentifiers: ["keep"],
    });
    const updated = (
      await cognito.send(
        new UpdateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: "Okta",
          ProviderDetails: { ...OIDC_DETAILS, client_id: "new-client" },
        }),
      )
    ).IdentityProvider!;
    assert.equal(updated.ProviderDetails!.client_id, "new-client");
    assert.equal(updated.IdpIdentifiers, undefined, "the response omits identifiers it was not given");
    let described = await describeIdp(poolId, "Okta");
    assert.deepEqual(described.IdpIdentifiers, ["keep"]);
    assert.deepEqual(described.AttributeMapping, { email: "email", username: "sub" });

    const cleared = (
      await cognito.send(
        new UpdateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: "Okta",
          AttributeMapping: {},
          IdpIdentifiers: [],
        }),
      )
    ).IdentityProvider!;
    assert.deepEqual(cleared.IdpIdentifiers, []);
    described = await describeIdp(poolId, "Okta");
    assert.deepEqual(described.AttributeMapping, {});
    assert.deepEqual(described.IdpIdentifiers, []);
    assert.equal(described.ProviderDetails!.client_id, "new-client");
  });

  test("UpdateIdentityProvider: an unknown provider, or bad details, are refused and change nothing", async () => {
    const poolId = await newPool();
    await create(poolId, { ProviderName: "Google", ProviderType: "Google", ProviderDetails: GOOGLE_DETAILS });
    await rejectsWith(
      cognito.send(
        new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: "Nope", AttributeMapping: {} }),
      ),
      "ResourceNotFoundException",
      400,
      new RegExp(`^Identity provider Nope in User Pool ${poolId} does not exist\\.$`),
    );
    await rejectsWith(
      cognito.send(
        new UpdateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: "Google",
          ProviderDetails: { client_id: "only" },
          AttributeMapping: { email: "email" },
        }),
      ),
      "InvalidParameterException",
      400,
      /required idp details/,
    );
    const described = await describeIdp(poolId, "Google");
    assert.equal(described.ProviderDetails!.client_id, GOOGLE_DETAILS.client_id);
    assert.deepEqual(described.AttributeMapping, { username: "sub" });
    // A description sent back as the update changes nothing.
    await cognito.send(
      new UpdateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: "Google",
        ProviderDetails: described.ProviderDetails!,
      }),
    );
    assert.deepEqual((await describeIdp(poolId, "Google")).ProviderDetails, described.ProviderDetails);
  });

  test("DescribeIdentityProvider of an unknown provider: ResourceNotFoundException", async () => {
    const poolId = await newPool();
    await rejectsWith(
      describeIdp(poolId, "Nope"),
      "ResourceNotFoundException",
      400,
      new RegExp(`^Identity provider Nope for tenantId ${poolId} does not exist\\.$`),
    );
    await rejectsWith(
      describeIdp("us-east-1_missing00", "Nope"),
      "ResourceNotFoundException",
      400,
      /User pool/,
    );
  });

  test("ListIdentityProviders pages through names, types and dates, never details", async () => {
    const poolId = await newPool();
    for (const name of ["A", "B", "C"])
      await create(poolId, {
        ProviderName: `Okta${name}`,
        ProviderType: "OIDC",
        ProviderDetails: OIDC_DETAILS,
      });
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cognito.send(
        new ListIdentityProvidersCommand({ UserPoolId: poolId, MaxResults: 2, NextToken }),
      );
      assert.ok(page.Providers!.length <= 2);
      for (const p of page.Providers!) {
        assert.equal(p.ProviderType, "OIDC");
        assert.ok(p.CreationDate instanceof Date && p.LastModifiedDate instanceof Date);
        assert.equal((p as Record<string, unknown>).ProviderDetails, undefined);
        seen.push(p.ProviderName!);
      }
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(seen, ["OktaA", "OktaB", "OktaC"]);
  });

  test("app clients may support the pool's providers; deleting a provider removes it from them", async () => {
    const poolId = await newPool();
    await rejectsWith(
      cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "web",
          SupportedIdentityProviders: ["COGNITO", "Google"],
        }),
      ),
      "InvalidParameterException",
      400,
      new RegExp(`^The provider Google does not exist for User Pool ${poolId}$`),
    );
    await create(poolId, { ProviderName: "Google", ProviderType: "Google", ProviderDetails: GOOGLE_DETAILS });
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "web",
        SupportedIdentityProviders: ["COGNITO", "Google"],
      }),
    );
    const clientId = UserPoolClient!.ClientId!;
    assert.deepEqual(UserPoolClient!.SupportedIdentityProviders, ["COGNITO", "Google"]);
    await cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        SupportedIdentityProviders: ["Google"],
      }),
    );

    await cognito.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: "Google" }));
    assert.deepEqual(await names(poolId), []);
    const described = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    assert.equal(described.UserPoolClient!.SupportedIdentityProviders, undefined);
    await rejectsWith(
      cognito.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: "Google" })),
      "ResourceNotFoundException",
      400,
    );
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
