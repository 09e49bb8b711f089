/** The user pool's public endpoints: JWKS and OpenID Connect discovery, as Cognito serves them. */
import { poolIssuer } from "../domain/tokens/issuer.ts";
import { requestOrigin, resolveHostedPool } from "./hosted.ts";
import type { HttpPlugin } from "./plugin.ts";

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

export const wellKnown: HttpPlugin = async (app, { services }) => {
  app.get<{ Params: { poolId: string } }>("/:poolId/.well-known/jwks.json", async (req, reply) => {
    const { poolId } = req.params;
    const pool = POOL_ID.test(poolId) ? await services.storage.pools.getPool(poolId) : undefined;
    if (!pool) return reply.code(404).send({ message: `User pool ${poolId} does not exist.` });
    const keys = await services.keys.keys(pool.id, services.clock.now());
    return reply.header("cache-control", "public, max-age=3600").send({ keys: keys.map((k) => k.jwk) });
  });

  app.get<{ Params: { poolId: string } }>("/:poolId/.well-known/openid-configuration", async (req, reply) => {
    const { poolId } = req.params;
    const hosted = await resolveHostedPool(services, req);
    const pool =
      POOL_ID.test(poolId) && (!hosted || hosted.poolId === poolId)
        ? await services.storage.pools.getPool(poolId)
        : undefined;
    if (!pool) return reply.code(404).send({ message: `User pool ${poolId} does not exist.` });
    // The issuer of the `issuer` mode; the endpoints and the JWKS where this server serves them (in
    // the `aws` mode, the issuer names Cognito, which a client reaches only through a hosts entry).
    // On the server's own origin the pool is found from client_id; fetched through a pool's domain
    // (which serves only that pool), the endpoints are on that domain.
    const base = hosted ? requestOrigin(services, req) : services.publicUrl();
    return reply.send({
      issuer: poolIssuer(services, pool.id),
      authorization_endpoint: `${base}/oauth2/authorize`,
      token_endpoint: `${base}/oauth2/token`,
      userinfo_endpoint: `${base}/oauth2/userInfo`,
      revocation_endpoint: `${base}/oauth2/revoke`,
      end_session_endpoint: `${base}/logout`,
      jwks_uri: `${base}/${pool.id}/.well-known/jwks.json`,
      response_types_supported: ["code", "token"],
      response_modes_supported: ["query", "fragment"],
      grant_types_supported: ["authorization_code", "implicit", "refresh_token", "client_credentials"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      code_challenge_methods_supported: ["S256", "plain"],
      ...(services.config.oauth.mode === "strict"
        ? {
            authorization_response_iss_parameter_supported: true,
            request_parameter_supported: false,
            request_uri_parameter_supported: false,
            claims_parameter_supported: false,
          }
        : {}),
      claims_supported: [
        "sub",
        "iss",
        "aud",
        "token_use",
        "auth_time",
        "exp",
        "iat",
        "jti",
        "origin_jti",
        "event_id",
        "nonce",
        "at_hash",
        "identities",
        "cognito:username",
        "cognito:groups",
        "email",
        "email_verified",
        "phone_number",
        "phone_number_verified",
        "name",
        "given_name",
        "family_name",
        "preferred_username",
      ],
    });
  });
};
