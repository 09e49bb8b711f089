/**
 * The offline mock identity provider (`--enable-mock-idp`, off by default, loopback only like the
 * other test aids): an OpenID Connect provider at `<publicUrl>/_lanyard/mock-idp` whose sign-in
 * page lets the developer type the subject and the claims to sign in as. Point an OIDC provider's
 * `oidc_issuer` at it (or a Google provider's endpoints, see docs/compatibility/80-federation.md)
 * to test "Sign in with ..." with no internet.
 *
 * It serves discovery, `GET /authorize` (the page), `POST /authorize` (the page's answer: a code
 * back to the redirect URI), `POST /token` (an ID token signed with a key made at start), `GET
 * /jwks` and `GET|POST /userinfo`. Everything it issues lives in memory for five minutes.
 */
import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import type { FastifyReply, FastifyRequest } from "fastify";
import { rawBody } from "../body.ts";
import { type Html, html } from "../oauth/pages/html.ts";
import { page } from "../oauth/pages/layout.ts";
import { formOf, parseParams, queryOf, redirect, sendJson, sendPage } from "../oauth/web.ts";
import type { HttpPlugin } from "../plugin.ts";

export const MOCK_IDP_PATH = "/_lanyard/mock-idp";
const LIFETIME_MS = 5 * 60_000;

interface Issued {
  clientId: string;
  redirectUri: string;
  nonce?: string;
  claims: Record<string, unknown>;
  until: number;
}

/** Values of a short-lived, in-memory table, each taken at most once. */
class Store<T extends { until: number }> {
  private readonly items = new Map<string, T>();
  put(value: T): string {
    const now = Date.now();
    for (const [k, v] of this.items) if (v.until <= now) this.items.delete(k);
    const key = randomBytes(24).toString("base64url");
    this.items.set(key, value);
    return key;
  }
  take(key: string | undefined): T | undefined {
    if (!key) return undefined;
    const v = this.items.get(key);
    this.items.delete(key);
    return v && v.until > Date.now() ? v : undefined;
  }
  peek(key: string | undefined): T | undefined {
    const v = key ? this.items.get(key) : undefined;
    return v && v.until > Date.now() ? v : undefined;
  }
}

function signInPage(query: string, requestId: string, clientId: string, error?: string): string {
  const alert: Html | "" = error ? html`<div class="alert error" role="alert">${error}</div>` : "";
  return page({
    title: "Mock identity provider",
    body: html`${alert}
      <p>
        Lanyard's offline mock identity provider. Sign in to <strong>${clientId}</strong> as any user: type
        the subject and, as a JSON object, the claims the ID token should carry.
      </p>
      <form method="post" action="${MOCK_IDP_PATH}/authorize?${query}" novalidate>
        <input type="hidden" name="request" value="${requestId}" />
        <label for="sub">Subject (sub)</label>
        <input id="sub" name="sub" type="text" required autofocus />
        <label for="claims">Claims (JSON)</label>
        <textarea id="claims" name="claims" rows="6">
{"email": "user@example.com", "email_verified": true}</textarea>
        <button type="submit">Sign in</button>
      </form>`,
  });
}

export const mockIdp: HttpPlugin = async (app, { services }) => {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const kid = randomBytes(8).toString("hex");
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const requests = new Store<{ until: number }>();
  const codes = new Store<Issued>();
  const accessTokens = new Map<string, Issued>();
  const issuer = () => `${services.publicUrl().replace(/\/$/, "")}${MOCK_IDP_PATH}`;

  app.get(`${MOCK_IDP_PATH}/.well-known/openid-configuration`, async (_req, reply) =>
    sendJson(reply, 200, {
      issuer: issuer(),
      authorization_endpoint: `${issuer()}/authorize`,
      token_endpoint: `${issuer()}/token`,
      userinfo_endpoint: `${issuer()}/userinfo`,
      jwks_uri: `${issuer()}/jwks`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
      scopes_supported: ["openid", "email", "profile"],
    }),
  );
  app.get(`${MOCK_IDP_PATH}/jwks`, async (_req, reply) => sendJson(reply, 200, { keys: [jwk] }));

  const badRequest = (reply: FastifyReply, description: string) =>
    sendJson(reply, 400, { error: "invalid_request", error_description: description });

  app.get(`${MOCK_IDP_PATH}/authorize`, async (req, reply) => {
    const params = parseParams(queryOf(req));
    if (!params?.client_id || !params.redirect_uri || !URL.canParse(params.redirect_uri))
      return badRequest(reply, "client_id and redirect_uri are required.");
    const requestId = requests.put({ until: Date.now() + LIFETIME_MS });
    return sendPage(reply, 200, signInPage(queryOf(req), requestId, params.client_id));
  });

  app.post(`${MOCK_IDP_PATH}/authorize`, async (req, reply) => {
    const params = parseParams(queryOf(req));
    const form = formOf(req);
    if (!params?.client_id || !params.redirect_uri || !URL.canParse(params.redirect_uri) || !form)
      return badRequest(reply, "client_id and redirect_uri are required.");
    // The request id of the page is its CSRF token: only the page this server showed can answer.
    if (!requests.peek(form.request)) return badRequest(reply, "This sign-in page has expired; start again.");
    const again = (error: string) =>
      sendPage(reply, 400, signInPage(queryOf(req), form.request!, params.client_id!, error));
    const sub = (form.sub ?? "").trim();
    if (sub === "") return again("Please type a subject.");
    let claims: unknown = {};
    if ((form.claims ?? "").trim() !== "") {
      try {
        claims = JSON.parse(form.claims!);
      } catch {
        return again("The claims are not valid JSON.");
      }
    }
    if (typeof claims !== "object" || claims === null || Array.isArray(claims))
      return again("The claims must be a JSON object.");
    requests.take(form.request);
    const code = codes.put({
      clientId: params.client_id,
      redirectUri: params.redirect_uri,
      ...(params.nonce === undefined ? {} : { nonce: params.nonce }),
      claims: { ...(claims as Record<string, unknown>), sub },
      until: Date.now() + LIFETIME_MS,
    });
    const back = new URL(params.redirect_uri);
    back.searchParams.set("code", code);
    if (params.state !== undefined) back.searchParams.set("state", params.state);
    return redirect(reply, back.href);
  });

  app.post(`${MOCK_IDP_PATH}/token`, async (req, reply) => {
    const form = parseParams(rawBody(req.body).toString("utf8")) ?? {};
    let clientId = form.client_id;
    const basic = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""));
    if (basic)
      clientId = decodeURIComponent(Buffer.from(basic[1]!, "base64").toString("utf8").split(":")[0]!);
    const issued = form.grant_type === "authorization_code" ? codes.take(form.code) : undefined;
    if (!issued || issued.clientId !== clientId || issued.redirectUri !== form.redirect_uri)
      return sendJson(reply, 400, { error: "invalid_grant" });
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({
      ...issued.claims,
      ...(issued.nonce === undefined ? {} : { nonce: issued.nonce }),
    })
      .setProtectedHeader({ alg: "RS256", kid })
      .setIssuer(issuer())
      .setAudience(issued.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
    const accessToken = randomBytes(24).toString("base64url");
    accessTokens.set(accessToken, { ...issued, until: Date.now() + 3600_000 });
    return sendJson(reply, 200, {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: 3600,
      id_token: idToken,
    });
  });

  const userinfo = async (req: FastifyRequest, reply: FastifyReply) => {
    const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""));
    const issued = m ? accessTokens.get(m[1]!) : undefined;
    if (!issued || issued.until <= Date.now()) return sendJson(reply, 401, { error: "invalid_token" });
    return sendJson(reply, 200, issued.claims);
  };
  app.get(`${MOCK_IDP_PATH}/userinfo`, userinfo);
  app.post(`${MOCK_IDP_PATH}/userinfo`, userinfo);
};
