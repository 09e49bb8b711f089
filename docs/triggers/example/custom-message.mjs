// CustomMessage in plain JavaScript: a friendlier sign-up email. The code placeholder
// (event.request.codeParameter, "{####}") must stay in the message, or Cognito's own text is sent.
export const handler = async (event) => {
  if (event.triggerSource === "CustomMessage_SignUp") {
    event.response.emailSubject = "Welcome to Example";
    event.response.emailMessage = `Welcome! Your confirmation code is ${event.request.codeParameter}.`;
  }
  return event;
};
