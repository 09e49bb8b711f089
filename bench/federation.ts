/**
 * Federation benchmark: complete OIDC federated sign-ins through one Lanyard (its own process,
 * SQLite in a temporary data dir) and panva's oidc-provider as the external IdP, in this process
 * on 127.0.0.1 (its login answered at once for a subject of the run, its consent granted up front).
 * Run by `npm run bench` (alone: `npm run bench -- --federation-only`, or
 * `node bench/federation.ts [--quick] [--duration-ms N]`).
 *
 *   federated sign-in   GET /oauth2/authorize?identity_provider=Bench (PKCE S256, state, nonce),
 *                       the IdP's authorize, interaction and resume steps (its cookies kept), GET
 *                       /oauth2/idpresponse (Lanyard redeems the IdP's code, verifies its ID token
 *                       against the JWKS, reads user info), the code read from the redirect to the
 *                       app's callback, POST /oauth2/token: at least 50 sign-ins/s
 *
 * 200 subjects take turns: the first sign-in of each makes its federated user (in the warm-up),
 * later ones update it. Every answer is checked; any unexpected one fails the run.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import { Client } from "./load.ts";
import { machineBusySeconds, type RunningServer, startLanyard, waitForQuiet } from "./servers.ts";
import { Signer } from "./sign.ts";

const TARGET = 50;
const CONCURRENCY = 8;
const SUBJECTS = 200;
const CALLBACK = "https://app.bench.example/callback";
const PROVIDER = "Bench";
const IDP_CLIENT = { id: "lanyard-bench", secret: "lanyard-bench-secret-at-the-idp" };

interface Idp {
  issuer: string;
  close(): Promise<void>;
}

/** oidc-provider on 127.0.0.1 whose interaction signs the next subject in at once. */
async function startIdp(redirectUri: string): Promise<Idp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  const issuer = `http://127.0.0.1:${address.port}`;
  let n = 0;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: IDP_CLIENT.id,
        client_secret: IDP_CLIENT.secret,
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"] },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, email: `${sub}@bench.example`, email_verified: true }),
    }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    // Consent is given up front: a grant of the requested scopes at each sign-in.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope("openid email");
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  server.on("request", (req, res) => {
    if (req.url?.startsWith("/interaction/")) {
      const sub = `user-${n++ % SUBJECTS}`;
      provider
        .interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false })
        .catch((e: unknown) => res.writeHead(500).end(String(e)));
      return;
    }
    callback(req, res);
  });
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The browser's cookies of one sign-in, per origin. */
class Jar {
  private readonly cookies = new Map<string, Map<string, string>>();
  take(url: string, res: Response): void {
    const origin = new URL(url).origin;
    const jar = this.cookies.get(origin) ?? new Map<string, string>();
    this.cookies.set(origin, jar);
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0]!;
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
  }
  header(url: string): Record<string, string> {
    const jar = this.cookies.get(new URL(url).origin);
    return jar && jar.size > 0 ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") } : {};
  }
}

interface Fixture {
  lanyard: string;
  clientId: string;
}

function claimsOf(jwt: unknown): Record<string, unknown> | undefined {
  if (typeof jwt !== "string") return undefined;
  try {
    return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
  } catch {
    return undefined;
  }
}

/** One federated sign-in, as a browser and the app's back end make it; the failure, if any. */
async function federatedSignIn(f: Fixture): Promise<string | undefined> {
  const jar = new Jar();
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(16).toString("base64url");
  const nonce = randomBytes(16).toString("base64url");
  const get = async (url: string) => {
    const res = await fetch(url, { redirect: "manual", headers: jar.header(url) });
    jar.take(url, res);
    await res.arrayBuffer();
    return res;
  };
  const query = new URLSearchParams({
    response_type: "code",
    client_id: f.clientId,
    redirect_uri: CALLBACK,
    scope: "openid email",
    state,
    nonce,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    identity_provider: PROVIDER,
  });
  let url = `${f.lanyard}/oauth2/authorize?${query}`;
  // Lanyard -> IdP authorize -> interaction -> resume -> Lanyard's idpresponse -> the app.
  for (let hop = 0; hop < 6; hop++) {
    const res = await get(url);
    const location = res.headers.get("location");
    if (res.status < 300 || res.status > 303 || !location)
      return `${new URL(url).pathname}: HTTP ${res.status}`;
    url = new URL(location, url).href;
    if (url.startsWith(CALLBACK)) break;
  }
  const callback = new URL(url);
  const code = callback.searchParams.get("code");
  if (
    callback.origin + callback.pathname !== CALLBACK ||
    callback.searchParams.get("state") !== state ||
    !code
  )
    return `no code at the callback (${url.slice(0, 120)})`;
  const token = await fetch(`${f.lanyard}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: f.clientId,
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    }).toString(),
  });
  const body = (await token.json()) as { id_token?: string };
  const id = claimsOf(body.id_token);
  if (
    token.status !== 200 ||
    !String(id?.["cognito:username"] ?? "").startsWith(`${PROVIDER}_user-`) ||
    id?.nonce !== nonce
  )
    return `token: HTTP ${token.status}`;
  return undefined;
}

interface Result {
  ok: number;
  errors: Record<string, number>;
  examples: string[];
  elapsedMs: number;
  rps: number;
  p50: number;
  p99: number;
}

async function load(f: Fixture, durationMs: number): Promise<Result> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const examples: string[] = [];
  let ok = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      let failure: string | undefined;
      try {
        failure = await federatedSignIn(f);
      } catch (e) {
        failure = `network: ${(e as Error).message}`;
      }
      latencies.push(performance.now() - t0);
      if (failure === undefined) ok++;
      else {
        const kind = failure.split(":")[0]!;
        errors[kind] = (errors[kind] ?? 0) + 1;
        if (examples.length < 5) examples.push(failure);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsedMs = performance.now() - started;
  const sorted = Float64Array.from(latencies).sort();
  const q = (p: number) =>
    sorted.length ? sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]! : Number.NaN;
  return { ok, errors, examples, elapsedMs, rps: (ok * 1000) / elapsedMs, p50: q(0.5), p99: q(0.99) };
}

export async function runFederationBench(options: { quick: boolean; durationMs?: number }): Promise<boolean> {
  const signer = new Signer({ accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret" });
  const durationMs = options.durationMs ?? (options.quick ? 3_000 : 6_000);
  const warmupMs = Math.min(durationMs, options.quick ? 1_000 : 3_000);
  const dir = mkdtempSync(join(tmpdir(), "lanyard-federation-bench-"));
  let server: RunningServer | undefined;
  let idp: Idp | undefined;
  let result: Result;
  let serverCpu: number;
  let otherCpu: number;
  try {
    server = await startLanyard(dir);
    const lanyard = `http://127.0.0.1:${server.port}`;
    idp = await startIdp(`${lanyard}/oauth2/idpresponse`);
    const client = new Client(server.port, signer, 8);
    let clientId: string;
    try {
      const { UserPool } = await client.json<{ UserPool: { Id: string } }>("CreateUserPool", {
        PoolName: "federation-bench",
      });
      await client.json("CreateIdentityProvider", {
        UserPoolId: UserPool.Id,
        ProviderName: PROVIDER,
        ProviderType: "OIDC",
        ProviderDetails: {
          client_id: IDP_CLIENT.id,
          client_secret: IDP_CLIENT.secret,
          authorize_scopes: "openid email",
          oidc_issuer: idp.issuer,
          attributes_request_method: "GET",
        },
        AttributeMapping: { email: "email" },
      });
      const { UserPoolClient } = await client.json<{ UserPoolClient: { ClientId: string } }>(
        "CreateUserPoolClient",
        {
          UserPoolId: UserPool.Id,
          ClientName: "web",
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ["code"],
          AllowedOAuthScopes: ["openid", "email"],
          CallbackURLs: [CALLBACK],
          SupportedIdentityProviders: [PROVIDER],
        },
      );
      clientId = UserPoolClient.ClientId;
    } finally {
      client.close();
    }
    const f: Fixture = { lanyard, clientId };
    await waitForQuiet(2_000);
    const warm = await load(f, warmupMs);
    const cpuBefore = server.cpuSeconds();
    const busyBefore = machineBusySeconds();
    const loadBefore = process.cpuUsage();
    result = await load(f, durationMs);
    const seconds = result.elapsedMs / 1000;
    const own = process.cpuUsage(loadBefore);
    serverCpu = ((server.cpuSeconds() - cpuBefore) / seconds) * 100;
    const loadCpu = ((own.user + own.system) / 1e6 / seconds) * 100;
    otherCpu = Math.max(0, ((machineBusySeconds() - busyBefore) / seconds) * 100 - serverCpu - loadCpu);
    for (const [kind, count] of Object.entries(warm.errors)) result.errors[`warm-up ${kind}`] = count;
    result.examples.push(...warm.examples);
  } finally {
    await idp?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const errors = Object.values(result.errors).reduce((a, b) => a + b, 0);
  const pass = result.rps >= TARGET && errors === 0;
  const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "-");
  process.stdout.write(
    `\nFederation (Lanyard on SQLite, file-backed; oidc-provider in the load generator's process; ${CONCURRENCY} sign-ins in flight, ${SUBJECTS} subjects; ` +
      `cpu% s/o: Lanyard's CPU / other processes', in % of one core; the IdP's CPU is the load generator's)\n` +
      `workload                     sign-ins/s   p50 ms  p99 ms  errors  cpu% s/o\n${"-".repeat(76)}\n` +
      `${"OIDC federated sign-in".padEnd(29)}${fmt(result.rps).padStart(10)}${fmt(result.p50, 1).padStart(9)}${fmt(result.p99, 1).padStart(8)}${String(errors).padStart(8)}  ${fmt(serverCpu)}/${fmt(otherCpu)}\n` +
      result.examples
        .slice(0, 5)
        .map((e) => `    ! ${e}\n`)
        .join("") +
      `\n${pass ? "PASS" : "FAIL"}  OIDC federated sign-in: ${fmt(result.rps)}/s (target ${TARGET}/s${errors ? `, ${errors} unexpected answers` : ""})\n`,
  );
  return pass;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--duration-ms");
  const pass = await runFederationBench({
    quick: args.includes("--quick"),
    ...(at >= 0 ? { durationMs: Number(args[at + 1]) } : {}),
  });
  process.exitCode = pass ? 0 : 1;
}
