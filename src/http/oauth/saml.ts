/**
 * The SAML endpoints of the user pool as a service provider: `GET /saml2/metadata/<poolId>` (and
 * `GET /saml2/metadata` on a pool's domain), the SP metadata (a Lanyard addition: Cognito publishes
 * none); `POST /saml2/idpresponse`, the assertion consumer service (POST binding), for SP- and
 * IdP-initiated sign-in (SP-initiated sign-in starts in the domain's EXTERNAL_SIGN_IN table).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../../context.ts";
import { resolveFederatedUser } from "../../domain/federation/federated-sign-in.ts";
import {
  answersRequest,
  checkSamlResponse,
  finishSamlLogout,
  SAML_SESSION_LIFETIME_MS,
  SamlResponseError,
  type SamlSession,
  samlSessionOf,
  samlSessionValue,
  startSamlLogout,
  spMetadata,
} from "../../domain/federation/saml-sp.ts";
import { checkAuthorizationRequest, type Params } from "../../domain/oauth/authorize.ts";
import { OAuthError } from "../../domain/oauth/errors.ts";
import { authorizationResponse } from "../../domain/oauth/response.ts";
import { AwsError } from "../../errors.ts";
import { hostedPoolOf } from "../hosted.ts";
import { externalBaseUrl } from "./federation-start.ts";
import { bindingOf, repostPage, withoutRepostMarker } from "./federation-binding.ts";
import { errorPage } from "./pages/views.ts";
import {
  clearCookie,
  contextOf,
  cookies,
  formOf,
  parseParams,
  redirect,
  sendPage,
  setCookie,
} from "./web.ts";

/** The cookie naming the SAML session of a pool's sign-in (for sign-out). */
export function samlSessionCookieName(poolId: string): string {
  return `lanyard_saml_${poolId}`;
}

/**
 * Sign-out of a SAML session (IDPSignout): ends the browser's SAML session of the pool and, when its
 * provider signs out, answers the redirect to the IdP's LogoutRequest, after which the browser goes
 * to `location`; undefined when the browser goes to `location` at once.
 */
export async function samlLogout(
  services: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  poolId: string,
  location: string,
): Promise<FastifyReply | undefined> {
  const name = samlSessionCookieName(poolId);
  const ctx = contextOf(services, req);
  const session = samlSessionOf(ctx, poolId, cookies(req)[name]);
  if (cookies(req)[name] !== undefined) clearCookie(services, req, reply, name);
  if (!session) return undefined;
  const idpLocation = await startSamlLogout(ctx, externalBaseUrl(services, req), session, location);
  return idpLocation === undefined ? undefined : redirect(reply, idpLocation);
}

function refused(reply: FastifyReply, description: string, lang?: string): FastifyReply {
  return sendPage(
    reply,
    400,
    errorPage({ error: "invalid_request", description, ...(lang === undefined ? {} : { lang }) }),
  );
}

export function samlRoutes(app: FastifyInstance, services: Services): void {
  const metadata = async (req: FastifyRequest, reply: FastifyReply, poolId: string | undefined) => {
    const ctx = contextOf(services, req);
    const pool = poolId === undefined ? undefined : await services.storage.pools.getPool(poolId);
    if (!pool) return reply.code(404).type("text/plain; charset=utf-8").send("No such user pool.");
    return reply
      .code(200)
      .header("cache-control", "no-store")
      .type("application/samlmetadata+xml")
      .send(
        await spMetadata(
          contextOf(services, req, pool.region ?? ctx.region),
          pool,
          externalBaseUrl(services, req),
        ),
      );
  };
  app.get("/saml2/metadata", async (req, reply) => metadata(req, reply, hostedPoolOf(req)?.poolId));
  app.get<{ Params: { poolId: string } }>("/saml2/metadata/:poolId", async (req, reply) => {
    const hosted = hostedPoolOf(req);
    if (hosted && hosted.poolId !== req.params.poolId) return metadata(req, reply, undefined);
    return metadata(req, reply, req.params.poolId);
  });

  app.post("/saml2/idpresponse", async (req, reply) => {
    const posted = formOf(req);
    if (!posted) return refused(reply, "The body must be a form with a SAMLResponse.");
    // A cross-site POST does not carry the SameSite=Lax binding cookie: posted again from here
    // when the response answers an AuthnRequest (IdP-initiated sign-in needs no binding).
    const again = answersRequest(posted.SAMLResponse) ? repostPage(req, reply, posted) : undefined;
    if (again) return again;
    const form = withoutRepostMarker(posted);
    const ctx = contextOf(services, req);
    // IdP-initiated: the RelayState carries the authorization request's parameters.
    const idpInitiated = async (relayState: string | undefined) => {
      const params = relayState === undefined ? undefined : parseParams(relayState);
      if (!params?.client_id) throw new SamlResponseError("The RelayState names no app client.");
      const request = await checkAuthorizationRequest(ctx, params);
      const idp =
        request.identityProvider === undefined
          ? undefined
          : await ctx.services.storage.federation.getIdentityProvider(
              request.pool.id,
              request.identityProvider,
            );
      if (!idp) throw new SamlResponseError("The RelayState names no identity provider.");
      return { poolId: request.pool.id, idp, params };
    };
    let params: Params | undefined;
    try {
      const checked = await checkSamlResponse(
        ctx,
        externalBaseUrl(services, req),
        form.SAMLResponse,
        form.RelayState,
        bindingOf(req),
        idpInitiated,
      );
      params = checked.params;
      const request = await checkAuthorizationRequest(ctx, checked.params);
      if (request.identityProvider !== checked.idp.providerName)
        throw new SamlResponseError("The SAML response is not from the provider the request names.");
      const signedIn = contextOf(services, req, request.pool.region);
      const user = await resolveFederatedUser(
        signedIn,
        request.pool,
        checked.idp.providerName,
        checked.claims,
        request.client.clientId,
      );
      const location = await authorizationResponse(signedIn, request, user, signedIn.now);
      // The IdP session, for sign-out (IDPSignout).
      const session: SamlSession = {
        poolId: request.pool.id,
        providerName: checked.idp.providerName,
        nameID: checked.nameID,
        nameIDFormat: checked.nameIDFormat,
      };
      if (checked.sessionIndex !== undefined) session.sessionIndex = checked.sessionIndex;
      setCookie(
        services,
        req,
        reply,
        samlSessionCookieName(request.pool.id),
        samlSessionValue(signedIn, session),
        SAML_SESSION_LIFETIME_MS / 1000,
      );
      return redirect(reply, location);
    } catch (e) {
      if (e instanceof SamlResponseError) return refused(reply, e.message, params?.lang);
      if (e instanceof OAuthError) return refused(reply, e.description ?? e.code, params?.lang);
      if (e instanceof AwsError && e.status < 500) return refused(reply, e.message, params?.lang);
      throw e;
    }
  });

  app.post("/saml2/logout", async (req, reply) => {
    const form = formOf(req);
    if (!form) return refused(reply, "The body must be a form with a SAMLResponse.");
    try {
      return redirect(
        reply,
        await finishSamlLogout(contextOf(services, req), externalBaseUrl(services, req), form.SAMLResponse),
      );
    } catch (e) {
      if (e instanceof SamlResponseError) return refused(reply, e.message);
      throw e;
    }
  });
}
