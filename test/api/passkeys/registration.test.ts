/**
 * Passkey registration's answers that need no authenticator, through the AWS SDK: when passkeys
 * are not enabled or the pool has no relying party, Cognito's default relying party (the pool's
 * domain), and malformed or unknown credentials. The ceremonies themselves run in Chromium
 * (test/browser/passkeys.test.ts).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolDomainCommand,
  type CreateUserPoolCommandInput,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  StartWebAuthnRegistrationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const PASSWORD = "Passkey-owner-1!";
const WITH_PASSKEYS: Partial<CreateUserPoolCommandInput> = {
  Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } },
};

describe("passkey registration through the AWS SDK", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let pools = 0;

  before(async () => {
    server = await startServer();
    client = server.client();
  });
  after(() => server.stop());

  /** A pool (as given), a user of it signed in: their access token. */
  async function signedIn(
    pool: Partial<CreateUserPoolCommandInput>,
  ): Promise<{ poolId: string; access: string }> {
    const { poolId, clientId } = await poolWithClient(client, {
      pool: { PoolName: `passkeys-${++pools}`, ...pool },
      app: { ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    await confirmedUser(client, poolId, "owner", PASSWORD);
    const out = await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: "owner", PREFERRED_CHALLENGE: "PASSWORD", PASSWORD },
      }),
    );
    return { poolId, access: out.AuthenticationResult!.AccessToken! };
  }

  test("a pool without WEB_AUTHN among its first factors refuses registration", async () => {
    const { access } = await signedIn({});
    await rejectsWith(
      client.send(new StartWebAuthnRegistrationCommand({ AccessToken: access })),
      "WebAuthnNotEnabledException",
      400,
    );
    await rejectsWith(
      client.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: access, Credential: {} })),
      "WebAuthnNotEnabledException",
      400,
    );
  });

  test("a pool with neither a relying party ID nor a domain has no relying party", async () => {
    const { access } = await signedIn(WITH_PASSKEYS);
    await rejectsWith(
      client.send(new StartWebAuthnRegistrationCommand({ AccessToken: access })),
      "WebAuthnConfigurationMissingException",
      400,
    );
  });

  test("the default relying party is the pool's prefix domain; the challenge is fresh each time", async () => {
    const { poolId, access } = await signedIn(WITH_PASSKEYS);
    const prefix = `passkeys-${pools}-${Date.now()}`;
    await client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    const a = (await client.send(new StartWebAuthnRegistrationCommand({ AccessToken: access })))
      .CredentialCreationOptions as Record<string, unknown>;
    const b = (await client.send(new StartWebAuthnRegistrationCommand({ AccessToken: access })))
      .CredentialCreationOptions as Record<string, unknown>;
    const rpId = `${prefix}.auth.us-east-1.amazoncognito.com`;
    assert.deepEqual(a.rp, { id: rpId, name: rpId });
    assert.match(String(a.challenge), /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a.challenge, b.challenge);
    const user = a.user as Record<string, string>;
    assert.equal(user.name, "owner");
    assert.ok(user.id);
  });

  test("a credential that is not one, or answers no challenge, is refused", async () => {
    const { poolId, access } = await signedIn(WITH_PASSKEYS);
    await client.send(
      new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `passkeys-${pools}-${Date.now()}` }),
    );
    const malformed: Record<string, string | Record<string, string>>[] = [
      {},
      { id: "abc", type: "public-key" },
      { id: "a b", type: "public-key", response: {} },
    ];
    for (const credential of malformed)
      await rejectsWith(
        client.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: access, Credential: credential })),
        "InvalidParameterException",
        400,
        /^The credential is not a valid WebAuthn public key credential\.$/,
      );
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: "webauthn.create", challenge: "bm90LWlzc3VlZA", origin: "https://example.com" }),
    ).toString("base64url");
    await rejectsWith(
      client.send(
        new CompleteWebAuthnRegistrationCommand({
          AccessToken: access,
          Credential: {
            id: "abc",
            rawId: "abc",
            type: "public-key",
            response: { clientDataJSON, attestationObject: "o2Nm" },
          },
        }),
      ),
      "WebAuthnChallengeNotFoundException",
      400,
    );
    assert.deepEqual(
      (await client.send(new ListWebAuthnCredentialsCommand({ AccessToken: access }))).Credentials,
      [],
    );
    await rejectsWith(
      client.send(new ListWebAuthnCredentialsCommand({ AccessToken: access, NextToken: "not-a-token" })),
      "InvalidParameterException",
      400,
      /^Invalid pagination token\.$/,
    );
  });
});
