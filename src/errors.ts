/**
 * AwsError: the one error type that crosses the wire. Every error Lanyard answers with is one:
 * `type` becomes `__type` and `x-amzn-ErrorType`, `status` the HTTP status. The Cognito exceptions
 * in src/generated/exceptions.ts extend it, and they are the domain's vocabulary, so it lives on
 * the ground floor; protocol-level errors (SigV4, serialization, unknown operation) are made from
 * it directly.
 */
export class AwsError extends Error {
  readonly type: string;
  readonly status: number;
  constructor(type: string, status: number, message: string) {
    super(message);
    this.type = type;
    this.status = status;
    this.name = type;
  }
}
