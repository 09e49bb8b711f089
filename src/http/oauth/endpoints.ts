/**
 * The endpoints apps call directly: `POST /oauth2/token`, `GET|POST /oauth2/userInfo`,
 * `POST /oauth2/revoke`; and `GET /logout`, which the browser visits.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../../context.ts";
import { OAuthError } from "../../domain/oauth/errors.ts";
import { checkLogout } from "../../domain/oauth/logout.ts";
import { revokeRequest } from "../../domain/oauth/revoke.ts";
import { endManagedLoginSession, sessionCookieName } from "../../domain/oauth/session.ts";
import { tokenRequest } from "../../domain/oauth/token.ts";
import { userInfo } from "../../domain/oauth/userinfo.ts";
import { answerAuthorizeError, carriedQuery } from "./login.ts";
import { signedOutPage } from "./pages/views.ts";
import { samlLogout } from "./saml.ts";
import {
  clearCookie,
  contextOf,
  cookies,
  formOf,
  parseParams,
  queryOf,
  redirect,
  sendJson,
  sendPage,
} from "./web.ts";

function sendOAuthError(reply: FastifyReply, e: unknown): FastifyReply {
  if (!(e instanceof OAuthError)) throw e;
  return sendJson(reply, e.status, e.body());
}

/** The form of a token or revocation request; invalid_request when it is not a form. */
function requireForm(req: FastifyRequest) {
  const form = formOf(req);
  if (!form)
    throw new OAuthError(
      "invalid_request",
      "The body must be application/x-www-form-urlencoded, each parameter once.",
    );
  return form;
}

function bearer(req: FastifyRequest, form: Record<string, string> | undefined): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m ? m[1] : undefined;
  }
  return form?.access_token;
}

export function endpointRoutes(app: FastifyInstance, services: Services): void {
  app.post("/oauth2/token", async (req, reply) => {
    try {
      const form = requireForm(req);
      return sendJson(
        reply,
        200,
        await tokenRequest(contextOf(services, req), form, req.headers.authorization),
      );
    } catch (e) {
      return sendOAuthError(reply, e);
    }
  });

  app.post("/oauth2/revoke", async (req, reply) => {
    try {
      await revokeRequest(contextOf(services, req), requireForm(req), req.headers.authorization);
      return reply.code(200).header("cache-control", "no-store").send();
    } catch (e) {
      return sendOAuthError(reply, e);
    }
  });

  const info = async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      const token = bearer(req, req.method === "POST" ? formOf(req) : undefined);
      if (!token) throw new OAuthError("invalid_request", "The access token is missing.");
      return sendJson(reply, 200, await userInfo(contextOf(services, req), token));
    } catch (e) {
      if (e instanceof OAuthError) {
        const description = e.description === undefined ? "" : `, error_description="${e.description}"`;
        reply.header("www-authenticate", `Bearer error="${e.code}"${description}`);
      }
      return sendOAuthError(reply, e);
    }
  };
  app.get("/oauth2/userInfo", info);
  app.post("/oauth2/userInfo", info);

  app.get("/logout", async (req, reply) => {
    const params = parseParams(queryOf(req));
    if (!params)
      return answerAuthorizeError(
        reply,
        new OAuthError("invalid_request", "A parameter was given more than once."),
      );
    try {
      const ctx = contextOf(services, req);
      const outcome = await checkLogout(ctx, params);
      const cookie = sessionCookieName(outcome.poolId);
      await endManagedLoginSession(ctx, outcome.poolId, cookies(req)[cookie]);
      clearCookie(services, req, reply, cookie);
      if (outcome.kind === "logout")
        return (
          (await samlLogout(services, req, reply, outcome.poolId, outcome.location)) ??
          redirect(reply, outcome.location)
        );
      if (outcome.kind === "signedOut") return sendPage(reply, 200, signedOutPage({}));
      const again = `/login?${carriedQuery(outcome.params)}`;
      return (await samlLogout(services, req, reply, outcome.poolId, again)) ?? redirect(reply, again);
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      return answerAuthorizeError(reply, e, params.lang);
    }
  });
}
