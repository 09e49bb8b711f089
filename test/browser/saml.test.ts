/**
 * SAML federation end to end: the pool's SP metadata, SP-initiated sign-in in a real browser
 * (authorize -> AuthnRequest by HTTP-Redirect -> a samlify IdP on 127.0.0.1 -> POST
 * /saml2/idpresponse -> the app's callback with a code -> tokens), signed requests, encrypted
 * assertions, IdP-initiated sign-in, and the responses Lanyard refuses (error page, no user).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminGetUserCommand,
  CreateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as oidc from "openid-client";
import { browserMissing, newContext } from "../support/browser.ts";
import { type CallbackSite, callbackSite } from "../support/callback-site.ts";
import { browse, hiddenFields, Jar, type OAuthApp, oauthApp, relyingParty } from "../support/oauth.ts";
import { idpKeys, startTestIdp, type TestIdp, type TestIdpOptions } from "../support/saml-idp.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("SAML federation", { skip: browserMissing() }, () => {
  let server: TestServer;
  let site: CallbackSite;
  let app: OAuthApp;
  let spMetadata: string;
  const idps: TestIdp[] = [];
  const providers: string[] = [];
  /** The cookies of the browser the fetch-driven sign-ins run in. */
  const browserJar = new Jar();

  /** A SAML provider of the pool backed by a new test IdP; the app client supports it. */
  async function provider(
    name: string,
    details: Record<string, string> = {},
    idpOptions: Partial<TestIdpOptions> = {},
  ): Promise<TestIdp> {
    const idp = await startTestIdp({
      spMetadata,
      attributes: { email: `${name}@corp.example` },
      ...idpOptions,
    });
    idps.push(idp);
    const sdk = server.client();
    await sdk.send(
      new CreateIdentityProviderCommand({
        UserPoolId: app.poolId,
        ProviderName: name,
        ProviderType: "SAML",
        ProviderDetails: { MetadataFile: idp.metadata, ...details },
        AttributeMapping: { email: "email" },
      }),
    );
    providers.push(name);
    await sdk.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["code", "implicit"],
        AllowedOAuthScopes: ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
        CallbackURLs: [site.callback],
        LogoutURLs: [`${site.origin}/signed-out`],
        SupportedIdentityProviders: ["COGNITO", ...providers],
      }),
    );
    return idp;
  }

  function authorizeUrl(params: Record<string, string>): string {
    const q = new URLSearchParams({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: site.callback,
      scope: "openid email",
      ...params,
    });
    return `${server.url}/oauth2/authorize?${q}`;
  }

  /** Starts an SP-initiated sign-in without a browser; answers the AuthnRequest's id. */
  async function authnRequest(idp: TestIdp, providerName: string, jar = browserJar): Promise<string> {
    const res = await browse(authorizeUrl({ identity_provider: providerName }), jar);
    assert.equal(res.status, 302);
    const location = res.headers.get("location")!;
    assert.ok(location.startsWith(`${idp.origin}/sso?`), location);
    const before = idp.requests.length;
    const page = await fetch(location);
    assert.equal(page.status, 200, await page.clone().text());
    assert.equal(idp.requests.length, before + 1);
    return idp.requests.at(-1)!.id;
  }

  /** Posts a SAMLResponse to the ACS from the browser whose cookies `jar` holds. */
  async function post(samlResponse: string, relayState?: string, jar = browserJar): Promise<Response> {
    const form = new URLSearchParams({ SAMLResponse: samlResponse });
    if (relayState !== undefined) form.set("RelayState", relayState);
    return browse(`${server.url}/saml2/idpresponse`, jar, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
  }

  async function userExists(username: string): Promise<boolean> {
    try {
      await server.client().send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: username }));
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === "UserNotFoundException") return false;
      throw e;
    }
  }

  async function refused(res: Response, reason: RegExp): Promise<void> {
    assert.equal(res.status, 400);
    const body = await res.text();
    assert.match(body, /An error was encountered/);
    assert.match(body, reason);
  }

  async function codeOf(res: Response): Promise<URL> {
    assert.equal(res.status, 302, await res.clone().text());
    const location = new URL(res.headers.get("location")!);
    assert.equal(`${location.origin}${location.pathname}`, site.callback);
    assert.ok(location.searchParams.get("code"));
    return location;
  }

  before(async () => {
    site = await callbackSite();
    server = await startServer();
    app = await oauthApp(server, { CallbackURLs: [site.callback] });
    const res = await fetch(`${server.url}/saml2/metadata/${app.poolId}`);
    assert.equal(res.status, 200);
    spMetadata = await res.text();
  });
  after(async () => {
    for (const idp of idps) await idp.close();
    await site?.close();
    await server?.stop();
  });

  test("the SP metadata names the pool, the ACS and the pool's certificate", async () => {
    assert.match(spMetadata, new RegExp(`entityID="urn:amazon:cognito:sp:${app.poolId}"`));
    assert.match(
      spMetadata,
      new RegExp(
        `Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${server.url}/saml2/idpresponse"`,
      ),
    );
    assert.match(spMetadata, /<(?:\w+:)?KeyDescriptor use="signing">/);
    assert.match(spMetadata, /<(?:\w+:)?KeyDescriptor use="encryption">/);
    const unknown = await fetch(`${server.url}/saml2/metadata/us-east-1_nope`);
    assert.equal(unknown.status, 404);
  });

  test("SP-initiated sign-in in a browser: IdP, ACS, callback with a code, tokens", async () => {
    const idp = await provider("CorpSAML");
    const config = await relyingParty(app);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: site.callback,
      scope: "openid email",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      identity_provider: "CorpSAML",
    });
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(url.href);
      assert.equal(new URL(page.url()).origin, idp.origin);
      assert.equal(idp.requests.at(-1)!.signed, false);
      assert.match(idp.requests.at(-1)!.xml, new RegExp(`urn:amazon:cognito:sp:${app.poolId}`));
      await page.getByLabel("Subject").fill("jdoe");
      await Promise.all([
        page.waitForURL(`${site.callback}?**`),
        page.getByRole("button", { name: "Sign in at the IdP" }).click(),
      ]);
      const callback = new URL(page.url());
      assert.equal(callback.searchParams.get("state"), state);
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      const claims = tokens.claims()!;
      assert.equal(claims["cognito:username"], "CorpSAML_jdoe");
      assert.equal(claims.email, "CorpSAML@corp.example");
    } finally {
      await context.close();
    }
  });

  test("login CSRF: a response to another browser's AuthnRequest is refused there, and accepted in its own", async () => {
    const idp = await provider("Bound");
    const starter = new Jar();
    const id = await authnRequest(idp, "Bound", starter);
    const response = await idp.respond("bound", { inResponseTo: id });
    await refused(await post(response, undefined, new Jar()), /no pending sign-in request of this browser/);
    await refused(await post(response), /no pending sign-in request of this browser/);
    assert.equal(await userExists("Bound_bound"), false);
    await codeOf(await post(response, undefined, starter));
    assert.ok(await userExists("Bound_bound"));
  });

  test("a cross-site POST without the binding cookie is posted again from this origin, with the cookie", async () => {
    const idp = await provider("Reposted");
    const jar = new Jar();
    const id = await authnRequest(idp, "Reposted", jar);
    const response = await idp.respond("reposted", { inResponseTo: id });
    const res = await fetch(`${server.url}/saml2/idpresponse`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site" },
      body: new URLSearchParams({ SAMLResponse: response }).toString(),
      redirect: "manual",
    });
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /<form method="post" action="\/saml2\/idpresponse" id="repost">/);
    assert.match(page, /<script src="\/oauth2\/repost.js" defer><\/script>/);
    assert.match(res.headers.get("content-security-policy")!, /script-src 'self'/);
    assert.equal(await userExists("Reposted_reposted"), false);
    const script = await fetch(`${server.url}/oauth2/repost.js`);
    assert.match(await script.text(), /getElementById\("repost"\)\.submit\(\)/);
    const fields = hiddenFields(page);
    assert.equal(fields.SAMLResponse, response);
    // The repost, same-origin, carries the cookie (and is not answered with the page again).
    const again = await browse(`${server.url}/saml2/idpresponse`, jar, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
      body: new URLSearchParams(fields).toString(),
    });
    await codeOf(again);
    assert.ok(await userExists("Reposted_reposted"));
  });

  test("an IdP-initiated cross-site POST is taken as it is (it needs no browser binding)", async () => {
    const idp = await provider("PortalInit", { IDPInit: "true" });
    const relayState = new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: site.callback,
      response_type: "code",
      scope: "openid email",
      identity_provider: "PortalInit",
    }).toString();
    const res = await fetch(`${server.url}/saml2/idpresponse`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site" },
      body: new URLSearchParams({
        SAMLResponse: await idp.respond("portal-user"),
        RelayState: relayState,
      }).toString(),
      redirect: "manual",
    });
    await codeOf(res);
    assert.ok(await userExists("PortalInit_portal-user"));
  });

  test("RequestSigningAlgorithm: the AuthnRequest is signed, and the IdP checks it against the SP metadata", async () => {
    const idp = await provider(
      "SignedReq",
      { RequestSigningAlgorithm: "rsa-sha256" },
      { wantAuthnRequestsSigned: true },
    );
    const id = await authnRequest(idp, "SignedReq");
    assert.equal(idp.requests.at(-1)!.signed, true);
    await codeOf(await post(await idp.respond("signer", { inResponseTo: id })));
    assert.ok(await userExists("SignedReq_signer"));
  });

  test("refused responses: error page, no user", async () => {
    const idp = await provider("Strict");
    const now = Date.now();
    const cases: [string, (id: string) => Promise<string>, RegExp][] = [
      [
        "expired",
        (id) =>
          idp.respond("expired", {
            inResponseTo: id,
            notBefore: new Date(now - 20 * 60_000),
            notOnOrAfter: new Date(now - 10 * 60_000),
          }),
        /SAML assertion expired/,
      ],
      [
        "early",
        (id) => idp.respond("early", { inResponseTo: id, notBefore: new Date(now + 10 * 60_000) }),
        /SAML assertion not yet valid/,
      ],
      [
        "badsig",
        (id) => idp.respond("badsig", { inResponseTo: id, signWith: idpKeys("intruder") }),
        /Invalid signature/,
      ],
      [
        "audience",
        (id) =>
          idp.respond("audience", { inResponseTo: id, audience: "urn:amazon:cognito:sp:us-east-1_other" }),
        /audience mismatch/,
      ],
      [
        "destination",
        (id) =>
          idp.respond("destination", {
            inResponseTo: id,
            destination: "https://elsewhere.example/saml2/idpresponse",
          }),
        /Destination/,
      ],
      [
        "unsolicited",
        () => idp.respond("unsolicited", { inResponseTo: "_not-a-request" }),
        /no pending sign-in request/,
      ],
    ];
    // Signed for one subject, changed to another afterwards.
    cases.push([
      "tampered",
      (id) =>
        idp.respond("honest", {
          inResponseTo: id,
          tamper: (xml) => xml.replace(">honest</", ">tampered</"),
        }),
      /Invalid signature/,
    ]);
    for (const [subject, make, reason] of cases) {
      const id = await authnRequest(idp, "Strict");
      await refused(await post(await make(id)), reason);
      assert.equal(await userExists(`Strict_${subject}`), false, subject);
    }
    assert.equal(await userExists("Strict_honest"), false);

    // A provider the app client does not support: back to the app with an error, no AuthnRequest.
    const other = await startTestIdp({ spMetadata });
    idps.push(other);
    await server.client().send(
      new CreateIdentityProviderCommand({
        UserPoolId: app.poolId,
        ProviderName: "Unsupported",
        ProviderType: "SAML",
        ProviderDetails: { MetadataFile: other.metadata },
      }),
    );
    const res = await fetch(authorizeUrl({ identity_provider: "Unsupported", state: "s1" }), {
      redirect: "manual",
    });
    assert.equal(res.status, 302);
    const back = new URL(res.headers.get("location")!);
    assert.equal(`${back.origin}${back.pathname}`, site.callback);
    assert.equal(back.searchParams.get("error"), "invalid_request");
    assert.equal(back.searchParams.get("state"), "s1");
    assert.equal(other.requests.length, 0);
  });

  test("NotBefore within the clock skew is accepted", async () => {
    const idp = await provider("Skew");
    const id = await authnRequest(idp, "Skew");
    await codeOf(
      await post(
        await idp.respond("skewed", { inResponseTo: id, notBefore: new Date(Date.now() + 2 * 60_000) }),
      ),
    );
  });

  test("replay: an assertion signs in once, and a request is answered once", async () => {
    const idp = await provider("Replay");
    const id = await authnRequest(idp, "Replay");
    const response = await idp.respond("replayer", { inResponseTo: id });
    await codeOf(await post(response));
    await refused(await post(response), /no pending sign-in request|used before/);

    // The same assertion id answering a new request is still a replay.
    const assertionId = "_fixed-assertion-id";
    const first = await authnRequest(idp, "Replay");
    await codeOf(await post(await idp.respond("replayer", { inResponseTo: first, assertionId })));
    const second = await authnRequest(idp, "Replay");
    await refused(
      await post(await idp.respond("replayer2", { inResponseTo: second, assertionId })),
      /used before/,
    );
    assert.equal(await userExists("Replay_replayer2"), false);
  });

  test("EncryptedResponses: encrypted assertions sign in; a plain one is refused", async () => {
    const idp = await provider("Sealed", { EncryptedResponses: "true" }, { encryptAssertions: true });
    const id = await authnRequest(idp, "Sealed");
    await codeOf(await post(await idp.respond("sealed", { inResponseTo: id })));
    assert.ok(await userExists("Sealed_sealed"));

    const id2 = await authnRequest(idp, "Sealed");
    await refused(await post(await idp.respond("plain", { inResponseTo: id2, encrypt: false })), /encrypt/);
    assert.equal(await userExists("Sealed_plain"), false);
  });

  test("IdP-initiated sign-in only when IDPInit allows it", async () => {
    const relay = (name: string) =>
      new URLSearchParams({
        response_type: "code",
        client_id: app.clientId,
        redirect_uri: site.callback,
        identity_provider: name,
        scope: "openid email",
      }).toString();
    const closed = await provider("NoInit");
    await refused(await post(await closed.respond("unasked"), relay("NoInit")), /IdP-initiated/);
    assert.equal(await userExists("NoInit_unasked"), false);

    const open = await provider("WithInit", { IDPInit: "true" });
    await codeOf(await post(await open.respond("portal"), relay("WithInit")));
    assert.ok(await userExists("WithInit_portal"));
    // The RelayState must name the provider that signed the response.
    await refused(await post(await open.respond("mixed"), relay("NoInit")), /IdP-initiated|another issuer/);
  });

  test("IDPSignout: /logout sends a signed LogoutRequest to the IdP, whose LogoutResponse at /saml2/logout ends at the logout_uri", async () => {
    const idp = await provider("Sso", { IDPSignout: "true" });
    const quiet = await provider("NoSlo");
    const signOut = `${server.url}/logout?${new URLSearchParams({ client_id: app.clientId, logout_uri: `${site.origin}/signed-out` })}`;
    const context = await newContext();
    try {
      const page = await context.newPage();
      const signIn = async (name: string, subject: string) => {
        await page.goto(authorizeUrl({ identity_provider: name }));
        await page.getByLabel("Subject").fill(subject);
        await Promise.all([
          page.waitForURL(`${site.callback}?**`),
          page.getByRole("button", { name: "Sign in at the IdP" }).click(),
        ]);
      };
      await signIn("Sso", "leaver");
      await page.goto(signOut);
      await page.waitForURL(`${site.origin}/signed-out`);
      assert.equal(idp.logouts.length, 1);
      assert.equal(idp.logouts[0]!.nameId, "leaver");
      // The SAML session ended: a second sign-out goes straight to the logout_uri.
      await page.goto(signOut);
      await page.waitForURL(`${site.origin}/signed-out`);
      assert.equal(idp.logouts.length, 1);

      // A provider without IDPSignout is not told.
      await signIn("NoSlo", "stayer");
      await page.goto(signOut);
      await page.waitForURL(`${site.origin}/signed-out`);
      assert.equal(quiet.logouts.length, 0);
    } finally {
      await context.close();
    }
    // A LogoutResponse that answers no sign-out is refused.
    const res = await fetch(`${server.url}/saml2/logout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        SAMLResponse: Buffer.from(
          '<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x" InResponseTo="_nothing" Version="2.0"/>',
        ).toString("base64"),
      }).toString(),
      redirect: "manual",
    });
    await refused(res, /no pending sign-out/);
  });
});
