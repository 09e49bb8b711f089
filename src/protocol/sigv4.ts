/**
 * AWS Signature Version 4 verification for requests signed in the `Authorization` header,
 * which is how the AWS SDKs and the AWS CLI sign `cognito-idp` calls.
 *
 * The checks run in the order AWS's JSON-protocol services apply them, and every refusal is an
 * AwsError carrying the exception name, HTTP status and message text those services answer with,
 * so SDK error handling (including clock-skew correction on "Signature expired") works unchanged.
 *
 * Secrets never appear in error messages. Derived signing keys are cached per
 * (secret, date, region, service) in a small bounded map, so a steady stream of requests costs one
 * SHA-256 of the canonical request and one HMAC each (plus a SHA-256 of the body when it has to be
 * checked against `x-amz-content-sha256`, or when the signature is verified).
 */
import { createHmac, createSecretKey, hash, type KeyObject, timingSafeEqual } from "node:crypto";
import { AwsError } from "../errors.ts";

export interface SignedRequest {
  method: string;
  /** The raw request path as received, e.g. "/". */
  path: string;
  /** The raw query string without the leading "?", may be "". */
  query: string;
  /**
   * Header values keyed by lower-cased name, as Node's IncomingMessage gives them. String values are
   * taken as Node decodes them (one character per byte), so non-ASCII header bytes hash as sent.
   */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer | string;
}

export interface CredentialStore {
  /** The secret for a key id, or undefined when unknown. */
  secretFor(accessKeyId: string): string | undefined;
  /**
   * True when no credentials are configured: any well-formed, self-consistent signature is
   * accepted. Its signature is not checked for key ids whose secret is unknown.
   */
  readonly acceptAnyKey: boolean;
}

export interface VerifiedCaller {
  accessKeyId: string;
  region: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const TERMINATOR = "aws4_request";
const DEFAULT_SERVICE = "cognito-idp";
const MAX_SKEW_MS = 15 * 60 * 1000;
const STATUS = 400;

const MISSING_TOKEN = "MissingAuthenticationTokenException";
const INCOMPLETE = "IncompleteSignatureException";
const INVALID = "InvalidSignatureException";
const UNRECOGNIZED = "UnrecognizedClientException";

const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. " +
  "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/**
 * Verifies the SigV4 signature of `req` and returns who signed it, or throws the AwsError AWS would
 * answer with. `now` is the server's clock; requests more than 15 minutes away from it are refused.
 */
export function verifySigV4(
  req: SignedRequest,
  store: CredentialStore,
  now: Date,
  service: string = DEFAULT_SERVICE,
): VerifiedCaller {
  const headers = req.headers;
  const authorization = headerValue(headers, "authorization");
  if (authorization === undefined || !startsWithAws4(authorization)) {
    throw new AwsError(MISSING_TOKEN, STATUS, "Request is missing Authentication Token");
  }

  const auth = parseAuthorization(authorization);
  const xAmzDate = headerValue(headers, "x-amz-date");
  const rawDate = xAmzDate ?? headerValue(headers, "date");

  if (auth.credential === "" || auth.signature === "" || auth.signedHeaders === "" || !rawDate) {
    let message = "";
    if (auth.credential === "") message += "Authorization header requires 'Credential' parameter. ";
    if (auth.signature === "") message += "Authorization header requires 'Signature' parameter. ";
    if (auth.signedHeaders === "") message += "Authorization header requires 'SignedHeaders' parameter. ";
    if (!rawDate) {
      message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    }
    throw new AwsError(INCOMPLETE, STATUS, message + "Authorization=" + authorization);
  }

  const signedNames = auth.signedHeaders.split(";");
  let hostSigned = false;
  let contentHashSigned = false;
  for (let i = 0; i < signedNames.length; i++) {
    const name = signedNames[i].toLowerCase();
    signedNames[i] = name;
    if (name === "host" || name === ":authority") hostSigned = true;
    else if (name === "x-amz-content-sha256") contentHashSigned = true;
  }
  if (!hostSigned) {
    throw new AwsError(
      INVALID,
      STATUS,
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  checkAmzHeadersSigned(headers, signedNames);

  const requestTime = parseRequestDate(rawDate, xAmzDate !== undefined);
  if (Number.isNaN(requestTime)) {
    throw new AwsError(
      INCOMPLETE,
      STATUS,
      "Date must be in ISO-8601 'basic format'. Got '" +
        rawDate +
        "'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
  }
  const amzDate = xAmzDate !== undefined ? rawDate : formatBasic(requestTime);
  checkClockSkew(requestTime, now);

  const scope = parseCredential(auth.credential);
  const scopeProblems = describeScopeProblems(scope, service, amzDate);
  if (scopeProblems !== "") throw new AwsError(INVALID, STATUS, scopeProblems);

  if (scope.accessKeyId === "") throw unrecognizedClient();
  const secret = store.secretFor(scope.accessKeyId);
  if (secret === undefined && !store.acceptAnyKey) throw unrecognizedClient();

  const provided = parseHexSignature(auth.signature);
  if (provided === undefined) throw signatureMismatch();

  let payloadHash: string | undefined;
  if (contentHashSigned) {
    const declared = headerValue(headers, "x-amz-content-sha256");
    if (declared !== undefined) {
      payloadHash = hash("sha256", req.body, "hex");
      if (declared.trim().toLowerCase() !== payloadHash) throw signatureMismatch();
    }
  }

  if (secret !== undefined) {
    if (payloadHash === undefined) payloadHash = hash("sha256", req.body, "hex");
    const canonicalRequest = buildCanonicalRequest(req, signedNames, auth.signedHeaders, payloadHash);
    const credentialScope = scope.date + "/" + scope.region + "/" + scope.service + "/" + TERMINATOR;
    const stringToSign =
      ALGORITHM + "\n" + amzDate + "\n" + credentialScope + "\n" + hashCanonicalRequest(canonicalRequest);
    const expected = createHmac("sha256", signingKey(secret, scope.date, scope.region, scope.service))
      .update(stringToSign)
      .digest();
    if (!timingSafeEqual(expected, provided)) throw signatureMismatch();
  }

  return { accessKeyId: scope.accessKeyId, region: scope.region };
}

/**
 * Every `x-amz-*` header the request carries must be signed, `X-Amz-Target` first of all: it names
 * the operation, so an unsigned one would let a captured signature run another operation. The AWS
 * SDKs, botocore and the CLI sign every `x-amz-*` header they send.
 */
function checkAmzHeadersSigned(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  signedNames: readonly string[],
): void {
  if (headers["x-amz-target"] !== undefined && !signedNames.includes("x-amz-target")) {
    throw new AwsError(INVALID, STATUS, "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const unsigned: string[] = [];
  for (const name of Object.keys(headers)) {
    if (name.startsWith("x-amz-") && headers[name] !== undefined && !signedNames.includes(name)) {
      unsigned.push(name);
    }
  }
  if (unsigned.length > 0) {
    throw new AwsError(
      INVALID,
      STATUS,
      "There were headers present in the request which were not signed: " + unsigned.sort().join(", "),
    );
  }
}

/** A store over a fixed list of key pairs; with an empty list, any well-formed signature is accepted. */
export function staticCredentialStore(
  keys: ReadonlyArray<{ accessKeyId: string; secretAccessKey: string }>,
): CredentialStore {
  const secrets = new Map<string, string>();
  for (const key of keys) secrets.set(key.accessKeyId, key.secretAccessKey);
  return {
    acceptAnyKey: keys.length === 0,
    secretFor: (accessKeyId) => secrets.get(accessKeyId),
  };
}

function unrecognizedClient(): AwsError {
  return new AwsError(UNRECOGNIZED, STATUS, "The security token included in the request is invalid.");
}

function signatureMismatch(): AwsError {
  return new AwsError(INVALID, STATUS, SIGNATURE_MISMATCH);
}

function headerValue(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined {
  const value = headers[name];
  if (value === undefined || typeof value === "string") return value;
  return value.join(",");
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function startsWithAws4(value: string): boolean {
  let i = 0;
  while (i < value.length && isSpace(value.charCodeAt(i))) i++;
  return value.startsWith("AWS4-", i);
}

interface AuthorizationParts {
  credential: string;
  signedHeaders: string;
  signature: string;
}

/**
 * Splits `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` into its parts.
 * Parameters may be separated by commas, whitespace or both, as the various SDKs send them.
 */
function parseAuthorization(authorization: string): AuthorizationParts {
  const length = authorization.length;
  let i = 0;
  while (i < length && isSpace(authorization.charCodeAt(i))) i++;
  let start = i;
  while (i < length && !isSeparator(authorization.charCodeAt(i))) i++;
  const algorithm = authorization.slice(start, i);
  if (algorithm !== ALGORITHM) {
    throw new AwsError(INCOMPLETE, STATUS, "Unsupported AWS 'algorithm': '" + algorithm + "'.");
  }

  const parts: AuthorizationParts = { credential: "", signedHeaders: "", signature: "" };
  for (;;) {
    while (i < length && isSeparator(authorization.charCodeAt(i))) i++;
    if (i >= length) break;
    start = i;
    while (i < length && !isSeparator(authorization.charCodeAt(i))) i++;
    const equals = authorization.indexOf("=", start);
    if (equals === -1 || equals >= i) {
      throw new AwsError(
        INCOMPLETE,
        STATUS,
        "'" +
          authorization.slice(start, i) +
          "' not a valid key=value pair (missing equal-sign) in Authorization header: '" +
          authorization +
          "'.",
      );
    }
    const key = authorization.slice(start, equals);
    const value = authorization.slice(equals + 1, i);
    if (key === "Credential") parts.credential = value;
    else if (key === "SignedHeaders") parts.signedHeaders = value;
    else if (key === "Signature") parts.signature = value;
  }
  return parts;
}

function isSeparator(code: number): boolean {
  return code === 0x2c || isSpace(code);
}

/** Milliseconds since the epoch, or NaN when the value is not a date AWS accepts. */
function parseRequestDate(value: string, fromAmzHeader: boolean): number {
  const basic = parseBasicFormat(value);
  if (!Number.isNaN(basic) || fromAmzHeader) return basic;
  // A plain `Date` header may carry an RFC 7231 HTTP-date instead.
  if (!value.endsWith(" GMT")) return Number.NaN;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? parsed : parsed - (parsed % 1000);
}

/** Parses `YYYYMMDD'T'HHMMSS'Z'`. */
function parseBasicFormat(value: string): number {
  if (value.length !== 16 || value.charCodeAt(8) !== 0x54 || value.charCodeAt(15) !== 0x5a) return Number.NaN;
  const year = digits(value, 0, 4);
  const month = digits(value, 4, 6);
  const day = digits(value, 6, 8);
  const hour = digits(value, 9, 11);
  const minute = digits(value, 11, 13);
  const second = digits(value, 13, 15);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return Number.NaN;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls an out-of-range day over into the next month; such a date is not valid.
  if (new Date(time).getUTCDate() !== day) return Number.NaN;
  return time;
}

function digits(value: string, from: number, to: number): number {
  let result = 0;
  for (let i = from; i < to; i++) {
    const digit = value.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    result = result * 10 + digit;
  }
  return result;
}

function formatBasic(time: number): string {
  const date = new Date(time);
  return (
    pad(date.getUTCFullYear(), 4) +
    pad(date.getUTCMonth() + 1, 2) +
    pad(date.getUTCDate(), 2) +
    "T" +
    pad(date.getUTCHours(), 2) +
    pad(date.getUTCMinutes(), 2) +
    pad(date.getUTCSeconds(), 2) +
    "Z"
  );
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function checkClockSkew(requestTime: number, now: Date): void {
  const serverTime = Math.floor(now.getTime() / 1000) * 1000;
  const earliest = serverTime - MAX_SKEW_MS;
  const latest = serverTime + MAX_SKEW_MS;
  if (requestTime < earliest) {
    throw new AwsError(
      INVALID,
      STATUS,
      "Signature expired: " +
        formatBasic(requestTime) +
        " is now earlier than " +
        formatBasic(earliest) +
        " (" +
        formatBasic(serverTime) +
        " - 15 min.)",
    );
  }
  if (requestTime > latest) {
    throw new AwsError(
      INVALID,
      STATUS,
      "Signature not yet current: " +
        formatBasic(requestTime) +
        " is still later than " +
        formatBasic(latest) +
        " (" +
        formatBasic(serverTime) +
        " + 15 min.)",
    );
  }
}

interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
}

function parseCredential(credential: string): CredentialScope {
  let end = credential.length;
  while (end > 0 && credential.charCodeAt(end - 1) === 0x2f) end--;
  const elements = credential.slice(0, end).split("/");
  if (elements.length !== 5) {
    throw new AwsError(
      INCOMPLETE,
      STATUS,
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" +
        credential +
        "'",
    );
  }
  return {
    accessKeyId: elements[0],
    date: elements[1],
    region: elements[2],
    service: elements[3],
    terminator: elements[4],
  };
}

/** AWS lists every scope problem at once, separated by spaces; "" when the scope is fine. */
function describeScopeProblems(scope: CredentialScope, service: string, amzDate: string): string {
  let problems = "";
  if (scope.region === "") {
    problems = "Credential should be scoped to a valid region.";
  } else if (!isValidRegion(scope.region)) {
    problems = "Credential should be scoped to a valid region, not '" + scope.region + "'.";
  }
  if (scope.service !== service) {
    problems = joinProblem(problems, "Credential should be scoped to correct service: '" + service + "'.");
  }
  if (scope.terminator !== TERMINATOR) {
    problems = joinProblem(
      problems,
      "Credential should be scoped with a valid terminator: '" +
        TERMINATOR +
        "', not '" +
        scope.terminator +
        "'.",
    );
  }
  const requestDay = amzDate.slice(0, 8);
  if (scope.date !== requestDay) {
    problems = joinProblem(
      problems,
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
        scope.date +
        "' != '" +
        requestDay +
        "', from '" +
        amzDate +
        "'.",
    );
  }
  return problems;
}

function joinProblem(problems: string, problem: string): string {
  return problems === "" ? problem : problems + " " + problem;
}

/** Region names are lower-case letters, digits and hyphens ("us-east-1", "local"). */
function isValidRegion(region: string): boolean {
  for (let i = 0; i < region.length; i++) {
    const code = region.charCodeAt(i);
    const ok = (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2d;
    if (!ok) return false;
  }
  return true;
}

/** The 32 signature bytes, or undefined when the value is not 64 hex digits. */
function parseHexSignature(signature: string): Buffer | undefined {
  if (signature.length !== 64) return undefined;
  for (let i = 0; i < 64; i++) {
    const code = signature.charCodeAt(i);
    const hex =
      (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66) || (code >= 0x41 && code <= 0x46);
    if (!hex) return undefined;
  }
  return Buffer.from(signature, "hex");
}

function buildCanonicalRequest(
  req: SignedRequest,
  signedNames: readonly string[],
  signedHeaders: string,
  payloadHash: string,
): string {
  let canonical =
    req.method.toUpperCase() + "\n" + canonicalUri(req.path) + "\n" + canonicalQuery(req.query) + "\n";
  for (const name of signedNames) {
    let value = headerValue(req.headers, name);
    if (value === undefined && name === "host") value = headerValue(req.headers, ":authority");
    canonical += name + ":" + (value === undefined ? "" : trimAll(value)) + "\n";
  }
  return canonical + "\n" + signedHeaders + "\n" + payloadHash;
}

/**
 * Hex SHA-256 of the canonical request. Header values arrive as Node decodes them, one character
 * per byte, so they are hashed back as those bytes; anything wider is hashed as UTF-8.
 */
function hashCanonicalRequest(canonical: string): string {
  let wide = false;
  let high = false;
  for (let i = 0; i < canonical.length; i++) {
    const code = canonical.charCodeAt(i);
    if (code > 0x7f) {
      high = true;
      if (code > 0xff) {
        wide = true;
        break;
      }
    }
  }
  if (high && !wide) return hash("sha256", Buffer.from(canonical, "latin1"), "hex");
  return hash("sha256", canonical, "hex");
}

/**
 * Trims the value and collapses each run of spaces and tabs into one space. Only ASCII whitespace
 * counts: values are byte strings here, and bytes such as 0xA0 belong to multi-byte characters.
 */
function trimAll(value: string): string {
  let previousSpace = true;
  let clean = true;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x20) {
      if (previousSpace) {
        clean = false;
        break;
      }
      previousSpace = true;
    } else if (isSpace(code) || code === 0x0b || code === 0x0c) {
      clean = false;
      break;
    } else {
      previousSpace = false;
    }
  }
  if (clean && !(value.length > 0 && previousSpace)) return value;

  let result = "";
  let pendingSpace = false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (isSpace(code) || code === 0x0b || code === 0x0c) {
      pendingSpace = result !== "";
    } else {
      if (pendingSpace) result += " ";
      pendingSpace = false;
      result += value[i];
    }
  }
  return result;
}

/** Normalizes the raw path (dot segments, empty segments) and URI-encodes it once more, as signers do. */
function canonicalUri(path: string): string {
  if (path === "/" || path === "") return "/";
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(uriEncode(segment));
  }
  let result = path.startsWith("/") ? "/" : "";
  result += segments.join("/");
  if (segments.length > 0 && path.endsWith("/")) result += "/";
  return result;
}

function canonicalQuery(query: string): string {
  if (query === "") return "";
  const pairs: Array<[string, string]> = [];
  for (const piece of query.split("&")) {
    if (piece === "") continue;
    const equals = piece.indexOf("=");
    const key = equals === -1 ? piece : piece.slice(0, equals);
    const value = equals === -1 ? "" : piece.slice(equals + 1);
    pairs.push([uriEncode(decodeComponent(key)), uriEncode(decodeComponent(value))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let result = "";
  for (let i = 0; i < pairs.length; i++) {
    if (i > 0) result += "&";
    result += pairs[i][0] + "=" + pairs[i][1];
  }
  return result;
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** AWS URI encoding: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded (UTF-8, upper-case hex). */
function uriEncode(value: string): string {
  let plain = true;
  for (let i = 0; i < value.length; i++) {
    if (!isUnreserved(value.charCodeAt(i))) {
      plain = false;
      break;
    }
  }
  if (plain) return value;
  const bytes = Buffer.from(value, "utf8");
  let result = "";
  for (const byte of bytes) {
    result += isUnreserved(byte) ? String.fromCharCode(byte) : "%" + HEX[byte >> 4] + HEX[byte & 15];
  }
  return result;
}

const HEX = "0123456789ABCDEF";

function isUnreserved(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2d ||
    code === 0x5f ||
    code === 0x2e ||
    code === 0x7e
  );
}

const SIGNING_KEY_CACHE_SIZE = 256;
const signingKeys = new Map<string, KeyObject>();

/**
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"), cached
 * as a KeyObject: HMAC with a prepared KeyObject costs a fraction of HMAC with a raw Buffer key.
 */
function signingKey(secret: string, date: string, region: string, service: string): KeyObject {
  // The secret goes last: the other parts contain no "/", so the key is unambiguous.
  const cacheKey = date + "/" + region + "/" + service + "/" + secret;
  let key = signingKeys.get(cacheKey);
  if (key !== undefined) return key;
  const kDate = createHmac("sha256", "AWS4" + secret)
    .update(date)
    .digest();
  const kRegion = createHmac("sha256", kDate).update(region).digest();
  const kService = createHmac("sha256", kRegion).update(service).digest();
  key = createSecretKey(createHmac("sha256", kService).update(TERMINATOR).digest());
  if (signingKeys.size >= SIGNING_KEY_CACHE_SIZE) {
    const oldest = signingKeys.keys().next();
    if (!oldest.done) signingKeys.delete(oldest.value);
  }
  signingKeys.set(cacheKey, key);
  return key;
}
