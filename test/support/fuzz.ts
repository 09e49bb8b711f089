/**
 * The operation fuzzer's runner: sends the requests of fuzz-requests.ts to a running server over
 * HTTP (SigV4-signed where the operation is signed), with real ids of a fixture it creates through
 * the AWS SDK, and checks every answer: never a 5xx, always JSON, a `__type` on every error, and a
 * server process that stays alive. Used by test/fuzz/operations.test.ts and scripts/fuzz.ts.
 */
import http from "node:http";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import fc from "fast-check";
import { OPERATIONS, type OperationName } from "../../src/generated/operations.ts";
import { caseArbitrary, type FuzzCase, REFS, type Ref, STATE_CHANGING } from "./fuzz-requests.ts";
import { GOOGLE_DETAILS } from "./federation.ts";
import type { TestServer } from "./server.ts";

export type { FuzzCase } from "./fuzz-requests.ts";

const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
const CONTENT_TYPE = "application/x-amz-json-1.1";
export const REGRESSIONS_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "fuzz",
  "regressions.json",
);

/** Real values for the `@@ref@@` placeholders. */
export type Fixture = Record<Ref, string>;

let fixtureCount = 0;

/**
 * A pool with a public client (password and refresh-token sign-in), a Google identity provider, a
 * confirmed user in a group signed in (access and refresh token), and a second user whose first sign-in left a
 * NEW_PASSWORD_REQUIRED session. Also the sign-in check after a run: it fails when the server no
 * longer signs users in.
 */
export async function createFixture(sdk: CognitoIdentityProviderClient): Promise<Fixture> {
  const n = ++fixtureCount;
  const password = `Fuzz-pass-${n}!A1`;
  const pool = (await sdk.send(new CreateUserPoolCommand({ PoolName: `fuzz-${n}` }))).UserPool!;
  const client = (
    await sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool.Id!,
        ClientName: `fuzz-${n}`,
        ExplicitAuthFlows: [
          "ALLOW_USER_PASSWORD_AUTH",
          "ALLOW_ADMIN_USER_PASSWORD_AUTH",
          "ALLOW_USER_SRP_AUTH",
          "ALLOW_REFRESH_TOKEN_AUTH",
        ],
      }),
    )
  ).UserPoolClient!.ClientId!;
  const username = `fuzz-user-${n}`;
  const email = `fuzz-${n}@example.com`;
  const created = await sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.Id!,
      Username: username,
      MessageAction: "SUPPRESS",
      UserAttributes: [
        { Name: "email", Value: email },
        { Name: "email_verified", Value: "true" },
      ],
    }),
  );
  const sub = created.User!.Attributes!.find((a) => a.Name === "sub")!.Value!;
  await sdk.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: pool.Id!,
      Username: username,
      Password: password,
      Permanent: true,
    }),
  );
  const group = `fuzz-group-${n}`;
  await sdk.send(new CreateGroupCommand({ UserPoolId: pool.Id!, GroupName: group }));
  await sdk.send(
    new AdminAddUserToGroupCommand({ UserPoolId: pool.Id!, Username: username, GroupName: group }),
  );
  await sdk.send(
    new CreateIdentityProviderCommand({
      UserPoolId: pool.Id!,
      ProviderName: "Google",
      ProviderType: "Google",
      ProviderDetails: GOOGLE_DETAILS,
      IdpIdentifiers: [`fuzz-idp-${n}`],
    }),
  );
  const auth = (
    await sdk.send(
      new InitiateAuthCommand({
        ClientId: client,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    )
  ).AuthenticationResult!;
  const me = await sdk.send(new GetUserCommand({ AccessToken: auth.AccessToken! }));
  if (me.Username !== username) throw new Error(`GetUser answered ${me.Username}, not ${username}`);
  await sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.Id!,
      Username: `fuzz-new-${n}`,
      TemporaryPassword: password,
      MessageAction: "SUPPRESS",
    }),
  );
  const challenge = await sdk.send(
    new InitiateAuthCommand({
      ClientId: client,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: `fuzz-new-${n}`, PASSWORD: password },
    }),
  );
  if (challenge.ChallengeName !== "NEW_PASSWORD_REQUIRED" || !challenge.Session)
    throw new Error(`expected a NEW_PASSWORD_REQUIRED challenge, got ${challenge.ChallengeName}`);
  return {
    pool: pool.Id!,
    poolArn: pool.Arn!,
    client,
    username,
    sub,
    email,
    group,
    password,
    access: auth.AccessToken!,
    refresh: auth.RefreshToken!,
    session: challenge.Session,
    provider: "Google",
    idpIdentifier: `fuzz-idp-${n}`,
  };
}

/** Operations whose success only revokes the fixture's tokens: signing in again repairs it. */
const TOKEN_REVOKING = new Set(["GlobalSignOut", "AdminUserGlobalSignOut", "RevokeToken"]);

/** The fixture with fresh tokens. */
async function signInAgain(sdk: CognitoIdentityProviderClient, f: Fixture): Promise<Fixture> {
  const auth = (
    await sdk.send(
      new InitiateAuthCommand({
        ClientId: f.client,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: f.username, PASSWORD: f.password },
      }),
    )
  ).AuthenticationResult!;
  return { ...f, access: auth.AccessToken!, refresh: auth.RefreshToken! };
}

// ---------------------------------------------------------------------------------------------
// Sending

/** What went over the wire, with the fixture's values in place. */
export interface Sent {
  headers: Record<string, string>;
  body: Buffer;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

const signer = new SignatureV4({
  service: "cognito-idp",
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
  sha256: Sha256,
  applyChecksum: false,
});

function substitute(text: string, fixture: Fixture): string {
  if (!text.includes("@@")) return text;
  let out = text;
  for (const r of REFS) out = out.replaceAll(`@@${r}@@`, fixture[r]);
  return out;
}

function signs(c: FuzzCase): boolean {
  if (c.auth === "signed") return true;
  if (c.auth !== "auto") return false;
  const spec = Object.hasOwn(OPERATIONS, c.operation) ? OPERATIONS[c.operation as OperationName] : undefined;
  return spec?.auth === "sigv4";
}

/** The request a case stands for, ready to send to `host` ("127.0.0.1:PORT"). */
export async function buildRequest(c: FuzzCase, fixture: Fixture, host: string): Promise<Sent> {
  const body = c.base64 ? Buffer.from(c.body, "base64") : Buffer.from(substitute(c.body, fixture), "utf8");
  let headers: Record<string, string> = { host };
  const target = c.target === undefined ? TARGET_PREFIX + c.operation : c.target;
  if (target !== null) headers["x-amz-target"] = target;
  const contentType = c.contentType === undefined ? CONTENT_TYPE : c.contentType;
  if (contentType !== null) headers["content-type"] = contentType;
  if (signs(c)) {
    const [hostname, port] = host.split(":");
    const signed = await signer.sign({
      method: "POST",
      protocol: "http:",
      hostname: hostname!,
      port: Number(port),
      path: "/",
      headers,
      body,
    });
    headers = signed.headers as Record<string, string>;
  }
  if (c.auth === "garbage") {
    headers.authorization = c.authorization ?? "";
    headers["x-amz-date"] = new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
  }
  headers["content-length"] = String(body.length);
  return { headers, body };
}

/** The server's default body limit (config maxBodyBytes). */
const MAX_BODY_BYTES = 1024 * 1024;

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
const TIMEOUT_MS = 30_000;

/** Sends a request on a kept-alive connection, or on a connection of its own when `fresh`. */
export function sendRaw(port: number, sent: Sent, fresh = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent: fresh ? false : agent,
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/",
        headers: sent.headers,
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end(sent.body);
  });
}

/** What is wrong with an answer, or undefined when it keeps the fuzzer's properties. */
export function problemOf(a: Answer): string | undefined {
  if (a.status >= 500) return `HTTP ${a.status}`;
  let json: unknown;
  try {
    json = JSON.parse(a.text);
  } catch {
    return `HTTP ${a.status} with a body that is not JSON`;
  }
  if (json === null || typeof json !== "object" || Array.isArray(json))
    return `HTTP ${a.status} with a body that is not a JSON object`;
  if (a.status >= 400) {
    const type = (json as { __type?: unknown }).__type;
    if (typeof type !== "string" || type === "") return `HTTP ${a.status} error without a __type`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Running

export interface Failure {
  /** The fast-check seed and path that regenerate the case (scripts/fuzz.ts --seed S --path P). */
  seed?: number;
  path?: string;
  problem: string;
  case: FuzzCase;
  sent?: { headers: Record<string, string>; body: string };
  answer?: { status: number; body: string };
  serverLog?: string;
}

export interface FuzzOptions {
  /** Requests to generate (shrinking a failure sends a few more). */
  runs: number;
  seed: number;
  /** Requests in flight at once (one fast-check run each). */
  workers: number;
  /** Requests between two fresh fixtures, per worker. */
  chunk: number;
  /** Stop after this many failures. */
  maxFailures: number;
  /** Replays one case: the seed and path a failure printed. */
  path?: string;
  onProgress?: (report: FuzzReport) => void;
}

export interface FuzzReport {
  requests: number;
  statuses: Record<string, number>;
  types: Record<string, number>;
  failures: Failure[];
  crashed: boolean;
  /** Successful answers per operation: how many requests got through to the domain logic. */
  succeeded: Record<string, number>;
  /** The slowest answers: milliseconds, operation, body size, status. */
  slowest: { ms: number; operation: string; bytes: number; status: number }[];
}

export function emptyReport(): FuzzReport {
  return { requests: 0, statuses: {}, types: {}, failures: [], crashed: false, slowest: [], succeeded: {} };
}

const excerpt = (s: string, n = 4000) => (s.length > n ? `${s.slice(0, n)}... (${s.length} characters)` : s);

function noteTime(report: FuzzReport, ms: number, operation: string, bytes: number, status: number): void {
  const s = report.slowest;
  if (s.length >= 10 && ms <= s[s.length - 1]!.ms) return;
  s.push({ ms: Math.round(ms), operation, bytes, status });
  s.sort((a, b) => b.ms - a.ms);
  if (s.length > 10) s.pop();
}

/** Sends one case and checks its answer; resolves to the failure, if any. */
export async function check(
  server: TestServer,
  c: FuzzCase,
  fixture: Fixture,
  report: FuzzReport,
  onAnswer?: (status: number) => void,
): Promise<Failure | undefined> {
  const sent = await buildRequest(c, fixture, `127.0.0.1:${server.port}`);
  const shown = {
    headers: sent.headers,
    body: excerpt(c.base64 ? `base64:${c.body}` : sent.body.toString("utf8")),
  };
  report.requests++;
  let answer: Answer;
  const started = performance.now();
  try {
    answer = await sendRaw(server.port, sent).catch((e: Error) => {
      // A kept-alive connection the server closed as it was reused: once more on a new one.
      if (/EPIPE|ECONNRESET|socket hang up/.test(e.message)) return sendRaw(server.port, sent, true);
      throw e;
    });
  } catch (e) {
    const dead = server.process.exitCode !== null || server.process.signalCode !== null;
    if (dead) report.crashed = true;
    else if (
      sent.body.length > MAX_BODY_BYTES &&
      /EPIPE|ECONNRESET|socket hang up/.test((e as Error).message)
    ) {
      // Past its body limit the server answers 413 and closes the connection before it has read
      // everything: the client may see the close before the answer.
      report.statuses.closed = (report.statuses.closed ?? 0) + 1;
      return undefined;
    }
    return {
      problem: dead
        ? `the server process died (${server.process.exitCode ?? server.process.signalCode}): ${(e as Error).message}`
        : `no answer: ${(e as Error).message}`,
      case: c,
      sent: shown,
      serverLog: server.logs().slice(-4000),
    };
  }
  report.statuses[answer.status] = (report.statuses[answer.status] ?? 0) + 1;
  onAnswer?.(answer.status);
  if (answer.status === 200) report.succeeded[c.operation] = (report.succeeded[c.operation] ?? 0) + 1;
  noteTime(report, performance.now() - started, c.operation, sent.body.length, answer.status);
  const type = answer.headers["x-amzn-errortype"];
  if (typeof type === "string") report.types[type] = (report.types[type] ?? 0) + 1;
  const problem = problemOf(answer);
  if (!problem) return undefined;
  return {
    problem,
    case: c,
    sent: shown,
    answer: { status: answer.status, body: excerpt(answer.text) },
    serverLog: server.logs().slice(-4000),
  };
}

class FuzzFailure extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.problem);
    this.failure = failure;
  }
}

/** A seed for chunk `k` of worker `w`, reproducible from the run's seed. */
function chunkSeed(seed: number, w: number, k: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + w * 1_000_003 + k * 7919) | 0;
}

/**
 * Runs the fuzzer: `workers` loops, each running fast-check properties of `chunk` requests on a
 * fixture of its own, until `runs` requests are sent or `maxFailures` failures are found. A failure
 * is shrunk by fast-check (within a budget) and reported with its seed and path.
 */
export async function fuzz(
  server: TestServer,
  sdk: CognitoIdentityProviderClient,
  o: FuzzOptions,
): Promise<FuzzReport> {
  const report = emptyReport();
  const arbitrary = caseArbitrary();
  let remaining = o.runs;
  const take = () => {
    const n = Math.min(o.chunk, remaining);
    remaining -= n;
    return n;
  };
  const done = () => report.crashed || report.failures.length >= o.maxFailures;

  async function runChunk(seed: number, numRuns: number, path: string | undefined): Promise<void> {
    let fixture = await createFixture(sdk);
    let stale: "tokens" | "all" | undefined;
    let calls = 0;
    const budget = numRuns + 300;
    const property = fc.asyncProperty(arbitrary, async (c) => {
      if (++calls > budget || report.crashed) return true;
      if (stale === "tokens") fixture = await signInAgain(sdk, fixture).catch(() => createFixture(sdk));
      else if (stale === "all") fixture = await createFixture(sdk);
      stale = undefined;
      const failure = await check(server, c, fixture, report, (status) => {
        if (status === 200 && STATE_CHANGING.has(c.operation))
          stale = TOKEN_REVOKING.has(c.operation) ? "tokens" : "all";
      });
      if (failure) throw new FuzzFailure(failure);
      return true;
    });
    const out = await fc.check(property, { seed, numRuns, path, endOnFailure: false });
    if (out.failed) {
      const failure =
        out.errorInstance instanceof FuzzFailure
          ? out.errorInstance.failure
          : { problem: `the fuzzer failed: ${String(out.errorInstance)}`, case: out.counterexample![0] };
      report.failures.push({ ...failure, seed: out.seed, path: out.counterexamplePath ?? undefined });
    }
  }

  if (o.path !== undefined) {
    await runChunk(o.seed, 1, o.path);
    return report;
  }
  let last = 0;
  await Promise.all(
    Array.from({ length: o.workers }, async (_, w) => {
      for (let k = 0; !done(); k++) {
        const n = take();
        if (n === 0) break;
        await runChunk(chunkSeed(o.seed, w, k), n, undefined);
        if (o.onProgress && report.requests - last >= 10_000) {
          last = report.requests;
          o.onProgress(report);
        }
      }
    }),
  );
  return report;
}

// ---------------------------------------------------------------------------------------------
// Regressions and reporting

export interface Regression {
  /** What the case found, and where it was fixed. */
  name: string;
  case: FuzzCase;
}

export function readRegressions(): Regression[] {
  return JSON.parse(readFileSync(REGRESSIONS_FILE, "utf8")) as Regression[];
}

/** A failure as a reader fixes it: the problem, what was sent, what came back, how to reproduce it. */
export function describeFailure(f: Failure): string {
  const lines = [`${f.problem}: ${f.case.operation}`];
  if (f.seed !== undefined)
    lines.push(`  reproduce: npm run fuzz -- --seed ${f.seed}${f.path ? ` --path ${f.path}` : ""}`);
  if (f.sent) {
    lines.push(`  headers: ${JSON.stringify(f.sent.headers)}`);
    lines.push(`  body: ${f.sent.body}`);
  }
  if (f.answer) lines.push(`  answer: HTTP ${f.answer.status} ${f.answer.body}`);
  lines.push(
    `  as a regression (test/fuzz/regressions.json): ${JSON.stringify({ name: f.problem, case: f.case })}`,
  );
  if (f.serverLog) lines.push(`  server log (end):\n${f.serverLog.replace(/^/gm, "    ")}`);
  return lines.join("\n");
}
