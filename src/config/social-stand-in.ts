/**
 * The value of the `socialStandIn` option: a comma-separated list of `<ProviderType>=<base>`
 * entries, or a bare `<issuer>` (Google's). Used where the value is parsed (./options.ts) and where
 * the social providers find their endpoints (src/domain/federation/social.ts).
 */
export const STAND_IN_TYPES = ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple"] as const;
export type SocialType = (typeof STAND_IN_TYPES)[number];

/** The entries of a `socialStandIn` value; throws Error with the reason when one is malformed. */
export function parseStandIns(value: string): Partial<Record<SocialType, string>> {
  const out: Partial<Record<SocialType, string>> = {};
  for (const raw of value.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const eq = entry.indexOf("=");
    const named = eq > 0 && /^[A-Za-z]+$/.test(entry.slice(0, eq));
    const type = named ? entry.slice(0, eq) : "Google";
    const base = named ? entry.slice(eq + 1).trim() : entry;
    if (!(STAND_IN_TYPES as readonly string[]).includes(type))
      throw new Error(`${type} is not a social provider type (${STAND_IN_TYPES.join(", ")})`);
    if (!base.startsWith("/") && !(URL.canParse(base) && /^https?:/.test(base)))
      throw new Error(`${base} is neither an http(s) URL nor a path of this server`);
    if (out[type as SocialType] !== undefined) throw new Error(`${type} is given more than once`);
    out[type as SocialType] = base;
  }
  return out;
}
