/**
 * With PreventUserExistenceErrors ENABLED nothing tells a real user from a name no user has: not
 * the answer (SRP's ids, codes, lockouts, limits), and not the time it takes (medians of 30 tries
 * each, taken in alternation, within 15%). The security log records the failures, with no secret.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { confirmedUser, poolWithClient } from "../support/pools.ts";
import { rawRequest, startServer, type TestServer } from "../support/server.ts";
import { startClientSrp } from "../support/srp-client.ts";

const PASSWORD = "Ex1stence-test!";
const TRIES = 30;

describe("PreventUserExistenceErrors ENABLED hides who exists", () => {
  let server: TestServer;
  let admin: CognitoIdentityProviderClient;
  let users = 0;

  before(async () => {
    server = await startServer({
      args: ["--memory"],
      // Timing runs make many attempts: limits high enough not to be reached by them.
      env: {
        LANYARD_LOG_LEVEL: "info",
        LANYARD_CODE_GUESS_LIMIT: "100000",
        LANYARD_CODE_SEND_LIMIT: "100000",
      },
    });
    admin = server.client();
  });
  after(() => server.stop());

  /** A pool (optionally signing in by email) with a hiding client and one confirmed user. */
  async function setup(usernameAttributes = false) {
    const { poolId: UserPoolId, clientId: ClientId } = await poolWithClient(admin, {
      pool: {
        PoolName: "existence",
        ...(usernameAttributes ? { UsernameAttributes: ["email"] } : {}),
        AutoVerifiedAttributes: ["email"],
      },
      app: {
        PreventUserExistenceErrors: "ENABLED",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      },
    });
    const n = ++users;
    const Username = usernameAttributes ? `person${n}@example.com` : `person${n}`;
    await confirmedUser(admin, UserPoolId, Username, PASSWORD, [
      { Name: "email", Value: `person${n}@example.com` },
      { Name: "email_verified", Value: "true" },
    ]);
    return { UserPoolId, ClientId, Username };
  }

  const call = async (target: string, body: unknown) => {
    const res = await rawRequest(server.url, target, JSON.stringify(body), {}, false);
    return { status: res.status, json: res.json };
  };
  const srpStart = (ClientId: string, USERNAME: string) =>
    call("InitiateAuth", {
      ClientId,
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: { USERNAME, SRP_A: startClientSrp().srpA },
    });

  /** Median milliseconds of `TRIES` runs of a and of b, run in alternation. */
  async function medians(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
    const ta: number[] = [];
    const tb: number[] = [];
    const time = async (fn: () => Promise<unknown>, into: number[]) => {
      const started = performance.now();
      await fn();
      into.push(performance.now() - started);
    };
    for (let i = 0; i < 3; i++) await Promise.all([a(), b()]); // warm-up
    for (let i = 0; i < TRIES; i++) {
      if (i % 2) {
        await time(a, ta);
        await time(b, tb);
      } else {
        await time(b, tb);
        await time(a, ta);
      }
    }
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    return [median(ta), median(tb)];
  }
  /**
   * The two medians are within 15% of each other, or within half a millisecond for calls that take
   * only a few (what a difference in work, such as a password hash, would take). A real difference
   * shows in every measurement; a busy machine (other tests run beside this one) disturbs only
   * some, so five measurements are allowed.
   */
  async function sameTime(a: () => Promise<unknown>, b: () => Promise<unknown>, what: string) {
    const seen: string[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const [ma, mb] = await medians(a, b);
      if (Math.abs(ma - mb) <= Math.max(0.5, 0.15 * Math.max(ma, mb))) return;
      seen.push(`${ma.toFixed(2)} ms vs ${mb.toFixed(2)} ms`);
    }
    assert.fail(`${what}: ${seen.join("; ")}`);
  }

  test("USER_SRP_AUTH: a stable simulated id for unknown names where usernames are generated", async () => {
    const { ClientId, Username } = await setup(true);
    const real = await srpStart(ClientId, Username);
    const unknown = await srpStart(ClientId, "nobody@example.com");
    const again = await srpStart(ClientId, "nobody@example.com");
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const cp = (r: { json: Record<string, unknown> }) => r.json.ChallengeParameters as Record<string, string>;
    // The real user's id is the generated username (a UUID); an unknown name's looks the same,
    // and stays the same from one attempt to the next (as do its salt).
    assert.match(cp(real).USER_ID_FOR_SRP!, uuid);
    assert.match(cp(unknown).USER_ID_FOR_SRP!, uuid);
    assert.notEqual(cp(unknown).USER_ID_FOR_SRP, "nobody@example.com");
    assert.equal(cp(again).USER_ID_FOR_SRP, cp(unknown).USER_ID_FOR_SRP);
    assert.equal(cp(again).SALT, cp(unknown).SALT);
    assert.equal(cp(unknown).USERNAME, cp(unknown).USER_ID_FOR_SRP);
  });

  test("USER_SRP_AUTH takes as long for an unknown name as for a real user", async () => {
    const { ClientId, Username } = await setup();
    await sameTime(
      () => srpStart(ClientId, Username),
      () => srpStart(ClientId, `unknown-${Math.random()}`),
      "SRP start, real vs unknown",
    );
  });

  test("ConfirmForgotPassword: no pending code reads as a wrong code, in the same time", async () => {
    const { ClientId, Username } = await setup();
    const confirm = (name: string) =>
      call("ConfirmForgotPassword", {
        ClientId,
        Username: name,
        ConfirmationCode: "123456",
        Password: "Brand-n3w-password!",
      });
    const real = await confirm(Username);
    const unknown = await confirm("nobody-here");
    assert.deepEqual(real, unknown);
    assert.equal(real.json.__type, "CodeMismatchException");
    await sameTime(
      () => confirm(Username),
      () => confirm(`unknown-${Math.random()}`),
      "ConfirmForgotPassword, real vs unknown",
    );
  });

  test("ConfirmSignUp of a confirmed user answers as for an unknown name", async () => {
    const { ClientId, Username } = await setup();
    const confirm = (name: string) =>
      call("ConfirmSignUp", { ClientId, Username: name, ConfirmationCode: "123456" });
    const real = await confirm(Username);
    assert.deepEqual(real, await confirm("nobody-here"));
    assert.equal(real.json.__type, "CodeMismatchException");
    assert.equal(real.json.message, "Invalid verification code provided, please try again.");
    await sameTime(
      () => confirm(Username),
      () => confirm(`unknown-${Math.random()}`),
      "ConfirmSignUp, confirmed user vs unknown",
    );
  });

  test("ForgotPassword answers a real user and an unknown name alike", async () => {
    const { ClientId, Username } = await setup();
    const forgot = (name: string) => call("ForgotPassword", { ClientId, Username: name });
    const real = await forgot(Username);
    const unknown = await forgot("nobody@example.com");
    assert.equal(real.status, 200);
    assert.equal(unknown.status, 200);
    assert.deepEqual(Object.keys(real.json), Object.keys(unknown.json));
  });

  test("an unknown name locks out after five wrong passwords, like a real user", async () => {
    const { ClientId, Username } = await setup();
    for (const name of [Username, "nobody-locked"]) {
      const answers = [];
      for (let i = 0; i < 6; i++) {
        const res = await call("InitiateAuth", {
          ClientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: name, PASSWORD: `Wrong-${i}-password!` },
        });
        answers.push(`${String(res.json.__type)}: ${String(res.json.message)}`);
      }
      assert.deepEqual(
        answers,
        [
          ...Array<string>(5).fill("NotAuthorizedException: Incorrect username or password."),
          "NotAuthorizedException: Password attempts exceeded",
        ],
        name,
      );
    }
    // The attempts left a trace, with the client's address, and no password in it. (Counted now:
    // while the timing below runs, a lockout may end and a further attempt be checked.)
    const logLines = () =>
      server
        .logs()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const failed = logLines().filter(
      (l) => l.msg === "password check failed" && l.username === "nobody-locked",
    );
    assert.equal(failed.length, 5);
    assert.equal(failed[0]!.clientIp, "127.0.0.1");
    // Both are locked now: the refusals take the same time too.
    const locked = (name: string) =>
      call("InitiateAuth", {
        ClientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: name, PASSWORD: "Wrong-again-password!" },
      });
    await sameTime(
      () => locked(Username),
      () => locked("nobody-locked"),
      "locked out, real vs unknown",
    );
    assert.ok(
      logLines().some((l) => l.msg === "password check refused: locked out" && l.username === Username),
    );
    assert.doesNotMatch(server.logs(), /Wrong-\d-password/);
    assert.doesNotMatch(server.logs(), new RegExp(PASSWORD));
  });
});
