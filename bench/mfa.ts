/**
 * MFA benchmark: three complete sign-ins on one Lanyard (SQLite, file-backed, `--delivery inbox`),
 * each counted as one sign-in however many round trips it takes. Run by `npm run bench` (alone:
 * `npm run bench -- --mfa-only`, or `node bench/mfa.ts [--quick] [--hashing test]`).
 *
 * - TOTP: USER_PASSWORD_AUTH, then SOFTWARE_TOKEN_MFA answered with a code computed by otplib.
 *   Lanyard refuses a code of a time step it already accepted for the user, so the bench keeps each
 *   user's last step and uses each step once (a user serves at most the three steps the server
 *   accepts at a time); there are enough users for the whole run.
 * - Remembered device: USER_SRP_AUTH with the DEVICE_KEY of a confirmed, remembered device, its
 *   PASSWORD_VERIFIER, then DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER (four round trips).
 * - EMAIL_OTP: USER_AUTH with PREFERRED_CHALLENGE EMAIL_OTP, the code read from
 *   `GET /_lanyard/inbox`, then the EMAIL_OTP answer. No password is hashed.
 *
 * Each worker signs in users of its own (a user has one sign-in in flight at a time: a new code
 * replaces the one before). Lanyard's per-user code-send limit is raised for the run, since the
 * EMAIL_OTP workload sends each user many codes within its window.
 *
 * Targets on the 2-core machine, server and load generator together: TOTP 40/s (Argon2id at
 * OWASP parameters), remembered device 60/s, EMAIL_OTP 300/s.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSync } from "otplib";
import {
  devicePasswordVerifierResponses,
  deviceVerifierConfig,
  passwordVerifierResponses,
  startClientSrp,
} from "../test/support/srp-client.ts";
import { Client, type LoadResult, type Response } from "./load.ts";
import { type RunningServer, startLanyard } from "./servers.ts";
import { Signer } from "./sign.ts";

const TARGETS = { totp: 40, device: 60, emailOtp: 300 } as const;
type Workload = keyof typeof TARGETS;
const LABELS: Record<Workload, string> = {
  totp: "TOTP sign-in (password + SOFTWARE_TOKEN_MFA)",
  device: "remembered device (SRP + device SRP)",
  emailOtp: "USER_AUTH EMAIL_OTP (code from the inbox)",
};
const CONCURRENCY: Record<Workload, number> = { totp: 8, device: 16, emailOtp: 32 };
const PASSWORD = "Bench-mfa-passw0rd!";
const STEP_SECONDS = 30;

interface Row {
  workload: Workload;
  result: LoadResult;
}

/** One sign-in's failure, or undefined when it ended in tokens. */
type SignIn = (user: number) => Promise<string | undefined>;

const hasTokens = (r: Response) => r.status === 200 && r.body.includes('"AccessToken"');
/** A failed step: its kind (step, status, error type), then ` | ` and the answer's body. */
const failure = (step: string, r: Response) => `${step}: HTTP ${r.status} ${r.errorType ?? ""} | ${r.body}`;

/**
 * Complete sign-ins for `durationMs`, `concurrency` at a time; worker w signs in users w, w +
 * concurrency, ... in turn, skipping those `ready` says cannot sign in yet.
 */
async function flowLoad(
  concurrency: number,
  users: number,
  durationMs: number,
  signIn: SignIn,
  ready: (user: number) => boolean = () => true,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const examples: string[] = [];
  let ok = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async (w: number) => {
    const mine = Array.from({ length: Math.ceil((users - w) / concurrency) }, (_, k) => w + k * concurrency);
    let k = 0;
    while (performance.now() < deadline) {
      let user: number | undefined;
      for (let tries = 0; tries < mine.length && user === undefined; tries++) {
        const u = mine[k++ % mine.length]!;
        if (ready(u)) user = u;
      }
      if (user === undefined) {
        const kind = "no user ready (too few users)";
        if ((errors[kind] = (errors[kind] ?? 0) + 1) === 1) examples.push(kind);
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const t0 = performance.now();
      const error = await signIn(user).catch((e: unknown) => `network: ${(e as Error).message}`);
      latencies.push(performance.now() - t0);
      if (error === undefined) ok++;
      else {
        const kind = error.split(" | ")[0]!.trim();
        errors[kind] = (errors[kind] ?? 0) + 1;
        if (examples.length < 5) examples.push(error.slice(0, 300));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
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

/** Runs `work` on 0 ... n-1, `concurrency` at a time. */
async function each(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await work(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function pool(client: Client, name: string, input: Record<string, unknown>, flows: string[]) {
  const { UserPool } = await client.json<{ UserPool: { Id: string } }>("CreateUserPool", {
    PoolName: name,
    ...input,
  });
  const { UserPoolClient } = await client.json<{ UserPoolClient: { ClientId: string } }>(
    "CreateUserPoolClient",
    { UserPoolId: UserPool.Id, ClientName: "bench", ExplicitAuthFlows: flows },
  );
  return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId };
}

async function createUser(client: Client, poolId: string, name: string, attributes: object[] = []) {
  await client.json("AdminCreateUser", {
    UserPoolId: poolId,
    Username: name,
    MessageAction: "SUPPRESS",
    UserAttributes: attributes,
  });
  await client.json("AdminSetUserPassword", {
    UserPoolId: poolId,
    Username: name,
    Password: PASSWORD,
    Permanent: true,
  });
}

const currentStep = () => Math.floor(Date.now() / 1000 / STEP_SECONDS);
const totp = (secret: string, step: number) => generateSync({ secret, epoch: step * STEP_SECONDS });

/** Users with a verified authenticator as their preferred MFA; the sign-in answers its code. */
async function totpWorkload(client: Client, users: number) {
  const { poolId, clientId } = await pool(client, "mfa-bench-totp", {}, [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
  ]);
  await client.json("SetUserPoolMfaConfig", {
    UserPoolId: poolId,
    MfaConfiguration: "OPTIONAL",
    SoftwareTokenMfaConfiguration: { Enabled: true },
  });
  const secrets: string[] = [];
  const lastStep: number[] = [];
  await each(users, 8, async (i) => {
    await createUser(client, poolId, `totp${i}`);
    const out = await client.json<{ AuthenticationResult: { AccessToken: string } }>("InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: `totp${i}`, PASSWORD },
    });
    const AccessToken = out.AuthenticationResult.AccessToken;
    const { SecretCode } = await client.json<{ SecretCode: string }>("AssociateSoftwareToken", {
      AccessToken,
    });
    // The previous step: the current one and the next stay free for sign-ins.
    const step = currentStep() - 1;
    await client.json("VerifySoftwareToken", { AccessToken, UserCode: totp(SecretCode, step) });
    await client.json("SetUserMFAPreference", {
      AccessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    secrets[i] = SecretCode;
    lastStep[i] = step;
  });
  /** The step this user's next code is of: one the server accepts now (current +-1) and has not seen. */
  const nextStep = (u: number) => Math.max(lastStep[u]! + 1, currentStep() - 1);
  const ready = (u: number) => nextStep(u) <= currentStep() + 1;
  const signIn: SignIn = async (u) => {
    const username = `totp${u}`;
    const step = nextStep(u);
    lastStep[u] = step;
    const first = await client.send({
      operation: "InitiateAuth",
      body: JSON.stringify({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    });
    if (first.status !== 200 || !first.body.includes('"SOFTWARE_TOKEN_MFA"'))
      return failure("password", first);
    const { Session } = JSON.parse(first.body) as { Session: string };
    const second = await client.send({
      operation: "RespondToAuthChallenge",
      body: JSON.stringify({
        ClientId: clientId,
        ChallengeName: "SOFTWARE_TOKEN_MFA",
        Session,
        ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totp(secrets[u]!, step) },
      }),
    });
    return hasTokens(second) ? undefined : failure("SOFTWARE_TOKEN_MFA", second);
  };
  return { signIn, ready };
}

/** Users each with a confirmed, remembered device; the sign-in proves the password, then the device. */
async function deviceWorkload(client: Client, users: number) {
  const { poolId, clientId } = await pool(
    client,
    "mfa-bench-devices",
    { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } },
    ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  );
  const devices: { deviceKey: string; groupKey: string; password: string }[] = [];
  await each(users, 8, async (i) => {
    await createUser(client, poolId, `device${i}`);
    const out = await client.json<{
      AuthenticationResult: {
        AccessToken: string;
        NewDeviceMetadata: { DeviceKey: string; DeviceGroupKey: string };
      };
    }>("InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: `device${i}`, PASSWORD },
    });
    const meta = out.AuthenticationResult.NewDeviceMetadata;
    const device = {
      deviceKey: meta.DeviceKey,
      groupKey: meta.DeviceGroupKey,
      password: `bench-device-${i}`,
    };
    await client.json("ConfirmDevice", {
      AccessToken: out.AuthenticationResult.AccessToken,
      DeviceKey: device.deviceKey,
      DeviceName: "bench device",
      DeviceSecretVerifierConfig: deviceVerifierConfig(device.groupKey, device.deviceKey, device.password),
    });
    devices[i] = device;
  });
  const respond = (ChallengeName: string, Session: string | undefined, ChallengeResponses: object) =>
    client.send({
      operation: "RespondToAuthChallenge",
      body: JSON.stringify({
        ClientId: clientId,
        ChallengeName,
        ChallengeResponses,
        ...(Session ? { Session } : {}),
      }),
    });
  type Challenge = { ChallengeName?: string; Session?: string; ChallengeParameters: Record<string, string> };
  const signIn: SignIn = async (u) => {
    const username = `device${u}`;
    const device = devices[u]!;
    const srp = startClientSrp();
    const first = await client.send({
      operation: "InitiateAuth",
      body: JSON.stringify({
        ClientId: clientId,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: { USERNAME: username, SRP_A: srp.srpA, DEVICE_KEY: device.deviceKey },
      }),
    });
    if (first.status !== 200) return failure("USER_SRP_AUTH", first);
    const verifier = JSON.parse(first.body) as Challenge;
    const second = await respond("PASSWORD_VERIFIER", verifier.Session, {
      ...passwordVerifierResponses({
        poolId,
        password: PASSWORD,
        client: srp,
        challengeParameters: verifier.ChallengeParameters,
      }),
      DEVICE_KEY: device.deviceKey,
    });
    if (second.status !== 200 || !second.body.includes('"DEVICE_SRP_AUTH"'))
      return failure("PASSWORD_VERIFIER", second);
    const deviceSrp = startClientSrp();
    const third = await respond("DEVICE_SRP_AUTH", (JSON.parse(second.body) as Challenge).Session, {
      USERNAME: username,
      DEVICE_KEY: device.deviceKey,
      SRP_A: deviceSrp.srpA,
    });
    if (third.status !== 200) return failure("DEVICE_SRP_AUTH", third);
    const claim = JSON.parse(third.body) as Challenge;
    const fourth = await respond(
      "DEVICE_PASSWORD_VERIFIER",
      claim.Session,
      devicePasswordVerifierResponses({
        username,
        ...device,
        client: deviceSrp,
        challengeParameters: claim.ChallengeParameters,
      }),
    );
    return hasTokens(fourth) ? undefined : failure("DEVICE_PASSWORD_VERIFIER", fourth);
  };
  return { signIn };
}

/** Users with a verified email address; the sign-in is USER_AUTH with an emailed code. */
async function emailOtpWorkload(client: Client, users: number) {
  const { poolId, clientId } = await pool(
    client,
    "mfa-bench-email-otp",
    { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] } } },
    ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  );
  await each(users, 8, (i) =>
    createUser(client, poolId, `otp${i}`, [
      { Name: "email", Value: `otp${i}@example.com` },
      { Name: "email_verified", Value: "true" },
    ]),
  );
  const signIn: SignIn = async (u) => {
    const username = `otp${u}`;
    const first = await client.send({
      operation: "InitiateAuth",
      body: JSON.stringify({
        ClientId: clientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: "EMAIL_OTP" },
      }),
    });
    if (first.status !== 200 || !first.body.includes('"EMAIL_OTP"')) return failure("USER_AUTH", first);
    const box = await client.send({
      operation: "inbox",
      body: "",
      http: { method: "GET", path: `/_lanyard/inbox?poolId=${poolId}&username=${username}` },
    });
    const code = (JSON.parse(box.body) as { messages: { code: string }[] }).messages[0]?.code;
    if (box.status !== 200 || !code) return failure("inbox", box);
    const second = await client.send({
      operation: "RespondToAuthChallenge",
      body: JSON.stringify({
        ClientId: clientId,
        ChallengeName: "EMAIL_OTP",
        Session: (JSON.parse(first.body) as { Session: string }).Session,
        ChallengeResponses: { USERNAME: username, EMAIL_OTP_CODE: code },
      }),
    });
    return hasTokens(second) ? undefined : failure("EMAIL_OTP", second);
  };
  return { signIn };
}

async function measure(
  server: RunningServer,
  signer: Signer,
  quick: boolean,
  fastHashing: boolean,
): Promise<Row[]> {
  const client = new Client(server.port, signer, 64);
  const durationMs = quick ? 3000 : 6000;
  const warmupMs = 500;
  const rows: Row[] = [];
  try {
    const run = async (
      workload: Workload,
      users: number,
      w: { signIn: SignIn; ready?: (u: number) => boolean },
    ) => {
      const c = CONCURRENCY[workload];
      await flowLoad(c, users, warmupMs, w.signIn, w.ready);
      rows.push({ workload, result: await flowLoad(c, users, durationMs, w.signIn, w.ready) });
    };
    // Each TOTP user serves at most three sign-ins in the first 30 s (the steps the server accepts at
    // once), then one a step: enough users for the sign-ins the password hashing allows.
    const totpUsers = (fastHashing ? 2400 : 400) / (quick ? 2 : 1);
    await run("totp", totpUsers, await totpWorkload(client, totpUsers));
    await run("device", 64, await deviceWorkload(client, 64));
    await run("emailOtp", 256, await emailOtpWorkload(client, 256));
  } finally {
    client.close();
  }
  return rows;
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "-");

function report(rows: Row[]): { text: string; pass: boolean } {
  const lines = [
    "workload                                       in flight  sign-ins/s  p50 ms  p99 ms  errors",
    "-".repeat(94),
  ];
  let pass = true;
  const checks: string[] = [];
  for (const r of rows) {
    const errors = Object.values(r.result.errors).reduce((a, b) => a + b, 0);
    lines.push(
      `${LABELS[r.workload].padEnd(47)}${String(CONCURRENCY[r.workload]).padStart(9)}${fmt(r.result.rps).padStart(12)}${fmt(r.result.p50, 1).padStart(8)}${fmt(r.result.p99, 1).padStart(8)}${String(errors).padStart(8)}`,
    );
    for (const ex of r.result.examples) lines.push(`    ${ex}`);
    const target = TARGETS[r.workload];
    const ok = r.result.rps >= target && errors === 0;
    pass &&= ok;
    checks.push(
      `${ok ? "PASS" : "FAIL"}  ${LABELS[r.workload]}: ${fmt(r.result.rps)}/s (target ${target}/s${errors ? `, ${errors} errors` : ""})`,
    );
  }
  return { text: [...lines, "", ...checks].join("\n"), pass };
}

export async function runMfaBench(options: {
  quick: boolean;
  hashing?: string | undefined;
}): Promise<boolean> {
  const signer = new Signer({ accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret" });
  const dir = mkdtempSync(join(tmpdir(), "lanyard-mfa-bench-"));
  let rows: Row[];
  try {
    const lanyard = await startLanyard(dir, {
      hashing: options.hashing,
      args: ["--delivery", "inbox"],
      env: { LANYARD_CODE_SEND_LIMIT: "1000000" },
    });
    try {
      rows = await measure(lanyard, signer, options.quick, options.hashing === "test");
    } finally {
      await lanyard.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { text, pass } = report(rows);
  process.stdout.write(
    `\nMFA sign-ins (Lanyard on SQLite, file-backed, --delivery inbox, ${options.hashing ?? "default"} password hashing; each sign-in all its round trips)\n${text}\n`,
  );
  return pass;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--hashing");
  const pass = await runMfaBench({
    quick: args.includes("--quick"),
    hashing: at >= 0 ? args[at + 1] : undefined,
  });
  process.exitCode = pass ? 0 : 1;
}
