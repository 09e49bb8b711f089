/**
 * Passkeys in a real browser: Debian's Chromium with the DevTools protocol's virtual authenticator
 * (a CTAP2 platform authenticator with a resident key and user verification). A page served on a
 * loopback origin calls `navigator.credentials.create` with StartWebAuthnRegistration's options and
 * `navigator.credentials.get` with the WEB_AUTHN challenge's; the test hands the results to Lanyard
 * through the AWS SDK. Registration and the passwordless sign-in succeed; tampered, replayed,
 * misdirected and expired answers are refused with Cognito's errors.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolDomainCommand,
  DeleteWebAuthnCredentialCommand,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  StartWebAuthnRegistrationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { BrowserContext, CDPSession, Page } from "playwright-core";
import { rejectsWith } from "../support/assert.ts";
import { browserMissing, newContext, serveSite, type StaticSite } from "../support/browser.ts";
import { setClockOffset } from "../support/inbox.ts";
import { deviceSteps, FLOWS, PASSWORD as DEVICE_USER_PASSWORD } from "../support/devices.ts";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

const PASSWORD = "Passkey-owner-1!";
const CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
/** The pool's custom domain, which is its default relying party; Chromium resolves *.localhost to loopback. */
const RP_ID = "passkeys.localhost";

/** JSON, as the SDK's document type takes it. */
type Doc = null | boolean | number | string | Doc[] | { [k: string]: Doc };
type Json = { [k: string]: Doc };

const AUTHENTICATOR = {
  protocol: "ctap2",
  transport: "internal",
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
} as const;

/** Pages of a context, each with its own virtual authenticator (a device). */
const devices = new WeakMap<Page, { cdp: CDPSession; id: string }>();

/** A page with a virtual authenticator, on an origin of the relying party. */
async function authenticatorPage(context: BrowserContext, origin: string): Promise<Page> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", { options: AUTHENTICATOR });
  devices.set(page, { cdp, id: authenticatorId });
  await page.goto(origin);
  return page;
}

/** Swaps the page's authenticator for a new one (another device), for one more registration. */
async function newDevice(page: Page): Promise<void> {
  const device = devices.get(page)!;
  await device.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: device.id });
  const { authenticatorId } = await device.cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: AUTHENTICATOR,
  });
  device.id = authenticatorId;
}

/**
 * Runs navigator.credentials.create / get in the page with options in their JSON form, and answers
 * the credential's JSON (PublicKeyCredential.toJSON()).
 */
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

/** Registers with the page's authenticator, or (`again`) with a new one. */
async function create(page: Page, options: unknown, again = false): Promise<Json> {
  if (again) await newDevice(page);
  return ceremony(page, "create", options);
}

const get = (page: Page, options: unknown): Promise<Json> => ceremony(page, "get", options);

/** The credential with one byte of `response[field]` (base64url) changed. */
function tampered(credential: Json, field: string, at: (bytes: Buffer) => number): Json {
  const response = { ...(credential.response as Json) };
  const bytes = Buffer.from(response[field] as string, "base64url");
  const i = at(bytes);
  bytes[i] = bytes[i]! ^ 0x01;
  response[field] = bytes.toString("base64url");
  return { ...credential, response };
}

describe("passkeys in Chromium", { skip: browserMissing() }, () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let site: StaticSite;
  let origin: string;
  let poolId: string;
  let clientId: string;
  let otherClientId: string;
  let users = 0;

  before(async () => {
    server = await startServer({ args: ["--memory", "--enable-test-clock"] });
    client = server.client();
    ({ poolId, clientId } = await poolWithClient(client, {
      pool: {
        PoolName: "passkeys",
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } },
      },
      app: { ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    }));
    const other = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "other",
        ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    otherClientId = other.UserPoolClient!.ClientId!;
    await client.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: poolId,
        Domain: RP_ID,
        CustomDomainConfig: { CertificateArn: CERT_ARN },
      }),
    );
    site = await serveSite({ "/": "<!doctype html><title>passkeys</title><p>passkeys</p>" });
    origin = `http://${RP_ID}:${new URL(site.origin).port}`;
  });
  after(async () => {
    await site?.close();
    await server?.stop();
  });

  async function passwordUser(id = clientId): Promise<{ name: string; access: string }> {
    const name = `owner${++users}`;
    await confirmedUser(client, poolId, name, PASSWORD);
    const out = await client.send(
      new InitiateAuthCommand({
        ClientId: id,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: name, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD },
      }),
    );
    return { name, access: out.AuthenticationResult!.AccessToken! };
  }

  async function register(page: Page, access: string): Promise<Json> {
    const { CredentialCreationOptions } = await client.send(
      new StartWebAuthnRegistrationCommand({ AccessToken: access }),
    );
    const credential = await create(page, CredentialCreationOptions);
    await client.send(
      new CompleteWebAuthnRegistrationCommand({ AccessToken: access, Credential: credential }),
    );
    return credential;
  }

  const passkeyChallenge = (name: string) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: name, PREFERRED_CHALLENGE: "WEB_AUTHN" },
      }),
    );

  const answer = (name: string, session: string | undefined, credential: Json) =>
    client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "WEB_AUTHN",
        Session: session,
        ChallengeResponses: { USERNAME: name, CREDENTIAL: JSON.stringify(credential) },
      }),
    );

  test("a passkey is registered, then signs in without a password; tampered and replayed assertions are refused", async () => {
    const context = await newContext();
    try {
      const page = await authenticatorPage(context, origin);
      const { name, access } = await passwordUser();

      const { CredentialCreationOptions: options } = await client.send(
        new StartWebAuthnRegistrationCommand({ AccessToken: access }),
      );
      const o = options as Json;
      assert.deepEqual(o.rp, { id: RP_ID, name: RP_ID });
      assert.equal((o.user as Json).name, name);
      assert.deepEqual(o.pubKeyCredParams, [
        { type: "public-key", alg: -7 },
        { type: "public-key", alg: -257 },
      ]);
      assert.deepEqual(o.excludeCredentials, []);
      assert.deepEqual(o.authenticatorSelection, {
        requireResidentKey: true,
        residentKey: "required",
        userVerification: "preferred",
      });
      const credential = await create(page, options);
      await client.send(
        new CompleteWebAuthnRegistrationCommand({ AccessToken: access, Credential: credential }),
      );

      const listed = await client.send(new ListWebAuthnCredentialsCommand({ AccessToken: access }));
      assert.equal(listed.Credentials?.length, 1);
      const [described] = listed.Credentials!;
      assert.equal(described!.CredentialId, credential.id);
      assert.equal(described!.RelyingPartyId, RP_ID);
      assert.equal(described!.AuthenticatorAttachment, "platform");
      assert.deepEqual(described!.AuthenticatorTransports, ["internal"]);
      assert.ok(described!.CreatedAt instanceof Date);
      const factors = await client.send(new GetUserAuthFactorsCommand({ AccessToken: access }));
      assert.deepEqual(factors.ConfiguredUserAuthFactors, ["PASSWORD", "WEB_AUTHN"]);

      // The next registration excludes the passkey the user has.
      const { CredentialCreationOptions: next } = await client.send(
        new StartWebAuthnRegistrationCommand({ AccessToken: access }),
      );
      assert.deepEqual((next as Json).excludeCredentials, [
        { type: "public-key", id: credential.id, transports: ["internal"] },
      ]);

      // Passwordless sign-in.
      const challenge = await passkeyChallenge(name);
      assert.equal(challenge.ChallengeName, "WEB_AUTHN");
      assert.equal(challenge.ChallengeParameters?.USERNAME, name);
      const request = JSON.parse(challenge.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as Json;
      assert.equal(request.rpId, RP_ID);
      assert.equal(request.userVerification, "preferred");
      assert.deepEqual(request.allowCredentials, [
        { type: "public-key", id: credential.id, transports: ["internal"] },
      ]);
      assert.match(String(request.challenge), /^[A-Za-z0-9_-]{43}$/);
      const assertion = await get(page, request);

      const sig = tampered(assertion, "signature", (b) => b.length - 5);
      await rejectsWith(
        answer(name, challenge.Session, sig),
        "NotAuthorizedException",
        400,
        /^Incorrect username or password\.$/,
      );
      const cdj = tampered(assertion, "clientDataJSON", (b) => b.indexOf(Buffer.from('"challenge":"')) + 14);
      await rejectsWith(answer(name, challenge.Session, cdj), "NotAuthorizedException", 400);
      const authData = tampered(assertion, "authenticatorData", (b) => b.length - 1);
      await rejectsWith(answer(name, challenge.Session, authData), "NotAuthorizedException", 400);

      const out = await answer(name, challenge.Session, assertion);
      const token = out.AuthenticationResult?.AccessToken;
      assert.ok(token);
      const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Json;
      assert.equal(claims.username, name);

      // The session is spent, and the assertion does not answer a new challenge.
      await rejectsWith(answer(name, challenge.Session, assertion), "NotAuthorizedException", 400);
      const fresh = await passkeyChallenge(name);
      await rejectsWith(answer(name, fresh.Session, assertion), "NotAuthorizedException", 400);
      // A second sign-in works (the sign count moved on).
      const again = await get(page, JSON.parse(fresh.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!));
      assert.ok((await answer(name, fresh.Session, again)).AuthenticationResult?.IdToken);

      // SELECT_CHALLENGE offers the passkey now, and ANSWER=WEB_AUTHN issues its challenge.
      const select = await client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_AUTH",
          AuthParameters: { USERNAME: name },
        }),
      );
      assert.deepEqual(select.AvailableChallenges, ["WEB_AUTHN", "PASSWORD", "PASSWORD_SRP"]);
      const chosen = await client.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "SELECT_CHALLENGE",
          Session: select.Session,
          ChallengeResponses: { USERNAME: name, ANSWER: "WEB_AUTHN" },
        }),
      );
      assert.equal(chosen.ChallengeName, "WEB_AUTHN");
      const third = await get(page, JSON.parse(chosen.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!));
      assert.ok((await answer(name, chosen.Session, third)).AuthenticationResult?.AccessToken);
    } finally {
      await context.close();
    }
  });

  test("another user's passkey does not sign a user in", async () => {
    const context = await newContext();
    try {
      const page = await authenticatorPage(context, origin);
      const alice = await passwordUser();
      const bob = await passwordUser();
      await register(page, alice.access);
      const bobsDevice = await authenticatorPage(context, origin);
      await register(bobsDevice, bob.access);
      const challenge = await passkeyChallenge(alice.name);
      const options = JSON.parse(challenge.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as Json;
      // Bob's passkey answers Alice's challenge.
      const bobs = await client.send(new ListWebAuthnCredentialsCommand({ AccessToken: bob.access }));
      const wrong = await get(bobsDevice, {
        ...options,
        allowCredentials: [{ type: "public-key", id: bobs.Credentials![0]!.CredentialId }],
      });
      await rejectsWith(answer(alice.name, challenge.Session, wrong), "NotAuthorizedException", 400);
    } finally {
      await context.close();
    }
  });

  test("registration refuses a spent or expired challenge, another client's token, a foreign origin and another relying party", async () => {
    const context = await newContext();
    try {
      const page = await authenticatorPage(context, origin);
      const { name, access } = await passwordUser();
      const start = async () =>
        (await client.send(new StartWebAuthnRegistrationCommand({ AccessToken: access })))
          .CredentialCreationOptions;
      const complete = (credential: Json, token = access) =>
        client.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: credential }));

      // Spent: the challenge answers once.
      const once = await create(page, await start());
      await complete(once);
      await rejectsWith(complete(once), "WebAuthnChallengeNotFoundException", 400);

      // Another app client's token for the same user.
      const otherAccess = (
        await client.send(
          new InitiateAuthCommand({
            ClientId: otherClientId,
            AuthFlow: "USER_AUTH",
            AuthParameters: { USERNAME: name, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD },
          }),
        )
      ).AuthenticationResult!.AccessToken!;
      await rejectsWith(
        complete(await create(page, await start(), true), otherAccess),
        "WebAuthnClientMismatchException",
        400,
      );

      // The client data names another origin (attestation "none" does not sign it: the origin check must refuse it).
      const foreign = await create(page, await start(), true);
      const response = foreign.response as Json;
      const clientData = JSON.parse(
        Buffer.from(response.clientDataJSON as string, "base64url").toString(),
      ) as Json;
      clientData.origin = "https://evil.example";
      const forged = {
        ...foreign,
        response: {
          ...response,
          clientDataJSON: Buffer.from(JSON.stringify(clientData)).toString("base64url"),
        },
      };
      await rejectsWith(complete(forged), "WebAuthnOriginNotAllowedException", 400);

      // Authenticator data for another relying party.
      const rpHash = createHash("sha256").update(RP_ID).digest();
      const otherRp = tampered(await create(page, await start(), true), "attestationObject", (b) =>
        b.indexOf(rpHash),
      );
      await rejectsWith(complete(otherRp), "WebAuthnRelyingPartyMismatchException", 400);

      // Expired: past its lifetime the challenge is gone.
      const late = await create(page, await start(), true);
      await setClockOffset(server, 6 * 60_000);
      try {
        await rejectsWith(complete(late), "WebAuthnChallengeNotFoundException", 400);
      } finally {
        await setClockOffset(server, 0);
      }

      // Only the first registration took.
      const listed = await client.send(new ListWebAuthnCredentialsCommand({ AccessToken: access }));
      assert.deepEqual(
        listed.Credentials?.map((c) => c.CredentialId),
        [once.id],
      );
    } finally {
      await context.close();
    }
  });

  test("credentials are listed in pages and deleted by their owner; a deleted passkey no longer signs in", async () => {
    const context = await newContext();
    try {
      const page = await authenticatorPage(context, origin);
      const { name, access } = await passwordUser();
      const stranger = await passwordUser();
      const first = await register(page, access);
      const second = await register(await authenticatorPage(context, origin), access);
      const p1 = await client.send(
        new ListWebAuthnCredentialsCommand({ AccessToken: access, MaxResults: 1 }),
      );
      assert.equal(p1.Credentials?.length, 1);
      assert.ok(p1.NextToken);
      const p2 = await client.send(
        new ListWebAuthnCredentialsCommand({ AccessToken: access, MaxResults: 1, NextToken: p1.NextToken }),
      );
      assert.equal(p2.NextToken, undefined);
      assert.deepEqual(
        [...p1.Credentials!, ...p2.Credentials!].map((c) => c.CredentialId).sort(),
        [first.id, second.id].sort(),
      );
      await rejectsWith(
        client.send(
          new ListWebAuthnCredentialsCommand({ AccessToken: stranger.access, NextToken: p1.NextToken }),
        ),
        "InvalidParameterException",
        400,
      );

      await rejectsWith(
        client.send(
          new DeleteWebAuthnCredentialCommand({
            AccessToken: stranger.access,
            CredentialId: first.id as string,
          }),
        ),
        "ResourceNotFoundException",
        400,
      );
      for (const c of [first, second])
        await client.send(
          new DeleteWebAuthnCredentialCommand({ AccessToken: access, CredentialId: c.id as string }),
        );
      await rejectsWith(
        client.send(
          new DeleteWebAuthnCredentialCommand({ AccessToken: access, CredentialId: first.id as string }),
        ),
        "ResourceNotFoundException",
        400,
      );
      assert.deepEqual(
        (await client.send(new ListWebAuthnCredentialsCommand({ AccessToken: access }))).Credentials,
        [],
      );
      const out = await passkeyChallenge(name);
      assert.equal(out.ChallengeName, "SELECT_CHALLENGE");
      assert.deepEqual(out.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP"]);
    } finally {
      await context.close();
    }
  });

  test("a user holds at most 20 passkeys", async () => {
    const context = await newContext();
    try {
      const { access } = await passwordUser();
      for (let i = 0; i < 20; i++) await register(await authenticatorPage(context, origin), access);
      await rejectsWith(
        client.send(new StartWebAuthnRegistrationCommand({ AccessToken: access })),
        "LimitExceededException",
        400,
      );
      const listed = await client.send(new ListWebAuthnCredentialsCommand({ AccessToken: access }));
      assert.equal(listed.Credentials?.length, 20);
      assert.equal(listed.NextToken, undefined);
    } finally {
      await context.close();
    }
  });

  test("a passkey sign-in tracks devices like any other: NewDeviceMetadata, and DEVICE_KEY leads to the device challenges", async () => {
    const tracking = await poolWithClient(client, {
      pool: {
        PoolName: "passkeys-devices",
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } },
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
      },
      app: { ExplicitAuthFlows: [...FLOWS, "ALLOW_USER_AUTH"] },
    });
    await client.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: tracking.poolId,
        Domain: "devices.localhost",
        CustomDomainConfig: { CertificateArn: CERT_ARN },
      }),
    );
    const steps = deviceSteps(client, tracking.poolId, tracking.clientId);
    const { device, first } = await steps.userWithDevice("traveller");
    const context = await newContext();
    try {
      const page = await authenticatorPage(context, `http://devices.localhost:${new URL(site.origin).port}`);
      const { CredentialCreationOptions } = await client.send(
        new StartWebAuthnRegistrationCommand({ AccessToken: first.AccessToken }),
      );
      await client.send(
        new CompleteWebAuthnRegistrationCommand({
          AccessToken: first.AccessToken,
          Credential: await create(page, CredentialCreationOptions),
        }),
      );
      const passkeySignIn = async (deviceKey?: string) => {
        const challenge = await client.send(
          new InitiateAuthCommand({
            ClientId: tracking.clientId,
            AuthFlow: "USER_AUTH",
            AuthParameters: { USERNAME: "traveller", PREFERRED_CHALLENGE: "WEB_AUTHN" },
          }),
        );
        const assertion = await get(
          page,
          JSON.parse(challenge.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!),
        );
        return client.send(
          new RespondToAuthChallengeCommand({
            ClientId: tracking.clientId,
            ChallengeName: "WEB_AUTHN",
            Session: challenge.Session,
            ChallengeResponses: {
              USERNAME: "traveller",
              CREDENTIAL: JSON.stringify(assertion),
              ...(deviceKey === undefined ? {} : { DEVICE_KEY: deviceKey }),
            },
          }),
        );
      };
      const fresh = await passkeySignIn();
      assert.ok(fresh.AuthenticationResult?.NewDeviceMetadata?.DeviceKey);
      const known = await passkeySignIn(device.deviceKey);
      assert.equal(known.ChallengeName, "DEVICE_SRP_AUTH");
      const done = await steps.deviceChallenges("traveller", device, known.Session!);
      const claims = JSON.parse(
        Buffer.from(done.AuthenticationResult!.AccessToken!.split(".")[1]!, "base64url").toString(),
      ) as Json;
      assert.equal(claims.device_key, device.deviceKey);

      // The PASSWORD first factor of USER_AUTH takes DEVICE_KEY too.
      const byPassword = await client.send(
        new InitiateAuthCommand({
          ClientId: tracking.clientId,
          AuthFlow: "USER_AUTH",
          AuthParameters: {
            USERNAME: "traveller",
            PREFERRED_CHALLENGE: "PASSWORD",
            PASSWORD: DEVICE_USER_PASSWORD,
            DEVICE_KEY: device.deviceKey,
          },
        }),
      );
      assert.equal(byPassword.ChallengeName, "DEVICE_SRP_AUTH");
    } finally {
      await context.close();
    }
  });
});
