/**
 * Sign-in benchmark: USER_PASSWORD_AUTH, a complete USER_SRP_AUTH sign-in (both round trips),
 * REFRESH_TOKEN_AUTH and GetUser with an access token, on Lanyard and, where it can run the same
 * workload, on moto_server. Run by `npm run bench` (alone: `npm run bench -- --sign-in-only`).
 *
 * Targets on this 2-core machine, server and load generator together: USER_PASSWORD_AUTH at least
 * 45/s with Argon2id at OWASP parameters, SRP at least 100 sign-ins/s, REFRESH_TOKEN_AUTH at
 * least 800/s, GetUser at least 3,000/s.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { passwordVerifierResponses, startClientSrp } from "../test/support/srp-client.ts";
import { type Call, Client, type LoadResult, type Response, runLoad } from "./load.ts";
import { type RunningServer, startLanyard, startMoto } from "./servers.ts";
import { Signer } from "./sign.ts";

const TARGETS = { password: 45, srp: 100, refresh: 800, getUser: 3000 } as const;
export const PASSWORD = "Bench-passw0rd!";
/** Complete SRP sign-ins in flight: each waits on two round trips, so more are needed to fill the cores. */
const SRP_CONCURRENCY = 16;

interface Row {
  workload: keyof typeof TARGETS;
  label: string;
  server: string;
  result: LoadResult;
  note?: string;
}

export interface Fixture {
  poolId: string;
  clientId: string;
  users: string[];
  refreshTokens: string[];
  accessTokens: string[];
}

/**
 * A pool, an app client allowing the three flows, and `users` users (signer0...) with PASSWORD,
 * each signed in once; `concurrency` users are set up at a time.
 */
export async function setUp(client: Client, users: number, concurrency = 1): Promise<Fixture> {
  const { UserPool } = await client.json<{ UserPool: { Id: string } }>("CreateUserPool", {
    PoolName: "sign-in-bench",
  });
  const poolId = UserPool.Id;
  const { UserPoolClient } = await client.json<{ UserPoolClient: { ClientId: string } }>(
    "CreateUserPoolClient",
    {
      UserPoolId: poolId,
      ClientName: "bench",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    },
  );
  const fixture: Fixture = {
    poolId,
    clientId: UserPoolClient.ClientId,
    users: [],
    refreshTokens: [],
    accessTokens: [],
  };
  let next = 0;
  const worker = async () => {
    while (next < users) {
      const name = `signer${next++}`;
      await client.json("AdminCreateUser", { UserPoolId: poolId, Username: name, MessageAction: "SUPPRESS" });
      await client.json("AdminSetUserPassword", {
        UserPoolId: poolId,
        Username: name,
        Password: PASSWORD,
        Permanent: true,
      });
      const out = await client.json<{ AuthenticationResult: { RefreshToken: string; AccessToken: string } }>(
        "InitiateAuth",
        {
          ClientId: fixture.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: name, PASSWORD },
        },
      );
      fixture.users.push(name);
      fixture.refreshTokens.push(out.AuthenticationResult.RefreshToken);
      fixture.accessTokens.push(out.AuthenticationResult.AccessToken);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return fixture;
}

export const hasTokens = (body: string) => body.includes('"AccessToken"');

export function passwordCall(f: Fixture): (i: number) => Call {
  return (i) => ({
    operation: "InitiateAuth",
    body: JSON.stringify({
      ClientId: f.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: f.users[i % f.users.length], PASSWORD },
    }),
    check: hasTokens,
  });
}

export function refreshCall(f: Fixture): (i: number) => Call {
  return (i) => ({
    operation: "InitiateAuth",
    body: JSON.stringify({
      ClientId: f.clientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: f.refreshTokens[i % f.refreshTokens.length] },
    }),
    check: hasTokens,
  });
}

export function getUserCall(f: Fixture): (i: number) => Call {
  return (i) => ({
    operation: "GetUser",
    body: JSON.stringify({ AccessToken: f.accessTokens[i % f.accessTokens.length] }),
    check: (b) => b.includes('"Username"'),
  });
}

/**
 * One complete USER_SRP_AUTH sign-in: InitiateAuth, then RespondToAuthChallenge to its
 * PASSWORD_VERIFIER challenge. `second` is missing when the first answer was not a 200.
 */
export async function srpSignIn(
  client: Client,
  f: Fixture,
  username: string,
): Promise<{ first: Response; second?: Response }> {
  const srp = startClientSrp();
  const first = await client.send({
    operation: "InitiateAuth",
    body: JSON.stringify({
      ClientId: f.clientId,
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: { USERNAME: username, SRP_A: srp.srpA },
    }),
  });
  if (first.status !== 200) return { first };
  const challenge = JSON.parse(first.body) as {
    ChallengeParameters: Record<string, string>;
    Session?: string;
  };
  const responses = passwordVerifierResponses({
    poolId: f.poolId,
    password: PASSWORD,
    client: srp,
    challengeParameters: challenge.ChallengeParameters,
  });
  const second = await client.send({
    operation: "RespondToAuthChallenge",
    body: JSON.stringify({
      ClientId: f.clientId,
      ChallengeName: "PASSWORD_VERIFIER",
      ChallengeResponses: responses,
      ...(challenge.Session ? { Session: challenge.Session } : {}),
    }),
  });
  return { first, second };
}

/** Complete SRP sign-ins (both round trips each), `concurrency` at a time, for `durationMs`. */
async function srpLoad(
  client: Client,
  f: Fixture,
  concurrency: number,
  durationMs: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const examples: string[] = [];
  let ok = 0;
  let n = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationMs;
  const fail = (kind: string, detail: string) => {
    errors[kind] = (errors[kind] ?? 0) + 1;
    if (examples.length < 5) examples.push(`${kind}: ${detail.slice(0, 300)}`);
  };
  const worker = async () => {
    while (performance.now() < deadline) {
      const username = f.users[n++ % f.users.length]!;
      const t0 = performance.now();
      const { first, second } = await srpSignIn(client, f, username);
      if (!second) {
        fail(`HTTP ${first.status} ${first.errorType ?? ""}`, first.body);
        continue;
      }
      latencies.push(performance.now() - t0);
      if (second.status !== 200 || !hasTokens(second.body))
        fail(`HTTP ${second.status} ${second.errorType ?? ""}`, second.body);
      else ok++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) =>
    sorted.length ? sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]! : Number.NaN;
  return {
    requests: latencies.length,
    ok,
    errors,
    examples,
    elapsedMs,
    rps: (ok * 1000) / elapsedMs,
    p50: at(0.5),
    p99: at(0.99),
    max: at(1),
    loadCpu: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
  };
}

/** Warm-up before each measured workload, as the user-management workloads' (`warmupMs` in run.ts). */
const WARM_UP_MS = 3_000;

async function measure(server: RunningServer, signer: Signer, quick: boolean): Promise<Row[]> {
  const client = new Client(server.port, signer, 64);
  const rows: Row[] = [];
  const seconds = quick ? 3000 : 6000;
  try {
    const f = await setUp(client, quick ? 20 : 50);
    const run = async (
      workload: Row["workload"],
      label: string,
      next: (i: number) => Call,
      concurrency: number,
    ) => {
      await runLoad(client, next, { concurrency, durationMs: quick ? 500 : WARM_UP_MS });
      rows.push({
        workload,
        label,
        server: server.name,
        result: await runLoad(client, next, { concurrency, durationMs: seconds }),
      });
    };
    await run("password", "USER_PASSWORD_AUTH", passwordCall(f), 8);
    if (server.name === "moto") {
      rows.push({
        workload: "srp",
        label: "USER_SRP_AUTH (both round trips)",
        server: server.name,
        result: await srpLoad(client, f, SRP_CONCURRENCY, seconds),
        note: "not comparable: moto refuses the answer to its own PASSWORD_VERIFIER challenge",
      });
    } else {
      await srpLoad(client, f, SRP_CONCURRENCY, 500);
      rows.push({
        workload: "srp",
        label: "USER_SRP_AUTH (both round trips)",
        server: server.name,
        result: await srpLoad(client, f, SRP_CONCURRENCY, seconds),
      });
    }
    await run("refresh", "REFRESH_TOKEN_AUTH", refreshCall(f), 32);
    await run("getUser", "GetUser (access token)", getUserCall(f), 64);
  } finally {
    client.close();
  }
  return rows;
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "-");

function report(rows: Row[]): { text: string; pass: boolean } {
  const lines = [
    "workload                          server    req/s   p50 ms  p99 ms  errors",
    "-".repeat(78),
  ];
  for (const r of rows) {
    const errors = Object.values(r.result.errors).reduce((a, b) => a + b, 0);
    lines.push(
      `${r.label.padEnd(34)}${r.server.padEnd(9)}${fmt(r.result.rps).padStart(6)}${fmt(r.result.p50, 1).padStart(9)}${fmt(r.result.p99, 1).padStart(8)}${String(errors).padStart(8)}${r.note ? `  (${r.note})` : ""}`,
    );
    for (const ex of r.result.examples) lines.push(`    ${ex}`);
  }
  let pass = true;
  lines.push("");
  for (const [workload, target] of Object.entries(TARGETS)) {
    const r = rows.find((x) => x.server === "lanyard" && x.workload === workload);
    if (!r) continue;
    const errors = Object.values(r.result.errors).reduce((a, b) => a + b, 0);
    const ok = r.result.rps >= target && errors === 0;
    pass &&= ok;
    lines.push(
      `${ok ? "PASS" : "FAIL"}  ${r.label}: ${fmt(r.result.rps)}/s (target ${target}/s${errors ? `, ${errors} errors` : ""})`,
    );
  }
  return { text: lines.join("\n"), pass };
}

export async function runSignInBench(options: {
  quick: boolean;
  moto: boolean;
  /** Lanyard's password-hashing profile; its default when undefined. */
  hashing?: string | undefined;
}): Promise<boolean> {
  const signer = new Signer({ accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret" });
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), "lanyard-sign-in-bench-"));
  try {
    const lanyard = await startLanyard(dir, { hashing: options.hashing });
    try {
      rows.push(...(await measure(lanyard, signer, options.quick)));
    } finally {
      await lanyard.stop();
    }
    if (options.moto) {
      const moto = await startMoto();
      try {
        rows.push(...(await measure(moto, signer, options.quick)));
      } catch (e) {
        process.stdout.write(`moto: sign-in workloads failed: ${(e as Error).message.slice(0, 300)}\n`);
      } finally {
        await moto.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { text, pass } = report(rows);
  process.stdout.write(
    `\nSign-in (Lanyard on SQLite, file-backed, ${options.hashing ?? "default"} password hashing; concurrency 8 for password, ${SRP_CONCURRENCY} SRP, 32 refresh, 64 GetUser)\n${text}\n`,
  );
  return pass;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--hashing");
  const pass = await runSignInBench({
    quick: args.includes("--quick"),
    moto: !args.includes("--no-moto"),
    hashing: at >= 0 ? args[at + 1] : undefined,
  });
  process.exitCode = pass ? 0 : 1;
}
