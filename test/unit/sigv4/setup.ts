/** Credentials, a signed request and the checks the SigV4 verification tests share. */
import assert from "node:assert/strict";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { AwsError } from "../../../src/errors.ts";
import { type SignedRequest, staticCredentialStore } from "../../../src/protocol/sigv4.ts";

export const ACCESS_KEY_ID = "AKIDLANYARDEXAMPLE";
export const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
export const store = staticCredentialStore([{ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }]);
export const openStore = staticCredentialStore([]);

export const SIGNED_AT = new Date("2026-11-22T10:30:00Z");
export const TARGET = "AWSCognitoIdentityProviderService.AdminGetUser";
export const BODY = JSON.stringify({ UserPoolId: "us-east-1_Example", Username: "alice" });

export const MISMATCH =
  "The request signature we calculated does not match the signature you provided. " +
  "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

export interface SignOptions {
  body?: string;
  date?: Date;
  region?: string;
  service?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  headers?: Record<string, string>;
  /** false: sign without adding an x-amz-content-sha256 header. */
  applyChecksum?: boolean;
  /** Headers sent but left out of SignedHeaders. */
  unsigned?: string[];
}

/** Signs a cognito-idp request with the AWS SDK's own signer and returns it as the server sees it. */
export async function signWithSdk(options: SignOptions = {}): Promise<SignedRequest> {
  const body = options.body ?? BODY;
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: options.accessKeyId ?? ACCESS_KEY_ID,
      secretAccessKey: options.secretAccessKey ?? SECRET,
      sessionToken: options.sessionToken,
    },
    region: options.region ?? "us-east-1",
    service: options.service ?? "cognito-idp",
    sha256: Sha256,
    applyChecksum: options.applyChecksum,
  });
  const signed = await signer.sign(
    {
      method: "POST",
      protocol: "http:",
      hostname: "localhost",
      port: 9229,
      path: "/",
      query: {},
      headers: {
        host: "localhost:9229",
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": TARGET,
        ...options.headers,
      },
      body,
    },
    { signingDate: options.date ?? SIGNED_AT, unsignableHeaders: new Set(options.unsigned ?? []) },
  );
  return { method: "POST", path: "/", query: "", headers: lowerCaseKeys(signed.headers), body };
}

export function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
  return result;
}

export function minutes(date: Date, delta: number): Date {
  return new Date(date.getTime() + delta * 60_000);
}

export function withHeaders(req: SignedRequest, changes: Record<string, string | undefined>): SignedRequest {
  return { ...req, headers: { ...req.headers, ...changes } };
}

export function authorization(req: SignedRequest): string {
  const value = req.headers.authorization;
  assert.equal(typeof value, "string");
  return value as string;
}

export function refusal(type: string, message: string | RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${String(error)}`);
    assert.equal(error.type, type);
    assert.equal(error.status, 400);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    assert.ok(!error.message.includes(SECRET), "the secret must never appear in a message");
    return true;
  };
}
