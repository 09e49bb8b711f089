/**
 * External OpenID Connect providers for the federation tests, on 127.0.0.1:
 * - `oidcProvider()`: panva's oidc-provider (real IdP software) with its development login and
 *   consent pages; any login name signs in as that subject, with the claims given per subject.
 * - `fakeIdp()`: a hand-made provider whose token endpoint answers with whatever ID token the test
 *   asks for (a wrong issuer, audience or nonce), signed with its published key.
 */
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import Provider from "oidc-provider";

export interface Idp {
  issuer: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

export interface OidcProviderOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** The claims of each subject (beyond `sub`). */
  claims?: (sub: string) => Record<string, unknown>;
  authMethod?: "client_secret_post" | "client_secret_basic";
}

export async function oidcProvider(o: OidcProviderOptions): Promise<Idp> {
  const server = createServer();
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: o.clientId,
        client_secret: o.clientSecret,
        redirect_uris: [o.redirectUri],
        token_endpoint_auth_method: o.authMethod ?? "client_secret_post",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, ...(o.claims?.(sub) ?? {}) }),
    }),
    features: { devInteractions: { enabled: true } },
  });
  server.on("request", provider.callback());
  return { issuer, close: closer(server) };
}

export interface FakeIdp extends Idp {
  /** What the next token response's ID token says (besides the request's nonce, unless given). */
  next: Record<string, unknown>;
  /** The authorize requests it got. */
  authorizations: URLSearchParams[];
  /** The token requests it got: the Authorization header and the form. */
  tokenRequests: { authorization?: string; form: URLSearchParams }[];
  /** The user-info requests it got (method); it answers `userinfo` when set. */
  userinfoRequests: string[];
}

export interface FakeIdpOptions {
  /** token_endpoint_auth_methods_supported of its discovery document (none listed by default). */
  authMethods?: string[];
  /** The user-info claims; without, it publishes no user-info endpoint. */
  userinfo?: Record<string, unknown>;
}

export async function fakeIdp(clientId: string, options: FakeIdpOptions = {}): Promise<FakeIdp> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const server = createServer();
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;
  const nonces = new Map<string, string>();
  const idp: FakeIdp = {
    issuer,
    next: {},
    authorizations: [],
    tokenRequests: [],
    userinfoRequests: [],
    close: closer(server),
  };
  server.on("request", (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const json = (body: unknown) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (url.pathname === "/.well-known/openid-configuration")
      return json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        ...(options.authMethods ? { token_endpoint_auth_methods_supported: options.authMethods } : {}),
        ...(options.userinfo ? { userinfo_endpoint: `${issuer}/userinfo` } : {}),
      });
    if (url.pathname === "/userinfo" && options.userinfo) {
      idp.userinfoRequests.push(req.method ?? "");
      if (req.headers.authorization !== "Bearer at") return res.writeHead(401).end();
      return json({
        sub: typeof idp.next.sub === "string" ? idp.next.sub : "fake-subject",
        ...options.userinfo,
      });
    }
    if (url.pathname === "/jwks") return json({ keys: [jwk] });
    if (url.pathname === "/authorize") {
      idp.authorizations.push(url.searchParams);
      const code = `code-${idp.authorizations.length}`;
      nonces.set(code, url.searchParams.get("nonce") ?? "");
      const back = new URL(url.searchParams.get("redirect_uri")!);
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      return res.writeHead(302, { location: back.href }).end();
    }
    if (url.pathname === "/token") {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const form = new URLSearchParams(body);
        idp.tokenRequests.push({
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          form,
        });
        const code = form.get("code") ?? "";
        void new SignJWT({ nonce: nonces.get(code), ...idp.next })
          .setProtectedHeader({ alg: "RS256", kid: "k1" })
          .setIssuer(typeof idp.next.iss === "string" ? idp.next.iss : issuer)
          .setAudience(typeof idp.next.aud === "string" ? idp.next.aud : clientId)
          .setSubject(typeof idp.next.sub === "string" ? idp.next.sub : "fake-subject")
          .setIssuedAt()
          .setExpirationTime(typeof idp.next.exp === "number" ? idp.next.exp : "5m")
          .sign(privateKey)
          .then((idToken) => json({ access_token: "at", token_type: "Bearer", id_token: idToken }));
      });
      return;
    }
    res.writeHead(404).end();
  });
  return idp;
}
