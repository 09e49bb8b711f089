/**
 * The preambles of the OAuth tests: a pool with an OAuth app client and a user, openid-client as
 * the relying party, and the login form driven with plain fetch (GET the page, POST the form with
 * its CSRF token and cookie), as a browser with JavaScript off would.
 */
import type {
  CreateUserPoolClientCommandInput,
  CreateUserPoolCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import * as oidc from "openid-client";
import { confirmedUser, poolWithClient } from "./pools.ts";
import type { TestServer } from "./server.ts";

export const CALLBACK = "http://localhost:8976/callback";
export const PASSWORD = "Passw0rd!long";

export interface OAuthApp {
  poolId: string;
  clientId: string;
  clientSecret?: string;
  issuer: string;
}

/** A pool with a code-grant app client (public unless `app.GenerateSecret`) and the user `alice`. */
export async function oauthApp(
  server: TestServer,
  app: Partial<CreateUserPoolClientCommandInput> = {},
  user: { username?: string; attributes?: { Name: string; Value: string }[] } = {},
  pool: Partial<CreateUserPoolCommandInput> = {},
): Promise<OAuthApp> {
  const sdk = server.client();
  const created = await poolWithClient(sdk, {
    pool,
    app: {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code", "implicit"],
      AllowedOAuthScopes: ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
      CallbackURLs: [CALLBACK],
      LogoutURLs: ["http://localhost:8976/signed-out"],
      SupportedIdentityProviders: ["COGNITO"],
      ...app,
    },
  });
  await confirmedUser(
    sdk,
    created.poolId,
    user.username ?? "alice",
    PASSWORD,
    user.attributes ?? [
      { Name: "email", Value: "alice@example.com" },
      { Name: "email_verified", Value: "true" },
    ],
  );
  const out: OAuthApp = {
    poolId: created.poolId,
    clientId: created.clientId,
    issuer: `${server.url}/${created.poolId}`,
  };
  if (created.app.ClientSecret) out.clientSecret = created.app.ClientSecret;
  return out;
}

/** openid-client's view of the app (over http, which it refuses unless told). */
export async function relyingParty(app: OAuthApp, auth?: oidc.ClientAuth): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(app.issuer),
    app.clientId,
    app.clientSecret,
    auth ?? (app.clientSecret ? undefined : oidc.None()),
    { execute: [oidc.allowInsecureRequests] },
  );
}

/** A browser's cookie jar, just enough for the login pages. */
export class Jar {
  readonly cookies = new Map<string, string>();
  /** The Set-Cookie lines of the last response, as sent. */
  lastSetCookie: string[] = [];
  take(res: Response): void {
    this.lastSetCookie = res.headers.getSetCookie();
    for (const line of this.lastSetCookie) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** A page or redirect, fetched as a browser would (cookies sent and kept, redirects not followed). */
export async function browse(url: string, jar: Jar, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, {
    ...init,
    redirect: "manual",
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
  });
  jar.take(res);
  return res;
}

export function csrfOf(page: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m) throw new Error("no CSRF field on the page");
  return m[1]!;
}

export function formAction(page: string): string {
  const m = /<form method="post" action="([^"]+)"/.exec(page);
  if (!m) throw new Error("no form on the page");
  return m[1]!.replace(/&amp;/g, "&");
}

/** The hidden fields of a page's form (its CSRF token among them), as a browser sends them. */
export function hiddenFields(page: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    out[m[1]!] = m[2]!
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  return out;
}

/** Posts a page's form with its hidden fields (the CSRF token) and the given fields. */
export async function submit(
  server: TestServer,
  page: string,
  jar: Jar,
  fields: Record<string, string>,
): Promise<Response> {
  return browse(`${server.url}${formAction(page)}`, jar, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...hiddenFields(page), _csrf: csrfOf(page), ...fields }).toString(),
  });
}

/**
 * Follows an authorization URL to the login page and signs in there; returns the response to the
 * form (a redirect to the callback on success).
 */
export async function signInAt(
  server: TestServer,
  authorizeUrl: string | URL,
  username: string,
  password: string,
  jar = new Jar(),
): Promise<Response> {
  const first = await browse(String(authorizeUrl), jar);
  if (first.status !== 302) throw new Error(`authorize answered ${first.status}: ${await first.text()}`);
  const login = await browse(new URL(first.headers.get("location")!, server.url).href, jar);
  if (login.status !== 200) throw new Error(`login page answered ${login.status}`);
  return submit(server, await login.text(), jar, { username, password });
}

/** The callback URL the browser was sent to; fails unless it is one. */
export function callbackOf(res: Response): URL {
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(location);
}

/** A code-grant authorization URL with PKCE, and what the relying party keeps to check the answer. */
export async function authorizationUrl(
  config: oidc.Configuration,
  extra: Record<string, string> = {},
): Promise<{ url: URL; verifier: string; state: string; nonce: string }> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: "openid email profile",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra,
  });
  return { url, verifier, state, nonce };
}
