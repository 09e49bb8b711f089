/** Builds the request-rate limiter the configuration asks for (option `rateLimits`), and its sync. */
import { type Config, isLoopback } from "../../config/config.ts";
import type { Logger, RequestLimiter } from "../../context.ts";
import type { Storage } from "../../storage/storage.ts";
import { RateLimiter } from "./limiter.ts";
import { rateLimitRates } from "./settings.ts";
import { startLimitsSync } from "./sync.ts";

export async function createLimiter(
  config: Config,
  storage: Storage,
  logger: Logger,
): Promise<{ limiter?: RequestLimiter }> {
  const rates = rateLimitRates(config.rateLimits, isLoopback(config.host));
  if (!rates) return {};
  const limiter = new RateLimiter(rates);
  await startLimitsSync(storage, limiter, logger);
  return { limiter };
}
