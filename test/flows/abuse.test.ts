/** Lockout after failed sign-ins, and PreventUserExistenceErrors. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { confirmedUser } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";
import { passwordVerifierResponses, startClientSrp } from "../support/srp-client.ts";

describe("abuse resistance", () => {
  let server: TestServer;
  let admin: CognitoIdentityProviderClient;
  let poolId: string;
  let hiding: string;
  let legacy: string;
  const password = "L0ckout-test!";

  before(async () => {
    // The default Argon2id profile: the timing comparison below needs a verification that costs
    // what it costs for real users (the test profile's takes a fraction of a millisecond, lost in
    // the noise of a busy machine).
    server = await startServer({ args: ["--password-hashing", "default"] });
    admin = server.client();
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: "abuse" }))).UserPool!.Id!;
    const make = async (PreventUserExistenceErrors: "ENABLED" | "LEGACY") =>
      (
        await admin.send(
          new CreateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientName: PreventUserExistenceErrors,
            PreventUserExistenceErrors,
            ExplicitAuthFlows: [
              "ALLOW_USER_PASSWORD_AUTH",
              "ALLOW_USER_SRP_AUTH",
              "ALLOW_REFRESH_TOKEN_AUTH",
            ],
          }),
        )
      ).UserPoolClient!.ClientId!;
    hiding = await make("ENABLED");
    legacy = await make("LEGACY");
  });
  after(() => server.stop());

  async function user(name: string) {
    await confirmedUser(admin, poolId, name, password);
  }
  const signIn = (clientId: string, USERNAME: string, PASSWORD: string) =>
    admin.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME, PASSWORD },
      }),
    );

  test("after five failed sign-ins the user is locked out, even with the right password", async () => {
    await user("victim");
    for (let i = 0; i < 5; i++)
      await rejectsWith(
        signIn(legacy, "victim", `Wrong-${i}-password`),
        "NotAuthorizedException",
        400,
        /^Incorrect username or password\.$/,
      );
    await rejectsWith(
      signIn(legacy, "victim", password),
      "NotAuthorizedException",
      400,
      /^Password attempts exceeded$/,
    );
    // The first lockout lasts one second.
    await new Promise((r) => setTimeout(r, 1100));
    const ok = await signIn(legacy, "victim", password);
    assert.ok(ok.AuthenticationResult?.AccessToken);
  });

  test("PreventUserExistenceErrors ENABLED: an unknown user looks like a wrong password", async () => {
    await user("known");
    const errorOf = async (p: Promise<unknown>) => {
      const started = performance.now();
      try {
        await p;
      } catch (e) {
        const err = e as Error & { $metadata?: { httpStatusCode?: number } };
        return {
          name: err.name,
          message: err.message,
          status: err.$metadata?.httpStatusCode,
          ms: performance.now() - started,
        };
      }
      throw new Error("expected a failure");
    };
    const unknown = [];
    const wrong = [];
    for (let i = 0; i < 4; i++) {
      unknown.push(await errorOf(signIn(hiding, `nobody-${i}`, "Some-passw0rd!")));
      wrong.push(await errorOf(signIn(hiding, "known", "Some-passw0rd!")));
    }
    for (const e of [...unknown, ...wrong]) {
      assert.equal(e.name, "NotAuthorizedException");
      assert.equal(e.message, "Incorrect username or password.");
      assert.equal(e.status, 400);
    }
    // Both spend one Argon2id verification. The fastest of several tries is the least disturbed by
    // whatever else the machine does, so those are compared.
    const fastest = (xs: { ms: number }[]) => Math.min(...xs.map((x) => x.ms));
    const ratio = fastest(unknown) / fastest(wrong);
    assert.ok(ratio > 0.5 && ratio < 2, `timing ratio ${ratio}`);

    // LEGACY clients say the user does not exist.
    await rejectsWith(signIn(legacy, "nobody", "Some-passw0rd!"), "UserNotFoundException", 400);
  });

  test("PreventUserExistenceErrors ENABLED: SRP for an unknown user gets a stable salt and fails like a wrong password", async () => {
    const start = async (USERNAME: string) => {
      const srp = startClientSrp();
      const out = await admin.send(
        new InitiateAuthCommand({
          ClientId: hiding,
          AuthFlow: "USER_SRP_AUTH",
          AuthParameters: { USERNAME, SRP_A: srp.srpA },
        }),
      );
      return { srp, out };
    };
    const a = await start("phantom");
    const b = await start("phantom");
    assert.equal(a.out.ChallengeName, "PASSWORD_VERIFIER");
    assert.equal(a.out.ChallengeParameters?.SALT, b.out.ChallengeParameters?.SALT);
    assert.notEqual(a.out.ChallengeParameters?.SRP_B, b.out.ChallengeParameters?.SRP_B);
    assert.match(a.out.ChallengeParameters?.SALT ?? "", /^[0-9a-f]+$/);
    const responses = passwordVerifierResponses({
      poolId,
      password: "Any-passw0rd!",
      client: a.srp,
      challengeParameters: a.out.ChallengeParameters!,
    });
    await rejectsWith(
      admin.send(
        new RespondToAuthChallengeCommand({
          ClientId: hiding,
          ChallengeName: "PASSWORD_VERIFIER",
          ChallengeResponses: responses,
        }),
      ),
      "NotAuthorizedException",
      400,
      /^Incorrect username or password\.$/,
    );
  });

  test("SRP with the right password signs in; the secret block is answered once", async () => {
    await user("srp-once");
    const srp = startClientSrp();
    const out = await admin.send(
      new InitiateAuthCommand({
        ClientId: legacy,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: { USERNAME: "srp-once", SRP_A: srp.srpA },
      }),
    );
    const responses = passwordVerifierResponses({
      poolId,
      password,
      client: srp,
      challengeParameters: out.ChallengeParameters!,
    });
    const done = await admin.send(
      new RespondToAuthChallengeCommand({
        ClientId: legacy,
        ChallengeName: "PASSWORD_VERIFIER",
        ChallengeResponses: responses,
      }),
    );
    assert.ok(done.AuthenticationResult?.IdToken);
    await rejectsWith(
      admin.send(
        new RespondToAuthChallengeCommand({
          ClientId: legacy,
          ChallengeName: "PASSWORD_VERIFIER",
          ChallengeResponses: responses,
        }),
      ),
      "NotAuthorizedException",
      400,
    );
  });
});
