/**
 * PreTokenGeneration V2_0: the tenant (from the sign-in's ClientMetadata, else "default") in both
 * tokens, and a custom scope in the access token.
 */
import type { PreTokenGenerationV2TriggerHandler } from "aws-lambda";

export const handler: PreTokenGenerationV2TriggerHandler = async (event) => {
  const tenant = event.request.clientMetadata?.tenant ?? "default";
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: { claimsToAddOrOverride: { tenant } },
      accessTokenGeneration: { claimsToAddOrOverride: { tenant }, scopesToAdd: [`tenant/${tenant}`] },
    },
  };
  return event;
};
