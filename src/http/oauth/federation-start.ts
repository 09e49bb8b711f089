/**
 * The start of a federated sign-in over HTTP: the authorize endpoint's dispatch to the provider a
 * request names (startExternal; errors are thrown as OAuthError for the caller to answer), and
 * the login page's provider buttons and corporate e-mail field (providerChoices).
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { RequestContext, Services } from "../../context.ts";
import { starterOf } from "../../domain/federation/external.ts";
import type { AuthorizationRequest, Params } from "../../domain/oauth/authorize.ts";
import { OAuthError } from "../../domain/oauth/errors.ts";
import type { IdentityProviderRecord } from "../../storage/records.ts";
import { hostedPoolOf, requestOrigin } from "../hosted.ts";
import { type Html, html } from "./pages/html.ts";
import { bindBrowser } from "./federation-binding.ts";
import { redirect } from "./web.ts";

/** What the start needs of a checked authorization request (login.ts's Attempt). */
export interface StartAttempt {
  ctx: RequestContext;
  params: Params;
  request: AuthorizationRequest;
  query: string;
}

/**
 * The base of the URLs providers call back: the pool's domain (prefix or custom) when the request
 * came through it, else the server's public URL.
 */
export function externalBaseUrl(services: Services, req: FastifyRequest): string {
  const origin = hostedPoolOf(req) ? requestOrigin(services, req) : services.publicUrl();
  return origin.replace(/\/$/, "");
}

/** This server's /oauth2/idpresponse, as the provider must call it back. */
export function idpResponseUrl(services: Services, req: FastifyRequest): string {
  return `${externalBaseUrl(services, req)}/oauth2/idpresponse`;
}

/** Sends the browser to the provider the authorization request names. */
export async function startExternal(
  services: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  a: StartAttempt,
  providerName: string,
): Promise<FastifyReply> {
  const provider = await a.ctx.services.storage.federation.getIdentityProvider(
    a.request.pool.id,
    providerName,
  );
  const start = provider && starterOf(provider);
  if (!provider || !start)
    throw new OAuthError("invalid_request", "Login option is not available. Please try another one", {
      redirect: a.request.errorRedirect,
    });
  const location = await start(a.ctx, {
    provider,
    params: a.params,
    callbackUrl: idpResponseUrl(services, req),
    baseUrl: externalBaseUrl(services, req),
    binding: bindBrowser(services, req, reply),
  });
  return redirect(reply, location);
}

/** The label of a provider's button, as Cognito's pages word it. */
function buttonLabel(idp: IdentityProviderRecord): string {
  switch (idp.providerType) {
    case "LoginWithAmazon":
      return "Continue with Amazon";
    case "SignInWithApple":
      return "Continue with Apple";
    default:
      return `Continue with ${idp.providerName}`;
  }
}

/** The login page's other ways to sign in: a button per provider of the client, and the e-mail field. */
export async function providerChoices(a: StartAttempt): Promise<{ html: Html[]; cognito: boolean }> {
  const supported = a.request.client.settings.SupportedIdentityProviders ?? [];
  const providers: IdentityProviderRecord[] = [];
  for (const name of supported) {
    if (name === "COGNITO") continue;
    const idp = await a.ctx.services.storage.federation.getIdentityProvider(a.request.pool.id, name);
    if (idp && starterOf(idp)) providers.push(idp);
  }
  const out: Html[] = [];
  if (providers.length > 0) {
    const base = Object.fromEntries(new URLSearchParams(a.query));
    out.push(
      html`<nav class="providers" aria-label="Other ways to sign in">
        ${providers.map(
          (p) =>
            html`<a
              class="button provider"
              href="/oauth2/authorize?${new URLSearchParams({ ...base, identity_provider: p.providerName }).toString()}"
              >${buttonLabel(p)}</a
            >`,
        )}
      </nav>`,
    );
    if (providers.some((p) => p.idpIdentifiers.length > 0))
      out.push(
        html`<form method="get" action="/login/corporate" novalidate>
          ${Object.entries(base).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}
          <label for="corporate_email">Sign in with your corporate email</label>
          <input id="corporate_email" name="corporate_email" type="email" autocomplete="email" required />
          <button type="submit">Continue</button>
        </form>`,
      );
  }
  return { html: out, cognito: supported.includes("COGNITO") };
}
