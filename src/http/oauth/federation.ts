/**
 * Federated sign-in over HTTP (the start is in ./federation-start.ts): `GET /login/corporate`,
 * which routes an e-mail address to the provider whose IdpIdentifiers list its domain, and `GET
 * /oauth2/idpresponse` (and `POST`, for Sign in with Apple's `form_post`), where OIDC and social
 * providers send the browser back. Every failure is an error page; no user is made.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../../context.ts";
import { completeExternalSignIn, IDP_RESPONSE } from "../../domain/federation/external.ts";
import type { ProviderType } from "../../domain/federation/provider-details.ts";
import { takePendingSignIn } from "../../domain/federation/pending.ts";
import type { Params } from "../../domain/oauth/authorize.ts";
import { OAuthError } from "../../domain/oauth/errors.ts";
import { authorizationResponse } from "../../domain/oauth/response.ts";
import { sessionCookieName, startManagedLoginSession } from "../../domain/oauth/session.ts";
import type { IdentityProviderRecord } from "../../storage/records.ts";
import type { IdpAttributes } from "../../domain/triggers/inbound-federation.ts";
import { bindingOf, repostPage, withoutRepostMarker } from "./federation-binding.ts";
import { answerAuthorizeError, attempt, carriedQuery } from "./login.ts";
import { contextOf, formOf, parseParams, queryOf, redirect, setCookie } from "./web.ts";

export function federationRoutes(app: FastifyInstance, services: Services): void {
  // Email-domain routing: the domain of the address is an IdP identifier of one of the client's providers.
  app.get("/login/corporate", async (req, reply) => {
    const params = parseParams(queryOf(req));
    const email = params?.corporate_email ?? "";
    const at = email.lastIndexOf("@");
    const a = await attempt(services, req, reply);
    if (!a) return reply;
    const domain =
      at > 0
        ? email
            .slice(at + 1)
            .trim()
            .toLowerCase()
        : "";
    const { idp_identifier: _i, identity_provider: _p, ...rest } = a.params;
    void _i;
    void _p;
    return redirect(reply, `/oauth2/authorize?${carriedQuery({ ...rest, idp_identifier: domain || email })}`);
  });

  /** The provider's answer: the query of a redirect, or the form of Apple's `form_post`. */
  const idpResponse = async (req: FastifyRequest, reply: FastifyReply, params: Params) => {
    const ctx = contextOf(services, req);
    // Only the browser that started the sign-in (its binding cookie) finds it.
    const pending = await takePendingSignIn(ctx, params.state, bindingOf(req));
    if (!pending)
      return answerAuthorizeError(
        reply,
        new OAuthError(
          "invalid_request",
          "The sign-in has expired, its state is not valid, or it was started in another browser. Start again from the app.",
        ),
      );
    const lang = pending.params.lang;
    try {
      if (params.error !== undefined)
        throw new OAuthError(
          "invalid_request",
          `The identity provider answered ${params.error}${params.error_description ? `: ${params.error_description}` : ""}.`,
        );
      if (!params.code) throw new OAuthError("invalid_request", "The identity provider sent no code.");
      const first = await completeExternalSignInProvider(ctx, pending.params.client_id, pending.providerName);
      const finish = IDP_RESPONSE[first.providerType as ProviderType];
      if (!finish)
        throw new OAuthError("invalid_request", "This provider does not answer at /oauth2/idpresponse.");
      const raw: IdpAttributes = {};
      const claims = await finish(ctx, first, pending, params.code, params, raw);
      const { request, user } = await completeExternalSignIn(ctx, pending, claims, raw);
      const signedIn = contextOf(services, req, request.pool.region);
      const session = await startManagedLoginSession(signedIn, request.client, user);
      const location = await authorizationResponse(
        signedIn,
        request,
        user,
        signedIn.now,
        session.ssoSessionId,
      );
      setCookie(
        services,
        req,
        reply,
        sessionCookieName(request.pool.id),
        session.value,
        session.maxAgeSeconds,
      );
      return redirect(reply, location);
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      // Verification failures stay on Lanyard's error page, never go on to the app.
      return answerAuthorizeError(reply, new OAuthError(e.code, e.description), lang);
    }
  };
  app.get("/oauth2/idpresponse", async (req, reply) =>
    idpResponse(req, reply, parseParams(queryOf(req)) ?? {}),
  );
  app.post("/oauth2/idpresponse", async (req, reply) => {
    const posted = formOf(req) ?? {};
    // A cross-site POST does not carry the SameSite=Lax binding cookie: posted again from here.
    return repostPage(req, reply, posted) ?? idpResponse(req, reply, withoutRepostMarker(posted));
  });
}

/** The provider of a pending sign-in, found again through the app client's pool. */
async function completeExternalSignInProvider(
  ctx: ReturnType<typeof contextOf>,
  clientId: string | undefined,
  providerName: string,
): Promise<IdentityProviderRecord> {
  const client = clientId ? await ctx.services.storage.pools.getClientById(clientId) : undefined;
  const idp =
    client && (await ctx.services.storage.federation.getIdentityProvider(client.poolId, providerName));
  if (!idp)
    throw new OAuthError("invalid_request", "The identity provider of this sign-in no longer exists.");
  return idp;
}
