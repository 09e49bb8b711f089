/**
 * A sign-in gone to an external identity provider and not back yet: the app's authorization
 * request, the provider, the nonce. It is stored with the authorization codes (the oauth
 * repository), under a key of its own kind, so it is redeemed once and expires after
 * PENDING_LIFETIME_MS. The `state` sent to the provider is its random handle.
 *
 * A pending sign-in is bound to the browser that started it (login CSRF): its key is made of the
 * handle and the browser's binding (a hash of a random cookie value that browser holds, see
 * src/http/oauth/federation-binding.ts), so a callback replayed in another browser, whose cookie
 * differs, finds nothing, and leaves the pending sign-in for its own browser.
 */
import { createHash, randomBytes } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import type { IdentityProviderRecord } from "../../storage/records.ts";
import type { Params } from "../oauth/authorize.ts";

/** How long the provider may take to send the user back (Cognito's authorization codes live as long). */
export const PENDING_LIFETIME_MS = 5 * 60_000;

/** A sign-in gone to a provider and not back yet. */
export interface PendingSignIn {
  /** The app's authorization request, as it came to /oauth2/authorize. */
  params: Record<string, string>;
  providerName: string;
  /** The nonce sent to an OIDC provider (its ID token must carry it). */
  nonce?: string;
  /** The redirect URI given to the provider (the same one goes to its token endpoint). */
  callbackUrl: string;
}

function pendingKey(handle: string, binding: string): string {
  return `idp:${createHash("sha256").update(`${handle}\n${binding}`).digest("base64url")}`;
}

/** Stores a pending sign-in; the handle (the `state` sent to the provider) names it. */
export async function savePendingSignIn(
  ctx: RequestContext,
  provider: IdentityProviderRecord,
  clientId: string,
  pending: PendingSignIn,
  binding: string,
): Promise<string> {
  const handle = randomBytes(32).toString("base64url");
  await ctx.services.storage.transaction((tx) =>
    tx.oauth.insertAuthorizationCode({
      codeHash: pendingKey(handle, binding),
      poolId: provider.poolId,
      clientId,
      grant: { pending: { ...pending } },
      createdAt: ctx.now,
      expiresAt: ctx.now + PENDING_LIFETIME_MS,
    }),
  );
  return handle;
}

/**
 * The pending sign-in a handle names in this browser (its binding), taken (it cannot be taken
 * again); undefined when there is none, or when another browser started it.
 */
export async function takePendingSignIn(
  ctx: RequestContext,
  handle: string | undefined,
  binding: string | undefined,
): Promise<PendingSignIn | undefined> {
  if (!handle || handle.length > 200 || !binding) return undefined;
  const record = await ctx.services.storage.transaction((tx) =>
    tx.oauth.redeemAuthorizationCode(pendingKey(handle, binding), ctx.now),
  );
  const pending = record?.grant.pending;
  if (typeof pending !== "object" || pending === null) return undefined;
  return pending as PendingSignIn;
}

export interface StartInput {
  provider: IdentityProviderRecord;
  /** The app's authorization request's parameters. */
  params: Params;
  /** Where the provider sends the browser back (this server's /oauth2/idpresponse). */
  callbackUrl: string;
  /** The origin the request came to (the public URL, or the pool's domain): SAML's ACS is under it. */
  baseUrl: string;
  /** The binding of the browser that starts the sign-in: only that browser can finish it. */
  binding: string;
}
