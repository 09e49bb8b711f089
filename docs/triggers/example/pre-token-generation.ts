/**
 * PreTokenGeneration V2_0: the tenant (the user's email domain without its top-level part, so
 * alice@example.com is in tenant "example"; else "default") in both tokens, and a custom scope in
 * the access token. (Not from InitiateAuth's ClientMetadata: Cognito passes that to
 * PreAuthentication and UserMigration only; RespondToAuthChallenge's does reach this trigger.)
 */
import type { PreTokenGenerationV2TriggerHandler } from "aws-lambda";

export const handler: PreTokenGenerationV2TriggerHandler = async (event) => {
  const domain = event.request.userAttributes.email?.split("@")[1];
  const tenant = domain?.split(".")[0] || "default";
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: { claimsToAddOrOverride: { tenant } },
      accessTokenGeneration: { claimsToAddOrOverride: { tenant }, scopesToAdd: [`tenant/${tenant}`] },
    },
  };
  return event;
};
