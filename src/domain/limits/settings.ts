/**
 * The `rateLimits` option: `off`, `cognito` (Cognito's default rates), or `Category=RPS` entries
 * separated by commas (optionally after `cognito`), each setting one category's rate; the categories
 * not named keep Cognito's defaults. Unset: off when Lanyard listens on a loopback address, else
 * `cognito`.
 */
import { ConfigError } from "../../config/types.ts";
import { CATEGORIES, type Category, isCategory } from "./categories.ts";

/** The free (base) rate of each category, or undefined when limits are off. */
export type RateLimitRates = Readonly<Record<Category, number>>;

export function cognitoRates(): Record<Category, number> {
  const out = {} as Record<Category, number>;
  for (const name of Object.keys(CATEGORIES) as Category[]) out[name] = CATEGORIES[name].rps;
  return out;
}

export function rateLimitRates(option: string | undefined, loopback: boolean): RateLimitRates | undefined {
  const text = (option ?? (loopback ? "off" : "cognito")).trim();
  if (text === "off") return undefined;
  const rates = cognitoRates();
  for (const entry of text.split(",").map((e) => e.trim())) {
    if (entry === "cognito") continue;
    const m = /^([A-Za-z]+)=(\d+)$/.exec(entry);
    if (!m) throw new ConfigError(`rateLimits: "${entry}" is not off, cognito or Category=RPS`);
    const [, name, value] = m;
    if (!isCategory(name!))
      throw new ConfigError(
        `rateLimits: ${name} is not a quota category (${Object.keys(CATEGORIES).join(", ")})`,
      );
    const rps = Number(value);
    if (rps < 1 || rps > 1_000_000) throw new ConfigError(`rateLimits: ${name} must be from 1 to 1000000`);
    rates[name] = rps;
  }
  return rates;
}
