/**
 * OAuth benchmark: the authorization server's token endpoint and the managed login, on one Lanyard
 * (its own process, SQLite in a temporary data dir, Lanyard's default Argon2id profile unless
 * `--hashing test`). Run by `npm run bench` (alone: `npm run bench -- --oauth-only`, or
 * `node bench/oauth.ts [--quick] [--hashing test]`).
 *
 *   client_credentials  POST /oauth2/token, client_secret_basic, the custom scope `bench-api/read`
 *                       of a resource server made with CreateResourceServer: at least 2,000 tokens/s
 *   refresh_token       POST /oauth2/token with the refresh tokens of the setup's sign-ins, each in
 *                       turn (public client, refresh-token rotation off): at least 1,000/s
 *   code flow           GET /oauth2/authorize (PKCE S256, state, nonce), GET /login, POST /login
 *                       (CSRF token and cookie, a real password check), the code read from the
 *                       redirect to the callback, POST /oauth2/token: at least 40 sign-ins/s
 *
 * Every answer is checked (status, and the tokens' content); any unexpected one fails the run.
 * When the server does not know CreateResourceServer, client_credentials is reported as SKIP.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Call, Client, type LoadResult, type Response, runLoad } from "./load.ts";
import { machineBusySeconds, type RunningServer, startLanyard, waitForQuiet } from "./servers.ts";
import { Signer } from "./sign.ts";

const TARGETS = { "client-credentials": 2000, refresh: 1000, "code-flow": 40 } as const;
type Workload = keyof typeof TARGETS;
const LABELS: Record<Workload, string> = {
  "client-credentials": "client_credentials token",
  refresh: "refresh_token grant",
  "code-flow": "code flow (4 requests)",
};
const CONCURRENCY: Record<Workload, number> = { "client-credentials": 32, refresh: 32, "code-flow": 8 };

const PASSWORD = "Bench-passw0rd!";
const CALLBACK = "https://app.bench.example/callback";
const SCOPE = "openid email";
const RESOURCE_SERVER = "bench-api";
const CUSTOM_SCOPE = `${RESOURCE_SERVER}/read`;
const FORM = "application/x-www-form-urlencoded";

interface Fixture {
  poolId: string;
  /** The public code-grant client of the sign-ins and the refresh grant. */
  webClientId: string;
  /** Whether that client rotates refresh tokens (off for the bench: then the refresh grant gives none). */
  rotation: boolean;
  users: string[];
  refreshTokens: string[];
  /** The confidential client_credentials client, or why there is none. */
  service: { clientId: string; authorization: string } | { skip: string };
}

// ---- checks of the answers ----

function claimsOf(jwt: unknown): Record<string, unknown> | undefined {
  if (typeof jwt !== "string") return undefined;
  const parts = jwt.split(".");
  if (parts.length !== 3) return undefined;
  try {
    return JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

interface TokenAnswer {
  access_token?: unknown;
  id_token?: unknown;
  refresh_token?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
}

function parseTokens(body: string): TokenAnswer | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === "object" && parsed !== null ? (parsed as TokenAnswer) : undefined;
  } catch {
    return undefined;
  }
}

/** A bearer access token answer of the given client, with these scopes. */
function accessTokenOk(t: TokenAnswer, clientId: string, scope: string): boolean {
  const access = claimsOf(t.access_token);
  return (
    t.token_type === "Bearer" &&
    typeof t.expires_in === "number" &&
    t.expires_in > 0 &&
    access?.token_use === "access" &&
    access.client_id === clientId &&
    access.scope === scope
  );
}

/** The code exchange's answer: access, ID (this user, this nonce) and refresh tokens. */
function codeTokensOk(t: TokenAnswer, f: Fixture, username: string, nonce: string): boolean {
  const id = claimsOf(t.id_token);
  return (
    accessTokenOk(t, f.webClientId, SCOPE) &&
    id?.token_use === "id" &&
    id.aud === f.webClientId &&
    id["cognito:username"] === username &&
    id.nonce === nonce &&
    typeof t.refresh_token === "string" &&
    t.refresh_token !== ""
  );
}

// ---- the requests ----

const formCall = (operation: string, path: string, form: Record<string, string>, headers = {}): Call => ({
  operation,
  body: new URLSearchParams(form).toString(),
  http: { method: "POST", path, headers: { "content-type": FORM, ...headers } },
});

function basic(clientId: string, secret: string): string {
  // RFC 6749 §2.3.1: each part form-encoded before base64.
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString("base64")}`;
}

function clientCredentialsCall(service: { clientId: string; authorization: string }): () => Call {
  const call: Call = {
    ...formCall(
      "POST /oauth2/token",
      "/oauth2/token",
      { grant_type: "client_credentials", scope: CUSTOM_SCOPE },
      { authorization: service.authorization },
    ),
    check: (body) => {
      const t = parseTokens(body);
      return (
        t !== undefined &&
        accessTokenOk(t, service.clientId, CUSTOM_SCOPE) &&
        claimsOf(t.access_token)?.sub === service.clientId &&
        t.id_token === undefined &&
        t.refresh_token === undefined
      );
    },
  };
  return () => call;
}

/**
 * The refresh grant, the setup's refresh tokens each in turn. Without rotation the answer has new
 * ID and access tokens and no refresh token; with it, the new refresh token replaces the old one.
 */
function refreshCall(f: Fixture): (i: number) => Call {
  return (i) => {
    const slot = i % f.refreshTokens.length;
    return {
      ...formCall("POST /oauth2/token", "/oauth2/token", {
        grant_type: "refresh_token",
        client_id: f.webClientId,
        refresh_token: f.refreshTokens[slot]!,
      }),
      check: (body) => {
        const t = parseTokens(body);
        if (!t || !accessTokenOk(t, f.webClientId, SCOPE)) return false;
        if (claimsOf(t.id_token)?.["cognito:username"] !== f.users[slot]) return false;
        if (!f.rotation) return t.refresh_token === undefined;
        if (typeof t.refresh_token !== "string") return false;
        f.refreshTokens[slot] = t.refresh_token;
        return true;
      },
    };
  };
}

/** The browser's cookies of one sign-in (a fresh browser each time). */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(headers: http.IncomingHttpHeaders): void {
    // One Set-Cookie comes as a string, several as an array.
    const set = headers["set-cookie"] ?? [];
    for (const line of typeof set === "string" ? [set] : set) {
      const pair = line.split(";")[0]!;
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): Record<string, string> {
    return this.cookies.size === 0
      ? {}
      : { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") };
  }
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** Why a step of a sign-in failed: the kind (for the error counts) and what came back. */
interface Failure {
  kind: string;
  detail: string;
}

const STEPS = ["authorize", "login page", "login post", "token"] as const;

interface SignIn {
  refreshToken?: string;
  failure?: Failure;
  /** Milliseconds of each step. */
  steps: number[];
}

/**
 * One complete sign-in, as a browser and the app's back end make it: authorize with PKCE (S256),
 * state and nonce; the login page (its CSRF cookie and form token); the form posted with the
 * password; the code read from the redirect to the app's callback (which the app's own server
 * would receive); the code exchanged at the token endpoint.
 */
async function codeFlow(client: Client, f: Fixture, username: string): Promise<SignIn> {
  const jar = new Jar();
  const steps: number[] = [];
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(16).toString("base64url");
  const nonce = randomBytes(16).toString("base64url");
  const send = async (call: Call): Promise<Response> => {
    const t0 = performance.now();
    const res = await client.send({
      ...call,
      http: { ...call.http!, headers: { ...call.http!.headers, ...jar.header() } },
    });
    steps.push(performance.now() - t0);
    jar.take(res.headers);
    return res;
  };
  const fail = (step: string, res: Response, why = "") => ({
    steps,
    failure: {
      kind: `${step}: HTTP ${res.status}${why ? ` ${why}` : ""}`,
      detail: `${res.headers.location ?? ""} ${res.body}`,
    },
  });
  const get = (operation: string, path: string): Call => ({
    operation,
    body: "",
    http: { method: "GET", path },
  });

  const query = new URLSearchParams({
    response_type: "code",
    client_id: f.webClientId,
    redirect_uri: CALLBACK,
    scope: SCOPE,
    state,
    nonce,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  });
  const authorize = await send(get("GET /oauth2/authorize", `/oauth2/authorize?${query}`));
  const loginPath = authorize.headers.location;
  if (authorize.status !== 302 || !loginPath?.startsWith("/login?"))
    return fail("authorize", authorize, "(not a redirect to /login)");

  const page = await send(get("GET /login", loginPath));
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1];
  if (page.status !== 200 || !csrf || !action || !jar.header().cookie)
    return fail("login page", page, "(no form, CSRF token or cookie)");

  const posted = await send(
    formCall("POST /login", unescapeHtml(action), {
      _csrf: unescapeHtml(csrf),
      username,
      password: PASSWORD,
    }),
  );
  const location = posted.headers.location;
  const callback = posted.status === 302 && location ? new URL(location) : undefined;
  const code = callback?.searchParams.get("code");
  if (
    !callback ||
    callback.origin + callback.pathname !== CALLBACK ||
    callback.searchParams.get("state") !== state ||
    !code
  )
    return fail("login post", posted, "(not a redirect to the callback with the code and state)");

  const token = await send(
    formCall("POST /oauth2/token", "/oauth2/token", {
      grant_type: "authorization_code",
      client_id: f.webClientId,
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    }),
  );
  const tokens = token.status === 200 ? parseTokens(token.body) : undefined;
  if (!tokens || !codeTokensOk(tokens, f, username, nonce))
    return fail("token", token, token.status === 200 ? "(unexpected tokens)" : "");
  return { steps, refreshToken: tokens.refresh_token as string };
}

interface FlowResult extends LoadResult {
  /** p50 of each step of the sign-ins, ms. */
  stepsP50: number[];
}

function quantile(values: number[], q: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted.length === 0 ? Number.NaN : sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/** Complete sign-ins, `concurrency` at a time, users in turn, for `durationMs`. */
async function codeFlowLoad(
  client: Client,
  f: Fixture,
  concurrency: number,
  durationMs: number,
): Promise<FlowResult> {
  const latencies: number[] = [];
  const steps: number[][] = STEPS.map(() => []);
  const errors: Record<string, number> = {};
  const examples: string[] = [];
  let ok = 0;
  let n = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const username = f.users[n++ % f.users.length]!;
      const t0 = performance.now();
      let out: SignIn;
      try {
        out = await codeFlow(client, f, username);
      } catch (e) {
        out = { steps: [], failure: { kind: "network", detail: (e as Error).message } };
      }
      latencies.push(performance.now() - t0);
      out.steps.forEach((ms, i) => steps[i]!.push(ms));
      if (out.failure) {
        errors[out.failure.kind] = (errors[out.failure.kind] ?? 0) + 1;
        if (examples.length < 5) examples.push(`${out.failure.kind}: ${out.failure.detail.slice(0, 300)}`);
      } else ok++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: latencies.length,
    ok,
    errors,
    examples,
    elapsedMs,
    rps: (ok * 1000) / elapsedMs,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: quantile(latencies, 1),
    loadCpu: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
    stepsP50: steps.map((s) => quantile(s, 0.5)),
  };
}

// ---- setup ----

function messageOf(body: string): string {
  try {
    return (JSON.parse(body) as { message?: string }).message ?? body;
  } catch {
    return body;
  }
}

/** The server's answer to CreateResourceServer when it does not have the operation. */
const UNKNOWN_OPERATION = new Set(["UnknownOperationException", "UnsupportedOperationException"]);

async function setUp(client: Client, users: number): Promise<Fixture> {
  const { UserPool } = await client.json<{ UserPool: { Id: string } }>("CreateUserPool", {
    PoolName: "oauth-bench",
  });
  const poolId = UserPool.Id;
  const { UserPoolClient: web } = await client.json<{
    UserPoolClient: { ClientId: string; RefreshTokenRotation?: { Feature?: string } };
  }>("CreateUserPoolClient", {
    UserPoolId: poolId,
    ClientName: "web",
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code"],
    AllowedOAuthScopes: ["openid", "email"],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ["COGNITO"],
    ExplicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
    // Refresh-token rotation stays off (Cognito's default): each refresh token serves the whole run.
  });
  const f: Fixture = {
    poolId,
    webClientId: web.ClientId,
    rotation: web.RefreshTokenRotation?.Feature === "ENABLED",
    users: [],
    refreshTokens: [],
    service: { skip: "" },
  };

  // The users, and one sign-in of each through the code flow (whose refresh tokens the refresh
  // grant uses), 8 at a time: each hashes or checks a password.
  const names = Array.from({ length: users }, (_, i) => `oauth${i}`);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++]!;
      await client.json("AdminCreateUser", { UserPoolId: poolId, Username: name, MessageAction: "SUPPRESS" });
      await client.json("AdminSetUserPassword", {
        UserPoolId: poolId,
        Username: name,
        Password: PASSWORD,
        Permanent: true,
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  f.users = names;
  f.refreshTokens = Array.from({ length: users }, () => "");
  next = 0;
  const signIns = async () => {
    while (next < names.length) {
      const i = next++;
      const out = await codeFlow(client, f, names[i]!);
      if (out.failure)
        throw new Error(`setup sign-in of ${names[i]}: ${out.failure.kind}: ${out.failure.detail}`);
      f.refreshTokens[i] = out.refreshToken!;
    }
  };
  await Promise.all(Array.from({ length: 8 }, signIns));

  // A resource server with a custom scope, and a confidential client_credentials client for it.
  const created = await client.send({
    operation: "CreateResourceServer",
    body: JSON.stringify({
      UserPoolId: poolId,
      Identifier: RESOURCE_SERVER,
      Name: "bench api",
      Scopes: [{ ScopeName: "read", ScopeDescription: "read" }],
    }),
  });
  if (created.status !== 200) {
    const type = created.errorType?.split(":")[0] ?? "";
    if (!UNKNOWN_OPERATION.has(type))
      throw new Error(`CreateResourceServer: HTTP ${created.status} ${type} ${created.body}`);
    f.service = { skip: `CreateResourceServer answered ${type}: ${messageOf(created.body)}` };
    return f;
  }
  const { UserPoolClient: service } = await client.json<{
    UserPoolClient: { ClientId: string; ClientSecret: string };
  }>("CreateUserPoolClient", {
    UserPoolId: poolId,
    ClientName: "service",
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["client_credentials"],
    AllowedOAuthScopes: [CUSTOM_SCOPE],
  });
  f.service = {
    clientId: service.ClientId,
    authorization: basic(service.ClientId, service.ClientSecret),
  };
  return f;
}

// ---- measuring and reporting ----

interface Row {
  workload: Workload;
  result?: LoadResult | FlowResult;
  /** CPU of the server process, and of other processes on the machine, in % of one core (the load generator's is in the result). */
  serverCpu: number;
  otherCpu: number;
  skip?: string;
}

/** A warm-up, then the measured run with the server's and the machine's CPU around it. */
async function measure(
  server: RunningServer,
  workload: Workload,
  run: (durationMs: number) => Promise<LoadResult>,
  warmupMs: number,
  durationMs: number,
): Promise<Row> {
  await waitForQuiet(2_000);
  const warm = await run(warmupMs);
  const cpuBefore = server.cpuSeconds();
  const busyBefore = machineBusySeconds();
  const result = await run(durationMs);
  const seconds = result.elapsedMs / 1000;
  const serverCpu = ((server.cpuSeconds() - cpuBefore) / seconds) * 100;
  const machine = ((machineBusySeconds() - busyBefore) / seconds) * 100;
  const otherCpu = Math.max(0, machine - serverCpu - result.loadCpu);
  // A wrong answer during the warm-up fails the run too.
  for (const [kind, count] of Object.entries(warm.errors)) {
    result.errors[`warm-up ${kind}`] = count;
    result.requests += count;
  }
  result.examples.push(...warm.examples);
  return { workload, result, serverCpu, otherCpu };
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "-");
const errorsOf = (r: LoadResult) => Object.values(r.errors).reduce((a, b) => a + b, 0);

function report(rows: Row[]): { text: string; pass: boolean } {
  const lines = [
    "workload                     req/s   p50 ms  p99 ms  errors  cpu% s/g/o    req/cpu-s",
    "-".repeat(84),
  ];
  for (const r of rows) {
    if (!r.result) {
      lines.push(`${LABELS[r.workload].padEnd(27)}  skipped`);
      continue;
    }
    const res = r.result;
    lines.push(
      `${LABELS[r.workload].padEnd(27)}${fmt(res.rps).padStart(7)}${fmt(res.p50, 1).padStart(9)}${fmt(res.p99, 1).padStart(8)}${String(errorsOf(res)).padStart(8)}  ${`${fmt(r.serverCpu)}/${fmt(res.loadCpu)}/${fmt(r.otherCpu)}`.padEnd(12)}${fmt(res.rps / (r.serverCpu / 100)).padStart(11)}`,
    );
    if ("stepsP50" in res)
      lines.push(
        `    p50 per step: ${STEPS.map((s, i) => `${s} ${fmt(res.stepsP50[i]!, 1)} ms`).join(", ")}`,
      );
    for (const ex of res.examples.slice(0, 5)) lines.push(`    ! ${ex}`);
  }
  lines.push("");
  let pass = true;
  for (const r of rows) {
    const target = TARGETS[r.workload];
    if (!r.result) {
      lines.push(`SKIP  ${LABELS[r.workload]}: ${r.skip} (target ${target}/s)`);
      continue;
    }
    const errors = errorsOf(r.result);
    const ok = r.result.rps >= target && errors === 0;
    pass &&= ok;
    lines.push(
      `${ok ? "PASS" : "FAIL"}  ${LABELS[r.workload]}: ${fmt(r.result.rps)}/s (target ${target}/s${errors ? `, ${errors} unexpected answers` : ""})`,
    );
  }
  return { text: lines.join("\n"), pass };
}

export async function runOAuthBench(options: {
  quick: boolean;
  /** Lanyard's password-hashing profile; its default when undefined. */
  hashing?: string | undefined;
}): Promise<boolean> {
  // The API calls of the setup are signed; Lanyard has no access keys configured, so any key does.
  const signer = new Signer({ accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret" });
  const users = options.quick ? 100 : 200;
  const warmupMs = options.quick ? 500 : 1_000;
  const durationMs = options.quick ? 3_000 : 6_000;
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), "lanyard-oauth-bench-"));
  let setupMs: number | undefined;
  let rotation: boolean | undefined;
  try {
    const server = await startLanyard(dir, { hashing: options.hashing });
    const client = new Client(server.port, signer, 64);
    try {
      const setupStarted = performance.now();
      const f = await setUp(client, users);
      setupMs = performance.now() - setupStarted;
      rotation = f.rotation;
      if ("skip" in f.service) {
        rows.push({ workload: "client-credentials", serverCpu: 0, otherCpu: 0, skip: f.service.skip });
      } else {
        const next = clientCredentialsCall(f.service);
        rows.push(
          await measure(
            server,
            "client-credentials",
            (ms) => runLoad(client, next, { concurrency: CONCURRENCY["client-credentials"], durationMs: ms }),
            warmupMs,
            durationMs,
          ),
        );
      }
      const refresh = refreshCall(f);
      rows.push(
        await measure(
          server,
          "refresh",
          (ms) => runLoad(client, refresh, { concurrency: CONCURRENCY.refresh, durationMs: ms }),
          warmupMs,
          durationMs,
        ),
      );
      rows.push(
        await measure(
          server,
          "code-flow",
          (ms) => codeFlowLoad(client, f, CONCURRENCY["code-flow"], ms),
          warmupMs,
          durationMs,
        ),
      );
    } finally {
      client.close();
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { text, pass } = report(rows);
  process.stdout.write(
    `\nOAuth (Lanyard on SQLite, file-backed, ${options.hashing ?? "default"} password hashing; ${users} users, set up with one code-flow sign-in each in ${fmt((setupMs ?? Number.NaN) / 1000, 1)} s; ` +
      `in flight: ${CONCURRENCY["client-credentials"]} client_credentials, ${CONCURRENCY.refresh} refresh, ${CONCURRENCY["code-flow"]} code flows; refresh-token rotation ${rotation ? "on" : "off"}; ` +
      `cpu% s/g/o: the server's CPU / the load generator's / other processes', in % of one core; req/cpu-s: requests (sign-ins) per second of server CPU)\n${text}\n`,
  );
  return pass;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--hashing");
  const pass = await runOAuthBench({
    quick: args.includes("--quick"),
    hashing: at >= 0 ? args[at + 1] : undefined,
  });
  process.exitCode = pass ? 0 : 1;
}
