/**
 * Concurrent guesses never outrun the lockout: of a burst of wrong passwords sent at once, no more
 * are verified than the lockout allows (five), whether by USER_PASSWORD_AUTH, by SRP's
 * PASSWORD_VERIFIER or by ChangePassword, and the right password sent during the lockout is
 * refused. On PostgreSQL the burst is spread over two instances of one database.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {} from "@aws-sdk/client-cognito-identity-provider";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { createTestDatabase, type TestDatabase, testPostgresUrl } from "../support/postgres.ts";
import { rawRequest, startServer, type TestServer } from "../support/server.ts";
import { passwordVerifierResponses, startClientSrp } from "../support/srp-client.ts";

const PASSWORD = "R1ght-password!";
const BURST = 100;
const INCORRECT = "Incorrect username or password.";

describe("concurrent guesses and the lockout", () => {
  let db: TestDatabase | undefined;
  let servers: TestServer[] = [];
  let poolId: string;
  let clientId: string;
  let users = 0;

  before(async () => {
    if (testPostgresUrl()) {
      db = await createTestDatabase();
      // One issuer behind one address, as behind a load balancer.
      const args = ["--storage", db.url, "--public-url", "http://lanyard.test"];
      servers = await Promise.all([startServer({ args }), startServer({ args })]);
    } else {
      servers = [await startServer()];
    }
    const admin = servers[0]!.client();
    ({ poolId, clientId } = await poolWithClient(admin, {
      pool: { PoolName: "race" },
      app: {
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      },
    }));
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.drop();
  });

  async function newUser(): Promise<string> {
    const admin = servers[0]!.client();
    const Username = `racer${++users}`;
    await confirmedUser(admin, poolId, Username, PASSWORD);
    return Username;
  }

  /** An unsigned call to the i-th instance (round robin); resolves to `__type: message` or "ok". */
  async function call(i: number, target: string, body: unknown): Promise<string> {
    const server = servers[i % servers.length]!;
    const res = await rawRequest(server.url, target, JSON.stringify(body), {}, false);
    return res.status === 200 ? "ok" : `${String(res.json.__type)}: ${String(res.json.message)}`;
  }

  const passwordAuth = (i: number, USERNAME: string, PASSWORD: string) =>
    call(i, "InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME, PASSWORD },
    });

  /** Sends `BURST` requests at once; resolves once five of them were answered as wrong passwords. */
  function burst(send: (i: number) => Promise<string>, wrong: string) {
    let seen = 0;
    let fifth!: () => void;
    const fiveWrong = new Promise<void>((r) => {
      fifth = r;
    });
    const all = Promise.all(
      Array.from({ length: BURST }, async (_, i) => {
        const answer = await send(i);
        if (answer === wrong && ++seen === 5) fifth();
        return answer;
      }),
    );
    return { fiveWrong: Promise.race([fiveWrong, all.then(() => {})]), all };
  }

  const tally = (answers: string[]) =>
    answers.reduce<Record<string, number>>((t, a) => ((t[a] = (t[a] ?? 0) + 1), t), {});

  test(`${BURST} wrong passwords at once: at most five are checked, and the right one is refused`, async () => {
    const username = await newUser();
    const wrong = `NotAuthorizedException: ${INCORRECT}`;
    const run = burst((i) => passwordAuth(i, username, `Wrong-${i}-password!`), wrong);
    await run.fiveWrong;
    const right = await Promise.all([
      passwordAuth(0, username, PASSWORD),
      passwordAuth(1, username, PASSWORD),
    ]);
    const answers = await run.all;
    const counts = tally(answers);
    assert.ok((counts[wrong] ?? 0) <= 5, `checked ${counts[wrong]} of ${BURST}: ${JSON.stringify(counts)}`);
    assert.equal(counts["NotAuthorizedException: Password attempts exceeded"], BURST - (counts[wrong] ?? 0));
    assert.deepEqual(right, [
      "NotAuthorizedException: Password attempts exceeded",
      "NotAuthorizedException: Password attempts exceeded",
    ]);
  });

  test(`${BURST} wrong SRP claims at once: at most five are checked, and the right password is refused`, async () => {
    const username = await newUser();
    // The challenges first (nothing is checked yet), then every wrong answer at once.
    const challenges: Record<string, string>[] = [];
    for (let batch = 0; batch < BURST; batch += 20) {
      challenges.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(20, BURST - batch) }, async (_, j) => {
            const client = startClientSrp();
            const server = servers[(batch + j) % servers.length]!;
            const res = await rawRequest(
              server.url,
              "InitiateAuth",
              JSON.stringify({
                ClientId: clientId,
                AuthFlow: "USER_SRP_AUTH",
                AuthParameters: { USERNAME: username, SRP_A: client.srpA },
              }),
              {},
              false,
            );
            assert.equal(res.status, 200, JSON.stringify(res.json));
            const responses = passwordVerifierResponses({
              poolId,
              password: `Wrong-${batch + j}-password!`,
              client,
              challengeParameters: res.json.ChallengeParameters as Record<string, string>,
            });
            return responses;
          }),
        )),
      );
    }
    const wrong = `NotAuthorizedException: ${INCORRECT}`;
    const run = burst(
      (i) =>
        call(i, "RespondToAuthChallenge", {
          ClientId: clientId,
          ChallengeName: "PASSWORD_VERIFIER",
          ChallengeResponses: challenges[i],
        }),
      wrong,
    );
    await run.fiveWrong;
    const client = startClientSrp();
    const start = await call(0, "InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: { USERNAME: username, SRP_A: client.srpA },
    });
    const counts = tally(await run.all);
    assert.ok((counts[wrong] ?? 0) <= 5, `checked ${counts[wrong]} of ${BURST}: ${JSON.stringify(counts)}`);
    assert.equal(counts["NotAuthorizedException: Password attempts exceeded"], BURST - (counts[wrong] ?? 0));
    assert.equal(start, "NotAuthorizedException: Password attempts exceeded");
  });

  test(`${BURST} ChangePassword calls with a wrong password at once: at most five are checked`, async () => {
    const username = await newUser();
    const signedIn = await rawRequest(
      servers[0]!.url,
      "InitiateAuth",
      JSON.stringify({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
      {},
      false,
    );
    const AccessToken = (signedIn.json.AuthenticationResult as { AccessToken: string }).AccessToken;
    const change = (i: number, PreviousPassword: string) =>
      call(i, "ChangePassword", { AccessToken, PreviousPassword, ProposedPassword: "Brand-n3w-password!" });
    const wrong = `NotAuthorizedException: ${INCORRECT}`;
    const run = burst((i) => change(i, `Wrong-${i}-password!`), wrong);
    await run.fiveWrong;
    const right = await change(0, PASSWORD);
    const counts = tally(await run.all);
    const limited = "LimitExceededException: Attempt limit exceeded, please try after some time.";
    assert.ok((counts[wrong] ?? 0) <= 5, `checked ${counts[wrong]} of ${BURST}: ${JSON.stringify(counts)}`);
    assert.equal(counts[limited], BURST - (counts[wrong] ?? 0), JSON.stringify(counts));
    assert.equal(right, limited);
  });
});
