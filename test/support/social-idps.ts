/**
 * Local stand-ins of the social providers' endpoints for the federation tests, each on 127.0.0.1
 * and honest as far as Lanyard can tell: codes are single use and bound to their redirect URI,
 * the client id and secret are checked, and the answers have the providers' shapes.
 * - `facebookStandIn()`: `/<v>/dialog/oauth`, `/<v>/oauth/access_token` (GET), the Graph API
 *   `/<v>/me?fields=...` (only the fields asked for).
 * - `amazonStandIn()`: `/ap/oa`, `/auth/o2/token` (POST), `/user/profile`.
 * - `appleStandIn()`: `/auth/authorize` (answering by `form_post` when asked), `/auth/token`,
 *   whose client secret must be an ES256 JWT signed with the client's key (checked against its
 *   public key, with Apple's claims), and `/auth/keys`; ID tokens signed RS256 with the issuer
 *   the stand-in's base.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { exportJWK, exportPKCS8, generateKeyPair, type JWK, jwtVerify, SignJWT } from "jose";

export interface StandIn {
  /** The base URL, for `--social-stand-in <Type>=<base>`. */
  base: string;
  /** Who signs in at the next authorization (the provider's profile of the user). */
  next: Record<string, unknown>;
  /** The authorization requests it got. */
  authorizations: URLSearchParams[];
  /** Token requests it refused, with the reason. */
  refusals: string[];
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

function bodyOf(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => resolve(new URLSearchParams(body)));
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

interface Issued {
  clientId: string;
  redirectUri: string;
  user: Record<string, unknown>;
  nonce?: string;
}

/** Codes and access tokens, each code redeemed once. */
class Grants {
  private codes = new Map<string, Issued>();
  private tokens = new Map<string, Record<string, unknown>>();
  issue(grant: Issued): string {
    const code = randomBytes(16).toString("hex");
    this.codes.set(code, grant);
    return code;
  }
  redeem(code: string | null, clientId: string | null, redirectUri: string | null): Issued | string {
    const grant = code === null ? undefined : this.codes.get(code);
    if (!grant) return "unknown or used code";
    this.codes.delete(code!);
    if (grant.clientId !== clientId) return "code of another client";
    if (grant.redirectUri !== redirectUri) return "redirect_uri differs from the authorization's";
    return grant;
  }
  token(user: Record<string, unknown>): string {
    const token = randomBytes(16).toString("hex");
    this.tokens.set(token, user);
    return token;
  }
  user(req: IncomingMessage, url: URL): Record<string, unknown> | undefined {
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "");
    const token = m ? m[1]! : url.searchParams.get("access_token");
    return token === null ? undefined : this.tokens.get(token);
  }
}

function authorize(
  url: URL,
  standIn: StandIn,
  grants: Grants,
  clientId: string,
): { back: URL; code: string } | string {
  const q = url.searchParams;
  standIn.authorizations.push(q);
  if (q.get("client_id") !== clientId) return "unknown client_id";
  if (q.get("response_type") !== "code") return "response_type must be code";
  const redirectUri = q.get("redirect_uri");
  if (!redirectUri || !URL.canParse(redirectUri)) return "redirect_uri is required";
  const nonce = q.get("nonce");
  const code = grants.issue({
    clientId,
    redirectUri,
    user: { ...standIn.next },
    ...(nonce === null ? {} : { nonce }),
  });
  const back = new URL(redirectUri);
  return { back, code };
}

export interface SecretClient {
  clientId: string;
  clientSecret: string;
}

export async function facebookStandIn(client: SecretClient, apiVersion: string): Promise<StandIn> {
  const server = createServer();
  const base = await listen(server);
  const grants = new Grants();
  const standIn: StandIn = { base, next: {}, authorizations: [], refusals: [], close: closer(server) };
  const v = `/${apiVersion}`;
  server.on("request", (req, res) => {
    const url = new URL(req.url ?? "/", base);
    const fail = (message: string) => {
      standIn.refusals.push(message);
      json(res, 400, { error: { message, type: "OAuthException", code: 100 } });
    };
    if (req.method === "GET" && url.pathname === `${v}/dialog/oauth`) {
      const a = authorize(url, standIn, grants, client.clientId);
      if (typeof a === "string") return fail(a);
      a.back.searchParams.set("code", a.code);
      a.back.searchParams.set("state", url.searchParams.get("state") ?? "");
      return res.writeHead(302, { location: a.back.href }).end();
    }
    if (req.method === "GET" && url.pathname === `${v}/oauth/access_token`) {
      const q = url.searchParams;
      if (q.get("client_secret") !== client.clientSecret) return fail("wrong client secret");
      const grant = grants.redeem(q.get("code"), q.get("client_id"), q.get("redirect_uri"));
      if (typeof grant === "string") return fail(grant);
      return json(res, 200, {
        access_token: grants.token(grant.user),
        token_type: "bearer",
        expires_in: 5183944,
      });
    }
    if (req.method === "GET" && url.pathname === `${v}/me`) {
      const user = grants.user(req, url);
      if (!user) return json(res, 401, { error: { message: "Invalid OAuth access token.", code: 190 } });
      const fields = (url.searchParams.get("fields") ?? "id,name").split(",");
      return json(res, 200, Object.fromEntries(fields.filter((f) => f in user).map((f) => [f, user[f]])));
    }
    res.writeHead(404).end();
  });
  return standIn;
}

export async function amazonStandIn(client: SecretClient): Promise<StandIn> {
  const server = createServer();
  const base = await listen(server);
  const grants = new Grants();
  const standIn: StandIn = { base, next: {}, authorizations: [], refusals: [], close: closer(server) };
  server.on("request", (req, res) => {
    const url = new URL(req.url ?? "/", base);
    const fail = (message: string) => {
      standIn.refusals.push(message);
      json(res, 400, { error: "invalid_grant", error_description: message });
    };
    if (req.method === "GET" && url.pathname === "/ap/oa") {
      const a = authorize(url, standIn, grants, client.clientId);
      if (typeof a === "string") return fail(a);
      a.back.searchParams.set("code", a.code);
      a.back.searchParams.set("scope", url.searchParams.get("scope") ?? "");
      a.back.searchParams.set("state", url.searchParams.get("state") ?? "");
      return res.writeHead(302, { location: a.back.href }).end();
    }
    if (req.method === "POST" && url.pathname === "/auth/o2/token")
      return void bodyOf(req).then((form) => {
        if (form.get("grant_type") !== "authorization_code") return fail("grant_type");
        if (form.get("client_secret") !== client.clientSecret) return fail("wrong client secret");
        const grant = grants.redeem(form.get("code"), form.get("client_id"), form.get("redirect_uri"));
        if (typeof grant === "string") return fail(grant);
        return json(res, 200, {
          access_token: grants.token(grant.user),
          token_type: "bearer",
          expires_in: 3600,
          refresh_token: "Atzr|unused",
        });
      });
    if (req.method === "GET" && url.pathname === "/user/profile") {
      const user = grants.user(req, url);
      if (!user) return json(res, 401, { error: "invalid_token" });
      return json(res, 200, user);
    }
    res.writeHead(404).end();
  });
  return standIn;
}

export interface AppleClient {
  clientId: string;
  teamId: string;
  keyId: string;
  /** The key pair of the client secret: the private key in PKCS #8 PEM for ProviderDetails. */
  privateKeyPem: string;
  publicKey: Awaited<ReturnType<typeof generateKeyPair>>["publicKey"];
}

/** A Sign in with Apple client's key pair (P-256), as Apple hands out. */
export async function appleClient(clientId: string): Promise<AppleClient> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  return {
    clientId,
    teamId: "TEAM123456",
    keyId: "KEY1234567",
    privateKeyPem: await exportPKCS8(privateKey),
    publicKey,
  };
}

export interface AppleStandIn extends StandIn {
  /** The `iss` of its ID tokens (its base unless changed). */
  issuer: string;
  /** The verified client secrets' headers and claims. */
  secrets: { header: Record<string, unknown>; claims: Record<string, unknown> }[];
}

export async function appleStandIn(client: AppleClient): Promise<AppleStandIn> {
  const server = createServer();
  const base = await listen(server);
  const grants = new Grants();
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "apple-1", alg: "RS256", use: "sig" };
  const seen = new Set<string>();
  const standIn: AppleStandIn = {
    base,
    next: {},
    authorizations: [],
    refusals: [],
    issuer: base,
    secrets: [],
    close: closer(server),
  };
  server.on("request", (req, res) => {
    const url = new URL(req.url ?? "/", base);
    const fail = (message: string) => {
      standIn.refusals.push(message);
      json(res, 400, { error: "invalid_client", error_description: message });
    };
    if (req.method === "GET" && url.pathname === "/auth/keys") return json(res, 200, { keys: [jwk] });
    if (req.method === "GET" && url.pathname === "/auth/authorize") {
      const scopes = (url.searchParams.get("scope") ?? "").split(" ").filter(Boolean);
      const mode = url.searchParams.get("response_mode");
      if ((scopes.includes("name") || scopes.includes("email")) && mode !== "form_post")
        return fail("response_mode must be form_post when requesting name or email scope");
      const a = authorize(url, standIn, grants, client.clientId);
      if (typeof a === "string") return fail(a);
      const fields: Record<string, string> = { code: a.code, state: url.searchParams.get("state") ?? "" };
      // The user's name and e-mail address come at the first sign-in only.
      const sub = String(standIn.next.sub);
      if (scopes.includes("name") && !seen.has(sub))
        fields.user = JSON.stringify({ name: standIn.next.name, email: standIn.next.email });
      seen.add(sub);
      if (mode !== "form_post") {
        for (const [k, v] of Object.entries(fields)) a.back.searchParams.set(k, v);
        return res.writeHead(302, { location: a.back.href }).end();
      }
      const inputs = Object.entries(fields)
        .map(
          ([k, v]) =>
            `<input type="hidden" name="${k}" value="${v.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}">`,
        )
        .join("");
      return res
        .writeHead(200, { "content-type": "text/html" })
        .end(
          `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${a.back.href}">${inputs}<button>Continue to the app</button></form></body></html>`,
        );
    }
    if (req.method === "POST" && url.pathname === "/auth/token")
      return void bodyOf(req).then(async (form) => {
        if (form.get("grant_type") !== "authorization_code") return fail("grant_type");
        try {
          const { payload, protectedHeader } = await jwtVerify(
            form.get("client_secret") ?? "",
            client.publicKey,
            {
              algorithms: ["ES256"],
              issuer: client.teamId,
              subject: client.clientId,
              audience: "https://appleid.apple.com",
            },
          );
          if (protectedHeader.kid !== client.keyId) return fail("client secret of another key");
          if (typeof payload.exp !== "number" || typeof payload.iat !== "number") return fail("exp, iat");
          standIn.secrets.push({ header: { ...protectedHeader }, claims: { ...payload } });
        } catch (e) {
          return fail(`client secret refused: ${(e as Error).message}`);
        }
        const grant = grants.redeem(form.get("code"), form.get("client_id"), form.get("redirect_uri"));
        if (typeof grant === "string") return fail(grant);
        const { name: _name, ...claims } = grant.user;
        void _name;
        const idToken = await new SignJWT({ ...claims, ...(grant.nonce ? { nonce: grant.nonce } : {}) })
          .setProtectedHeader({ alg: "RS256", kid: "apple-1" })
          .setIssuer(standIn.issuer)
          .setAudience(client.clientId)
          .setSubject(String(grant.user.sub))
          .setIssuedAt()
          .setExpirationTime("10m")
          .sign(privateKey);
        return json(res, 200, {
          access_token: grants.token(grant.user),
          token_type: "Bearer",
          expires_in: 3600,
          refresh_token: "r.unused",
          id_token: idToken,
        });
      });
    res.writeHead(404).end();
  });
  return standIn;
}
