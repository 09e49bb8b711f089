/** CUSTOM_AUTH: driven by Lambda triggers, which Lanyard does not run; refused as Cognito refuses it without them. */
import { InvalidParameterException } from "../../../generated/exceptions.ts";
import type { AuthFlow } from "../types.ts";

export const customAuth: AuthFlow = {
  allow: "ALLOW_CUSTOM_AUTH",
  username: false,
  run: () =>
    Promise.reject(
      new InvalidParameterException("Custom auth lambda trigger is not configured for the user pool."),
    ),
};
