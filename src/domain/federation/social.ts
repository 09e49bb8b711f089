/**
 * What the social providers (./google.ts, ./facebook.ts, ./amazon.ts, ./apple.ts) share: where
 * their endpoints are. They default to the real providers; the `socialStandIn` option sends them
 * elsewhere, for tests and offline work. Its value is a comma-separated list of entries, each
 * `<ProviderType>=<base>` (Google, Facebook, LoginWithAmazon, SignInWithApple), or a bare
 * `<issuer>`, which is Google's (an OpenID Connect issuer found by discovery). A base is a URL, or a
 * path of this server (made absolute with the public URL).
 */
import { parseStandIns, type SocialType } from "../../config/social-stand-in.ts";
import type { RequestContext } from "../../context.ts";

export type { SocialType };

/** The stand-in base of a social provider type (no trailing slash); undefined for the real provider. */
export function standInFor(ctx: RequestContext, type: SocialType): string | undefined {
  const value = ctx.services.config.socialStandIn;
  if (!value) return undefined;
  let base: string | undefined;
  try {
    base = parseStandIns(value)[type];
  } catch {
    return undefined;
  }
  if (base === undefined) return undefined;
  const absolute = base.startsWith("/") ? `${ctx.services.publicUrl().replace(/\/$/, "")}${base}` : base;
  return absolute.replace(/\/$/, "");
}

/** The scopes of `authorize_scopes` (space or comma separated). */
export function scopesOf(details: Readonly<Record<string, string>>, fallback: string): string[] {
  return (details.authorize_scopes ?? fallback).split(/[\s,]+/).filter(Boolean);
}
