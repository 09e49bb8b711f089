/**
 * Passkeys under a pool's WebAuthnConfiguration (SetUserPoolMfaConfig): the relying party
 * `localhost`, used from http://localhost:<port> as browsers allow, and user verification required;
 * passkeys as a second factor, for the pool (FactorConfiguration) and for one user (WebAuthnMfaSettings).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolDomainCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  SetUserMFAPreferenceCommand,
  StartWebAuthnRegistrationCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { generateSync } from "otplib";
import type { Page } from "playwright-core";
import { rejectsWith } from "../support/assert.ts";
import { browserMissing, newContext, serveSite, type StaticSite } from "../support/browser.ts";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

const PASSWORD = "Passkey-owner-1!";

const AUTHENTICATOR = {
  protocol: "ctap2",
  transport: "internal",
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
} as const;

type Doc = null | boolean | number | string | Doc[] | { [k: string]: Doc };
type Json = { [k: string]: Doc };

function ceremony(page: Page, call: "create" | "get", options: unknown): Promise<Json> {
  const parse = call === "create" ? "parseCreationOptionsFromJSON" : "parseRequestOptionsFromJSON";
  return page.evaluate(
    `(async () => {
      const publicKey = PublicKeyCredential.${parse}(${JSON.stringify(options)});
      const credential = await navigator.credentials.${call}({ publicKey });
      return credential.toJSON();
    })()`,
  );
}

describe("passkeys with the pool's WebAuthnConfiguration", { skip: browserMissing() }, () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let site: StaticSite;
  let poolId: string;
  let clientId: string;
  let page: Page;
  let closeContext: () => Promise<void>;

  before(async () => {
    server = await startServer();
    client = server.client();
    ({ poolId, clientId } = await poolWithClient(client, {
      pool: {
        PoolName: "passkeys-config",
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } },
      },
      app: { ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    }));
    // A prefix domain too: the configured relying party wins over it.
    await client.send(
      new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `config-${Date.now()}` }),
    );
    await client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "OFF",
        WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification: "required" },
      }),
    );
    site = await serveSite({ "/": "<!doctype html><title>passkeys</title>" });
    const context = await newContext();
    closeContext = () => context.close();
    page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", { options: AUTHENTICATOR });
    await page.goto(`http://localhost:${new URL(site.origin).port}/`);
  });
  after(async () => {
    await closeContext?.();
    await site?.close();
    await server?.stop();
  });

  async function signedIn(name: string): Promise<string> {
    await confirmedUser(client, poolId, name, PASSWORD);
    const out = await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: name, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD },
      }),
    );
    return out.AuthenticationResult!.AccessToken!;
  }

  test("registration and sign-in on http://localhost, with user verification required", async () => {
    const access = await signedIn("local");
    const { CredentialCreationOptions } = await client.send(
      new StartWebAuthnRegistrationCommand({ AccessToken: access }),
    );
    const options = CredentialCreationOptions as Json;
    assert.deepEqual(options.rp, { id: "localhost", name: "localhost" });
    assert.equal((options.authenticatorSelection as Json).userVerification, "required");
    const credential = await ceremony(page, "create", options);
    await client.send(
      new CompleteWebAuthnRegistrationCommand({ AccessToken: access, Credential: credential }),
    );

    const challenge = await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: "local", PREFERRED_CHALLENGE: "WEB_AUTHN" },
      }),
    );
    const request = JSON.parse(challenge.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as Json;
    assert.equal(request.rpId, "localhost");
    assert.equal(request.userVerification, "required");
    const assertion = await ceremony(page, "get", request);
    const out = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "WEB_AUTHN",
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: "local", CREDENTIAL: JSON.stringify(assertion) },
      }),
    );
    assert.ok(out.AuthenticationResult?.AccessToken);
  });

  test("a registration without user verification is refused where the pool requires it", async () => {
    const access = await signedIn("unverified");
    const { CredentialCreationOptions } = await client.send(
      new StartWebAuthnRegistrationCommand({ AccessToken: access }),
    );
    const credential = await ceremony(page, "create", CredentialCreationOptions);
    // Attestation "none" signs nothing: clear the user-verified flag (the byte after the RP ID hash).
    const response = { ...(credential.response as Json) };
    const bytes = Buffer.from(response.attestationObject as string, "base64url");
    const flags = bytes.indexOf(createHash("sha256").update("localhost").digest()) + 32;
    bytes[flags] = bytes[flags]! & ~0x04;
    response.attestationObject = bytes.toString("base64url");
    await rejectsWith(
      client.send(
        new CompleteWebAuthnRegistrationCommand({
          AccessToken: access,
          Credential: { ...credential, response },
        }),
      ),
      "WebAuthnCredentialNotSupportedException",
      400,
    );
  });
  test("a user-verified passkey satisfies MFA where passkeys are a second factor, and only there", async () => {
    const mfa = await poolWithClient(client, {
      pool: {
        PoolName: "passkeys-mfa",
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } },
      },
      app: { ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    const configure = (FactorConfiguration: "SINGLE_FACTOR" | "MULTI_FACTOR_WITH_USER_VERIFICATION") =>
      client.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: mfa.poolId,
          MfaConfiguration: "OPTIONAL",
          SoftwareTokenMfaConfiguration: { Enabled: true },
          WebAuthnConfiguration: {
            RelyingPartyId: "localhost",
            UserVerification: "required",
            FactorConfiguration,
          },
        }),
      );
    await configure("SINGLE_FACTOR");
    await confirmedUser(client, mfa.poolId, "two-factor", PASSWORD);
    const first = await client.send(
      new InitiateAuthCommand({
        ClientId: mfa.clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: "two-factor", PREFERRED_CHALLENGE: "PASSWORD", PASSWORD },
      }),
    );
    const AccessToken = first.AuthenticationResult!.AccessToken!;
    const { SecretCode } = await client.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    const epoch = Math.floor(Date.now() / 1000);
    await client.send(
      new VerifySoftwareTokenCommand({
        AccessToken,
        UserCode: generateSync({ secret: SecretCode!, epoch: epoch - 30 }),
      }),
    );
    await client.send(
      new SetUserMFAPreferenceCommand({
        AccessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const { CredentialCreationOptions } = await client.send(
      new StartWebAuthnRegistrationCommand({ AccessToken }),
    );
    await client.send(
      new CompleteWebAuthnRegistrationCommand({
        AccessToken,
        Credential: await ceremony(page, "create", CredentialCreationOptions),
      }),
    );
    const passkeySignIn = async () => {
      const challenge = await client.send(
        new InitiateAuthCommand({
          ClientId: mfa.clientId,
          AuthFlow: "USER_AUTH",
          AuthParameters: { USERNAME: "two-factor", PREFERRED_CHALLENGE: "WEB_AUTHN" },
        }),
      );
      const assertion = await ceremony(
        page,
        "get",
        JSON.parse(challenge.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!),
      );
      return client.send(
        new RespondToAuthChallengeCommand({
          ClientId: mfa.clientId,
          ChallengeName: "WEB_AUTHN",
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: "two-factor", CREDENTIAL: JSON.stringify(assertion) },
        }),
      );
    };
    // A single factor: the TOTP code is still asked for.
    const single = await passkeySignIn();
    assert.equal(single.ChallengeName, "SOFTWARE_TOKEN_MFA");
    assert.equal(single.AuthenticationResult, undefined);
    // A second factor too: the user-verified passkey is enough.
    await configure("MULTI_FACTOR_WITH_USER_VERIFICATION");
    const multi = await passkeySignIn();
    assert.equal(multi.ChallengeName, undefined);
    assert.ok(multi.AuthenticationResult?.AccessToken);
  });
  test("a user's passkey MFA (WebAuthnMfaSettings) makes a user-verified passkey satisfy MFA, with user verification required", async () => {
    // A device of its own (a fresh virtual authenticator): the other tests' passkeys stay out of it.
    const context = await newContext();
    const device = await context.newPage();
    const cdp = await context.newCDPSession(device);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", { options: AUTHENTICATOR });
    await device.goto(`http://localhost:${new URL(site.origin).port}/`);
    try {
      const mfa = await poolWithClient(client, {
        pool: {
          PoolName: "passkeys-user-mfa",
          Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } },
        },
        app: { ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
      });
      const configure = (UserVerification: "required" | "preferred") =>
        client.send(
          new SetUserPoolMfaConfigCommand({
            UserPoolId: mfa.poolId,
            MfaConfiguration: "OPTIONAL",
            SoftwareTokenMfaConfiguration: { Enabled: true },
            WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification },
          }),
        );
      // Chromium's virtual authenticator registers under "required" only; the sign-ins run under "preferred".
      await configure("required");
      await confirmedUser(client, mfa.poolId, "passkey-mfa", PASSWORD);
      const first = await client.send(
        new InitiateAuthCommand({
          ClientId: mfa.clientId,
          AuthFlow: "USER_AUTH",
          AuthParameters: { USERNAME: "passkey-mfa", PREFERRED_CHALLENGE: "PASSWORD", PASSWORD },
        }),
      );
      const AccessToken = first.AuthenticationResult!.AccessToken!;
      const passkeyMfa = (Enabled: boolean) =>
        client.send(new SetUserMFAPreferenceCommand({ AccessToken, WebAuthnMfaSettings: { Enabled } }));
      // Not without another MFA factor.
      await rejectsWith(passkeyMfa(true), "InvalidParameterException", 400, /other MFA method/);
      const { SecretCode } = await client.send(new AssociateSoftwareTokenCommand({ AccessToken }));
      await client.send(
        new VerifySoftwareTokenCommand({
          AccessToken,
          UserCode: generateSync({ secret: SecretCode!, epoch: Math.floor(Date.now() / 1000) - 30 }),
        }),
      );
      await client.send(
        new SetUserMFAPreferenceCommand({
          AccessToken,
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      );
      const { CredentialCreationOptions } = await client.send(
        new StartWebAuthnRegistrationCommand({ AccessToken }),
      );
      await client.send(
        new CompleteWebAuthnRegistrationCommand({
          AccessToken,
          Credential: await ceremony(device, "create", CredentialCreationOptions),
        }),
      );
      await configure("preferred");
      const passkeySignIn = async () => {
        const challenge = await client.send(
          new InitiateAuthCommand({
            ClientId: mfa.clientId,
            AuthFlow: "USER_AUTH",
            AuthParameters: { USERNAME: "passkey-mfa", PREFERRED_CHALLENGE: "WEB_AUTHN" },
          }),
        );
        const options = JSON.parse(challenge.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as {
          userVerification: string;
        };
        // The authenticator verifies the user whatever the options ask (Chromium's virtual one
        // refuses "preferred"); the server's options are what the test checks.
        const assertion = await ceremony(device, "get", { ...options, userVerification: "required" });
        const out = await client.send(
          new RespondToAuthChallengeCommand({
            ClientId: mfa.clientId,
            ChallengeName: "WEB_AUTHN",
            Session: challenge.Session,
            ChallengeResponses: { USERNAME: "passkey-mfa", CREDENTIAL: JSON.stringify(assertion) },
          }),
        );
        return { userVerification: options.userVerification, out };
      };
      // Passkey MFA off: the pool's "preferred", and the TOTP code after the passkey.
      const before = await passkeySignIn();
      assert.equal(before.userVerification, "preferred");
      assert.equal(before.out.ChallengeName, "SOFTWARE_TOKEN_MFA");
      // On: user verification required, and the passkey is enough.
      await passkeyMfa(true);
      const on = await passkeySignIn();
      assert.equal(on.userVerification, "required");
      assert.equal(on.out.ChallengeName, undefined);
      assert.ok(on.out.AuthenticationResult?.AccessToken);
      // Off again.
      await passkeyMfa(false);
      const off = await passkeySignIn();
      assert.equal(off.userVerification, "preferred");
      assert.equal(off.out.ChallengeName, "SOFTWARE_TOKEN_MFA");
    } finally {
      await context.close();
    }
  });
});
