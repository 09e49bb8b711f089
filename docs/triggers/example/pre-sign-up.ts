/** PreSignUp: only example.com addresses may sign up, and they need no confirmation code. */
import type { PreSignUpTriggerHandler } from "aws-lambda";

const DOMAIN = "example.com";

export const handler: PreSignUpTriggerHandler = async (event) => {
  const email = event.request.userAttributes.email ?? "";
  if (event.triggerSource === "PreSignUp_SignUp" && !email.endsWith(`@${DOMAIN}`))
    throw new Error(`Sign-ups are open to ${DOMAIN} addresses only`);
  if (email.endsWith(`@${DOMAIN}`)) {
    event.response.autoConfirmUser = true;
    event.response.autoVerifyEmail = true;
  }
  return event;
};
