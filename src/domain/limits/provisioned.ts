/**
 * GetProvisionedLimit and UpdateProvisionedLimit: the provisioned rate of an API category, for the
 * account in one region (every pool of the region shares it). FreeLimitValue is the category's base
 * rate (Cognito's default, or the `rateLimits` option's value); ProvisionedLimitValue the rate in
 * force: the provisioned one of an adjustable category, else the free one. An adjustable category
 * can be provisioned from its free rate up to ten times it (Lanyard's stand-in for the account's
 * maximum in Service Quotas).
 */
import { isLoopback } from "../../config/config.ts";
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException, ServiceQuotaExceededException } from "../../generated/exceptions.ts";
import type { LimitDefinitionType, LimitType } from "../../generated/types.ts";
import { CATEGORIES, type Category, isCategory } from "./categories.ts";
import { cognitoRates, rateLimitRates } from "./settings.ts";

/** The account-level maximum, as a multiple of the free rate. */
export const MAXIMUM_MULTIPLIER = 10;

function categoryOf(definition: LimitDefinitionType): Category {
  const attributes = definition.Attributes ?? {};
  const extra = Object.keys(attributes).filter((k) => k !== "Category");
  if (extra.length > 0)
    throw new InvalidParameterException(
      `Unsupported limit attribute ${extra[0]}: only Category is supported.`,
    );
  const category = attributes.Category;
  if (category === undefined)
    throw new InvalidParameterException("LimitDefinition.Attributes must contain Category.");
  if (!isCategory(category))
    throw new InvalidParameterException(
      `${category} is not a valid API category for LimitClass API_CATEGORY.`,
    );
  return category;
}

function freeRate(ctx: RequestContext, category: Category): number {
  const { config } = ctx.services;
  return (rateLimitRates(config.rateLimits, isLoopback(config.host)) ?? cognitoRates())[category];
}

async function limitOf(ctx: RequestContext, region: string, category: Category): Promise<LimitType> {
  const free = freeRate(ctx, category);
  const stored = CATEGORIES[category].adjustable
    ? await ctx.services.storage.limits.getProvisionedLimit(region, category)
    : undefined;
  return {
    LimitDefinition: { LimitClass: "API_CATEGORY", Attributes: { Category: category } },
    ProvisionedLimitValue: stored?.value ?? free,
    FreeLimitValue: free,
  };
}

export function getProvisionedLimit(
  ctx: RequestContext,
  region: string,
  definition: LimitDefinitionType,
): Promise<LimitType> {
  return limitOf(ctx, region, categoryOf(definition));
}

export async function updateProvisionedLimit(
  ctx: RequestContext,
  region: string,
  definition: LimitDefinitionType,
  requested: number,
): Promise<LimitType> {
  const category = categoryOf(definition);
  if (!CATEGORIES[category].adjustable)
    throw new InvalidParameterException(`The ${category} category is not adjustable.`);
  const free = freeRate(ctx, category);
  if (!Number.isInteger(requested) || requested < free)
    throw new InvalidParameterException(
      `RequestedLimitValue must be at least the default limit of ${free} for ${category}.`,
    );
  const maximum = free * MAXIMUM_MULTIPLIER;
  if (requested > maximum)
    throw new ServiceQuotaExceededException(
      `RequestedLimitValue ${requested} exceeds the account-level maximum limit of ${maximum} for ${category}.`,
    );
  await ctx.services.storage.transaction((tx) =>
    tx.limits.putProvisionedLimit({ region, category, value: requested, updatedAt: ctx.now }),
  );
  ctx.services.limiter?.provisioned(region, category, requested);
  return limitOf(ctx, region, category);
}
