/**
 * The OAuth 2.0 errors of the authorization server (RFC 6749 §4.1.2.1 and §5.2, RFC 7009, RFC 6750):
 * the wire code, the HTTP status Cognito answers with, and, for the authorize endpoint, where the
 * error may be sent: back to the client's redirect URI, or (an unknown client or redirect URI) only
 * to the user, on an error page.
 */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "unsupported_response_type"
  | "invalid_scope"
  | "access_denied"
  | "server_error"
  | "invalid_token"
  | "unsupported_token_type"
  | "redirect_mismatch"
  | "login_required"
  | "request_not_supported"
  | "request_uri_not_supported";

/** Where an authorize error goes: the client's redirect URI (with the request's state). */
export interface ErrorRedirect {
  redirectUri: string;
  state?: string;
  /** The implicit grant answers in the fragment. */
  fragment: boolean;
  /** RFC 9207 `iss` (strict mode). */
  iss?: string;
}

export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly status: number;
  readonly description: string | undefined;
  /** Set when the error may be answered by redirecting to the client. */
  readonly redirect: ErrorRedirect | undefined;
  constructor(
    code: OAuthErrorCode,
    description?: string,
    options: { status?: number; redirect?: ErrorRedirect } = {},
  ) {
    super(description ?? code);
    this.code = code;
    this.status = options.status ?? 400;
    this.description = description;
    this.redirect = options.redirect;
  }

  /** The JSON body of the token, revocation and userInfo endpoints. */
  body(): Record<string, string> {
    return this.description === undefined
      ? { error: this.code }
      : { error: this.code, error_description: this.description };
  }
}
