/** The Cognito errors the domain raises in more than one place, worded once. */
import {
  LimitExceededException,
  NotAuthorizedException,
  UserNotFoundException,
  UsernameExistsException,
} from "../generated/exceptions.ts";

export function userDisabled(): NotAuthorizedException {
  return new NotAuthorizedException("User is disabled.");
}

export function incorrectCredentials(): NotAuthorizedException {
  return new NotAuthorizedException("Incorrect username or password.");
}

export function passwordAttemptsExceeded(): NotAuthorizedException {
  return new NotAuthorizedException("Password attempts exceeded");
}

export function sessionExpired(): NotAuthorizedException {
  return new NotAuthorizedException("Invalid session for the user, session is expired.");
}

/** Too many codes asked for or answered (see messaging/codes.ts). */
export function attemptLimitExceeded(): LimitExceededException {
  return new LimitExceededException("Attempt limit exceeded, please try after some time.");
}

/** An attribute the app client may not write (its WriteAttributes), or a developer-only one. */
export function unauthorizedAttribute(): NotAuthorizedException {
  return new NotAuthorizedException("A client attempted to write unauthorized attribute");
}

export function usernameExists(): UsernameExistsException {
  return new UsernameExistsException("User account already exists");
}

export function passwordCannotBeReset(): NotAuthorizedException {
  return new NotAuthorizedException("User password cannot be reset in the current state.");
}

export function accessTokenRevoked(): NotAuthorizedException {
  return new NotAuthorizedException("Access Token has been revoked");
}

export function refreshTokenRevoked(): NotAuthorizedException {
  return new NotAuthorizedException("Refresh Token has been revoked");
}

/** The unauthenticated operations' wording for an unknown user (clients that do not hide users). */
export function usernameNotFound(): UserNotFoundException {
  return new UserNotFoundException("Username/client id combination not found.");
}
