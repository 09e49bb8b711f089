/**
 * Trigger benchmark: what Lambda triggers run as local modules cost. Run by `npm run bench`
 * (alone: `npm run bench -- --triggers-only`, or `node bench/triggers.ts [--quick] [--hashing P]`).
 *
 *   sign-in added   USER_PASSWORD_AUTH on a pool with PreAuthentication, PostAuthentication and
 *                   PreTokenGeneration (V2_0) mapped to a no-op module, against the same sign-in on
 *                   a pool without triggers (same server, same users, measured in turn): at most
 *                   2 ms added at p50
 *   invocations     no-op invocations through the module invoker (its worker pool), in this
 *                   process, 32 in flight: at least 3,000/s
 *
 * Lanyard runs with the test password-hashing profile unless `--hashing` says otherwise, so that
 * the figure is the triggers' cost and not the variance of Argon2id. Every answer is checked.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfiguredTriggerInvokers } from "../src/triggers/invokers.ts";
import { type Call, Client, type LoadResult, runLoad } from "./load.ts";
import { root, startLanyard, waitForQuiet } from "./servers.ts";
import { Signer } from "./sign.ts";

const NOOP_ARN = "arn:aws:lambda:us-east-1:123456789012:function:bench-noop";
const NOOP_MODULE = join(root, "bench", "noop-trigger.ts");
const PASSWORD = "Bench-passw0rd!";
const TARGETS = { addedP50Ms: 2, invocationsPerSecond: 3000 };
const SIGN_IN_CONCURRENCY = 4;
const INVOKE_CONCURRENCY = 32;

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "-");
const errorsOf = (r: LoadResult) => Object.values(r.errors).reduce((a, b) => a + b, 0);

/** A pool (with `lambda` as its LambdaConfig), a password client and `users` users with PASSWORD. */
async function pool(client: Client, name: string, lambda: object, users: number) {
  const { UserPool } = await client.json<{ UserPool: { Id: string } }>("CreateUserPool", {
    PoolName: name,
    LambdaConfig: lambda,
  });
  const { UserPoolClient } = await client.json<{ UserPoolClient: { ClientId: string } }>(
    "CreateUserPoolClient",
    {
      UserPoolId: UserPool.Id,
      ClientName: "bench",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    },
  );
  const names = Array.from({ length: users }, (_, i) => `${name}${i}`);
  for (const username of names) {
    await client.json("AdminCreateUser", {
      UserPoolId: UserPool.Id,
      Username: username,
      MessageAction: "SUPPRESS",
    });
    await client.json("AdminSetUserPassword", {
      UserPoolId: UserPool.Id,
      Username: username,
      Password: PASSWORD,
      Permanent: true,
    });
  }
  return { clientId: UserPoolClient.ClientId, names };
}

function signInCall(clientId: string, names: string[]): (i: number) => Call {
  return (i) => ({
    operation: "InitiateAuth",
    body: JSON.stringify({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: names[i % names.length], PASSWORD },
    }),
    check: (body) => {
      const out = JSON.parse(body) as { AuthenticationResult?: { AccessToken?: string } };
      return typeof out.AuthenticationResult?.AccessToken === "string";
    },
  });
}

/** No-op invocations through the module invoker, `concurrency` in flight, for `durationMs`. */
async function invocations(invokers: ConfiguredTriggerInvokers, concurrency: number, durationMs: number) {
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const event = {
    version: "1",
    triggerSource: "PreAuthentication_Authentication",
    request: {},
    response: {},
  };
  const worker = async () => {
    while (performance.now() < deadline) {
      const out = await invokers.invoke(NOOP_ARN, event, { timeoutMs: 5000, requestId: "bench" });
      if (
        out.kind === "ok" &&
        (out.result as { triggerSource?: string }).triggerSource === event.triggerSource
      )
        ok++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ok, failed, rps: (ok * 1000) / (performance.now() - started) };
}

export async function runTriggerBench(options: {
  quick: boolean;
  hashing?: string | undefined;
}): Promise<boolean> {
  const signer = new Signer({ accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret" });
  const warmupMs = options.quick ? 500 : 1_000;
  const durationMs = options.quick ? 2_000 : 5_000;
  const users = options.quick ? 20 : 50;
  const dir = mkdtempSync(join(tmpdir(), "lanyard-trigger-bench-"));
  const config = join(dir, "config.json");
  writeFileSync(config, JSON.stringify({ triggers: { [NOOP_ARN]: { module: NOOP_MODULE } } }));
  const lines: string[] = [];
  let pass = true;
  try {
    const server = await startLanyard(join(dir, "data"), {
      hashing: options.hashing ?? "test",
      args: ["--config", config],
    });
    const client = new Client(server.port, signer, 16);
    try {
      const plain = await pool(client, "plain", {}, users);
      const triggered = await pool(
        client,
        "triggered",
        {
          PreAuthentication: NOOP_ARN,
          PostAuthentication: NOOP_ARN,
          PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: NOOP_ARN },
        },
        users,
      );
      const run = (p: { clientId: string; names: string[] }, ms: number) =>
        runLoad(client, signInCall(p.clientId, p.names), {
          concurrency: SIGN_IN_CONCURRENCY,
          durationMs: ms,
        });
      // Warm both (the module's workers start on first use), then measure them in turn, twice.
      await run(plain, warmupMs);
      await run(triggered, warmupMs);
      const results: { plain: LoadResult[]; triggered: LoadResult[] } = { plain: [], triggered: [] };
      for (let round = 0; round < 2; round++) {
        await waitForQuiet(2_000);
        results.plain.push(await run(plain, durationMs / 2));
        results.triggered.push(await run(triggered, durationMs / 2));
      }
      const p50 = (rs: LoadResult[]) => rs.map((r) => r.p50).reduce((a, b) => a + b, 0) / rs.length;
      const errors = [...results.plain, ...results.triggered].reduce((n, r) => n + errorsOf(r), 0);
      const added = p50(results.triggered) - p50(results.plain);
      const addedOk = added <= TARGETS.addedP50Ms && errors === 0;
      pass &&= addedOk;
      lines.push(
        `sign-in without triggers: p50 ${fmt(p50(results.plain), 2)} ms, ${fmt(results.plain[1]!.rps)}/s`,
        `sign-in with 3 no-op triggers: p50 ${fmt(p50(results.triggered), 2)} ms, ${fmt(results.triggered[1]!.rps)}/s`,
        ...[...results.plain, ...results.triggered].flatMap((r) => r.examples.map((e) => `    ! ${e}`)),
        `${addedOk ? "PASS" : "FAIL"}  added at p50: ${fmt(added, 2)} ms (target <= ${TARGETS.addedP50Ms} ms${errors ? `, ${errors} unexpected answers` : ""})`,
      );
    } finally {
      client.close();
      await server.stop();
    }

    const invokers = new ConfiguredTriggerInvokers([{ pattern: NOOP_ARN, target: { module: NOOP_MODULE } }]);
    try {
      await invocations(invokers, INVOKE_CONCURRENCY, warmupMs);
      await waitForQuiet(2_000);
      const r = await invocations(invokers, INVOKE_CONCURRENCY, durationMs);
      const ok = r.rps >= TARGETS.invocationsPerSecond && r.failed === 0;
      pass &&= ok;
      lines.push(
        `${ok ? "PASS" : "FAIL"}  no-op invocations: ${fmt(r.rps)}/s (target >= ${TARGETS.invocationsPerSecond}/s${r.failed ? `, ${r.failed} failed` : ""})`,
      );
    } finally {
      await invokers.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    `\nTriggers (Lanyard on SQLite, ${options.hashing ?? "test"} password hashing, module invoker; ${SIGN_IN_CONCURRENCY} sign-ins in flight, ${INVOKE_CONCURRENCY} invocations in flight)\n${lines.join("\n")}\n`,
  );
  return pass;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--hashing");
  const pass = await runTriggerBench({
    quick: args.includes("--quick"),
    hashing: at >= 0 ? args[at + 1] : undefined,
  });
  process.exitCode = pass ? 0 : 1;
}
