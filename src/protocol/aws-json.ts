/**
 * The AWS JSON 1.1 endpoint: `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`.
 * Route -> SigV4 (admin operations) -> parse -> validate -> resolve the caller -> operation -> serialize.
 */
import { type Clock, createRequestContext, type Logger, type Services } from "../context.ts";
import {
  InternalErrorException,
  TooManyRequestsException,
  UnsupportedOperationException,
} from "../generated/exceptions.ts";
import { OPERATIONS, type OperationName, type OperationSpec } from "../generated/operations.ts";
import { clientNotFound, poolNotFound } from "../domain/lookups.ts";
import { checkCallerRegion, checkRequestRegion, primaryRegion } from "../domain/replicas/regions.ts";
import type { OperationModule } from "../operations/define.ts";
import { AwsError } from "../errors.ts";
import { assertCallerMatchesAuth, resolveCaller } from "./caller.ts";
import { type CredentialStore, verifySigV4 } from "./sigv4.ts";
import { validateInput } from "./validate.ts";
import { awsSdkVersion } from "./user-agent.ts";

const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
const CONTENT_TYPE = "application/x-amz-json-1.1";

export interface AwsJsonRequest {
  method: string;
  path: string;
  query: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
  /** The peer's address. */
  clientIp?: string;
  /** This request's id (made by the HTTP layer), answered as `x-amzn-RequestId`. */
  requestId: string;
}

export interface AwsJsonResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** What the request log and the metrics say of it (identifiers only, never a secret). */
  facts?: RequestFacts;
}

/** The identifiers of one request: its operation, the pool and app client it names, its error. */
export interface RequestFacts {
  operation: string;
  pool?: string;
  client?: string;
  /** The AWS error type answered, if any. */
  error?: string;
  /** A sign-in step's AuthFlow or ChallengeName. */
  flow?: string;
  /** What a sign-in step answered: `tokens` or `challenge` (an error is in `error`). */
  result?: "tokens" | "challenge";
}

const POOL_REGION = /^([a-z]{2}(?:-[a-z]+)+-\d+)_/;
/** cognito-idp.<region>.amazonaws.com (FIPS, China and dual-stack names too), with or without a port. */
const REGIONAL_ENDPOINT =
  /^cognito-idp(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:amazonaws\.com(?:\.cn)?|amazonaws\.eu|api\.aws)(?::\d+)?$/;

/** The SDK the request's User-Agent (or X-Amz-User-Agent) names, for the trigger events. */
function sdkOf(headers: AwsJsonRequest["headers"]): { awsSdkVersion?: string } {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const version =
    awsSdkVersion(one(headers["user-agent"])) ?? awsSdkVersion(one(headers["x-amz-user-agent"]));
  return version === undefined ? {} : { awsSdkVersion: version };
}

export class AwsJsonEndpoint {
  private readonly services: Services;
  private readonly operations: ReadonlyMap<string, OperationModule>;
  private readonly credentials: CredentialStore;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(
    services: Services,
    operations: ReadonlyMap<string, OperationModule>,
    credentials: CredentialStore,
  ) {
    for (const [name, impl] of operations) {
      const spec = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name as OperationName] : undefined;
      if (!spec || impl.name !== name)
        throw new Error(`src/operations: ${name} is not an AWS operation name`);
      assertCallerMatchesAuth(name, impl.caller, spec.auth);
    }
    this.services = services;
    this.operations = operations;
    this.credentials = credentials;
    this.clock = services.clock;
    this.logger = services.logger;
  }

  async handle(req: AwsJsonRequest): Promise<AwsJsonResponse> {
    const { requestId } = req;
    const facts: RequestFacts = { operation: "-" };
    try {
      const spec = this.route(req);
      const operation = spec.name;
      facts.operation = operation;
      const now = this.clock.now();
      // Signatures are dated by the caller's real clock: check them against wall time, not the test clock.
      const signer = spec.auth === "sigv4" ? verifySigV4(req, this.credentials, new Date()) : undefined;
      const region = signer ? signer.region : endpointRegion(req.headers);
      const input = parseBody(req);
      const impl = this.operations.get(spec.name);
      if (!impl)
        throw new UnsupportedOperationException(
          `${spec.name} is not implemented by Lanyard yet (see docs/compatibility.md).`,
        );
      validateInput(input, spec.input);
      const named = input as { UserPoolId?: unknown; ClientId?: unknown };
      if (typeof named.UserPoolId === "string") facts.pool = named.UserPoolId;
      if (typeof named.ClientId === "string") facts.client = named.ClientId;
      const step = input as { AuthFlow?: unknown; ChallengeName?: unknown };
      const flow = step.AuthFlow ?? step.ChallengeName;
      if (typeof flow === "string" && flow.length <= 64) facts.flow = flow;
      // A pool id carries its pool's region: one of another region names no pool here.
      const poolId = (input as { UserPoolId?: unknown }).UserPoolId;
      // Or its replica's region (domain/replicas), which serves only some operations.
      if (region !== undefined && typeof poolId === "string" && primaryRegion(poolId) !== region)
        await checkRequestRegion(this.services.storage, spec.name, impl.caller, poolId, region, now, () =>
          poolNotFound(poolId),
        );
      const ctxRegion = region ?? regionOf(input) ?? this.services.config.defaultRegion;
      // The request-rate limits (domain/limits), by the operation's quota category.
      if (
        this.services.limiter?.admit(
          spec.name,
          ctxRegion,
          typeof poolId === "string" ? poolId : undefined,
        ) === false
      )
        throw new TooManyRequestsException("Rate exceeded");
      const ctx = createRequestContext(this.services, {
        requestId,
        region: ctxRegion,
        ...(region !== undefined ? { requestRegion: region } : {}),
        now,
        ...(req.clientIp === undefined ? {} : { clientIp: req.clientIp }),
        ...(typeof req.headers["user-agent"] === "string" ? { userAgent: req.headers["user-agent"] } : {}),
        ...sdkOf(req.headers),
      });
      const caller = await resolveCaller(impl.caller, input, ctx, signer);
      if ("pool" in caller) facts.pool = caller.pool.id;
      if ("client" in caller) facts.client = caller.client.clientId;
      if (
        (caller.kind === "client" || caller.kind === "token") &&
        region !== undefined &&
        caller.pool.region !== region
      )
        await checkCallerRegion(
          this.services.storage,
          spec.name,
          caller.kind,
          caller.pool,
          region,
          now,
          () =>
            caller.kind === "client" ? clientNotFound(caller.client.clientId) : poolNotFound(caller.pool.id),
        );
      const output = await impl.handle(input, ctx, caller);
      if (facts.flow !== undefined && output && typeof output === "object") {
        if ("AuthenticationResult" in output && output.AuthenticationResult) facts.result = "tokens";
        else if ("ChallengeName" in output && output.ChallengeName) facts.result = "challenge";
      }
      return {
        status: 200,
        headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": requestId },
        body: JSON.stringify(output ?? {}),
        facts,
      };
    } catch (caught) {
      const e = caught;
      let error: AwsError;
      if (e instanceof AwsError) {
        error = e;
      } else {
        this.logger.error("internal error", {
          requestId,
          operation: facts.operation,
          error: (e as Error)?.stack ?? String(e),
        });
        error = new InternalErrorException(
          "An internal error occurred. See the server log, request id " + requestId,
        );
      }
      facts.error = error.type;
      return { ...errorResponse(error, requestId), facts };
    }
  }

  private route(req: AwsJsonRequest): OperationSpec {
    const target = header(req.headers, "x-amz-target");
    if (!target) throw new AwsError("UnknownOperationException", 400, "Missing X-Amz-Target header.");
    const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
    const spec = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name as OperationName] : undefined;
    if (!spec) throw new AwsError("UnknownOperationException", 400, `Unknown operation ${target}.`);
    const type = header(req.headers, "content-type")?.split(";")[0]?.trim().toLowerCase();
    if (type !== CONTENT_TYPE && type !== "application/x-amz-json-1.0")
      throw new AwsError(
        "UnsupportedMediaTypeException",
        415,
        `Content-Type must be ${CONTENT_TYPE}, not ${type ? `'${type}'` : "missing"}.`,
      );
    return spec;
  }
}

export function header(headers: AwsJsonRequest["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseBody(req: AwsJsonRequest): unknown {
  if (req.body.length === 0) return {};
  let input: unknown;
  try {
    input = JSON.parse(req.body.toString("utf8"));
  } catch {
    throw new AwsError("SerializationException", 400, "The request body is not valid JSON.");
  }
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new AwsError("SerializationException", 400, "The request body must be a JSON object.");
  return input;
}

/** The region of a regional Cognito endpoint the request was sent to (its Host), if it names one. */
function endpointRegion(headers: AwsJsonRequest["headers"]): string | undefined {
  const host = header(headers, "host") ?? header(headers, ":authority");
  return host ? REGIONAL_ENDPOINT.exec(host.toLowerCase())?.[1] : undefined;
}

/** Unsigned operations carry no credential scope: take the region from the pool id when there is one. */
function regionOf(input: unknown): string | undefined {
  const poolId = (input as { UserPoolId?: unknown }).UserPoolId;
  if (typeof poolId !== "string") return undefined;
  return POOL_REGION.exec(poolId)?.[1];
}

/**
 * The one rendering of an AwsError on the wire (status, `x-amzn-ErrorType`, `{"__type", "message"}`),
 * used by this endpoint and, through http/errors.ts, by every other route that answers one.
 */
export function errorResponse(error: AwsError, requestId: string): AwsJsonResponse {
  return {
    status: error.status,
    headers: {
      "content-type": CONTENT_TYPE,
      "x-amzn-requestid": requestId,
      "x-amzn-errortype": error.type,
    },
    body: JSON.stringify({ __type: error.type, message: error.message }),
  };
}
