/**
 * The binding of a federated sign-in to the browser that started it (against login CSRF: an
 * attacker's own callback URL, or SAML response, replayed in a victim's browser). When the browser
 * is sent to a provider it gets a random value in an HttpOnly, SameSite=Lax cookie (Secure under
 * https), kept and reused while it lives; the pending sign-in is stored under its hash
 * (src/domain/federation/pending.ts, saml-sp.ts), and the callback finds it only with that cookie.
 *
 * A provider that answers by a cross-site POST (SAML's HTTP-POST binding, Sign in with Apple's
 * `form_post`) does not get the SameSite=Lax cookie sent. Such a POST, without the cookie, is
 * answered with a page that posts the same form again from this origin (a same-origin POST, which
 * carries it): by a script of this server, or a Continue button with JavaScript off.
 */
import { createHash, randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../../context.ts";
import type { Params } from "../../domain/oauth/authorize.ts";
import { html } from "./pages/html.ts";
import { cookies, sendPage, setCookie } from "./web.ts";

export const BINDING_COOKIE = "lanyard_federation";
/** How long the cookie lives after a sign-in starts (the longest wait for a provider, SAML's). */
const BINDING_LIFETIME_S = 10 * 60;
const VALUE = /^[A-Za-z0-9_-]{43}$/;
/** The form field of the repost, so that a form is reposted at most once. */
const REPOSTED = "_lanyard_reposted";

function hashOf(value: string): string {
  return createHash("sha256").update(`federation-binding\n${value}`).digest("base64url");
}

/** The browser's binding, set (or renewed) on the reply: the hash the pending sign-in is kept under. */
export function bindBrowser(services: Services, req: FastifyRequest, reply: FastifyReply): string {
  const known = cookies(req)[BINDING_COOKIE];
  const value = known !== undefined && VALUE.test(known) ? known : randomBytes(32).toString("base64url");
  setCookie(services, req, reply, BINDING_COOKIE, value, BINDING_LIFETIME_S);
  return hashOf(value);
}

/** The binding of the browser a callback came from; undefined when it has no cookie. */
export function bindingOf(req: FastifyRequest): string | undefined {
  const value = cookies(req)[BINDING_COOKIE];
  return value !== undefined && VALUE.test(value) ? hashOf(value) : undefined;
}

/**
 * For a callback POST without the binding cookie that came from another site: the page that posts
 * the form again from this origin; undefined when the callback goes on as it is.
 */
export function repostPage(req: FastifyRequest, reply: FastifyReply, form: Params): FastifyReply | undefined {
  if (bindingOf(req) !== undefined || form[REPOSTED] !== undefined) return undefined;
  if (String(req.headers["sec-fetch-site"] ?? "") !== "cross-site") return undefined;
  const action = (req.raw.url ?? "/").split("?")[0]!;
  const fields = { ...form, [REPOSTED]: "1" };
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Signing in</title>
        <script src="/oauth2/repost.js" defer></script>
      </head>
      <body>
        <form method="post" action="${action}" id="repost">
          ${Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}
          <p>Signing you in. <button type="submit">Continue</button></p>
        </form>
      </body>
    </html>`;
  return sendPage(reply, 200, String(page), true);
}

/** The script of the repost page: it submits the form. */
export function bindingRoutes(app: FastifyInstance): void {
  app.get("/oauth2/repost.js", async (_req, reply) =>
    reply
      .header("cache-control", "public, max-age=3600")
      .type("text/javascript; charset=utf-8")
      .send('document.getElementById("repost").submit();\n'),
  );
}

/** The form without the repost marker. */
export function withoutRepostMarker(form: Params): Params {
  const { [REPOSTED]: _r, ...rest } = form;
  void _r;
  return rest;
}
