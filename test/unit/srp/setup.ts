/** amazon-cognito-identity-js's SRP helpers, constants and builders the SRP unit tests share. */
import assert from "node:assert/strict";
import { createHmac, randomBytes, randomInt } from "node:crypto";
import { createRequire } from "node:module";
import { g, modPow, N, type SrpClaim } from "../../../src/crypto/srp.ts";
import { cognitoTimestamp, passwordClaimSignature } from "../../support/srp-client.ts";

// ---------------------------------------------------------------------------------------------
// amazon-cognito-identity-js, loaded as CommonJS; its AuthenticationHelper and DateHelper are
// exported at run time but not declared in its typings, so the parts used here are typed below.
// ---------------------------------------------------------------------------------------------

export interface LibBigInteger {
  toString(radix: number): string;
}
export interface LibAuthenticationHelper {
  N: LibBigInteger;
  g: LibBigInteger;
  k: LibBigInteger;
  smallAValue: LibBigInteger;
  largeAValue: LibBigInteger;
  padHex(n: LibBigInteger): string;
  calculateU(A: LibBigInteger, B: LibBigInteger): LibBigInteger;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    serverB: LibBigInteger,
    salt: LibBigInteger,
    callback: (err: unknown, key: Uint8Array) => void,
  ): void;
}
export type Callback = (err: unknown, data?: unknown) => void;
export interface LibUser {
  client: { request(operation: string, params: Record<string, unknown>, callback: Callback): void };
  authenticateUser(
    details: unknown,
    callbacks: { onSuccess(session: unknown): void; onFailure(err: unknown): void },
  ): void;
}
export interface Library {
  AuthenticationHelper: new (poolName: string) => LibAuthenticationHelper;
  DateHelper: new () => { getNowString(): string };
  AuthenticationDetails: new (data: { Username: string; Password: string }) => unknown;
  CognitoUserPool: new (data: {
    UserPoolId: string;
    ClientId: string;
    AdvancedSecurityDataCollectionFlag?: boolean;
  }) => unknown;
  CognitoUser: new (data: { Username: string; Pool: unknown }) => LibUser;
}

export const require = createRequire(import.meta.url);
export const lib = require("amazon-cognito-identity-js") as Library;
export const LibBigInt = (require("amazon-cognito-identity-js/lib/BigInteger.js") as { default: unknown })
  .default as new (hex: string, radix: number) => LibBigInteger;

export const toLib = (n: bigint) => new LibBigInt(n.toString(16), 16);
export const fromLib = (n: LibBigInteger) => BigInt(`0x${n.toString(16)}`);

export const POOL_ID = "us-east-1_AbC123xYz";
export const POOL_NAME = "AbC123xYz";
export const USERNAME = "6b2f2e4e-1d7c-4f4f-9d6b-3f1f4ad0c9a1";
export const PASSWORD = "Correct horse battery staple 1!";

/** One helper built by the library's own constructor; clones of it get a chosen secret `a`. */
export const template = new lib.AuthenticationHelper(POOL_NAME);

export function libraryHelper(a: bigint): LibAuthenticationHelper {
  const helper = Object.create(Object.getPrototypeOf(template) as object) as LibAuthenticationHelper;
  Object.assign(helper, template, { smallAValue: toLib(a), largeAValue: toLib(modPow(g, a)) });
  return helper;
}

/** PASSWORD_CLAIM_SIGNATURE computed as CognitoUser.authenticateUserDefaultAuth does. */
export function librarySignature(p: {
  a: bigint;
  username: string;
  password: string;
  B: string;
  salt: string;
  secretBlock: string;
  timestamp: string;
}): string {
  let key: Uint8Array | undefined;
  libraryHelper(p.a).getPasswordAuthenticationKey(
    p.username,
    p.password,
    new LibBigInt(p.B, 16),
    new LibBigInt(p.salt, 16),
    (err, hkdf) => {
      assert.equal(err, null);
      key = hkdf;
    },
  );
  assert.ok(key);
  return createHmac("sha256", key)
    .update(
      Buffer.concat([
        Buffer.from(POOL_NAME, "utf8"),
        Buffer.from(p.username, "utf8"),
        Buffer.from(p.secretBlock, "base64"),
        Buffer.from(p.timestamp, "utf8"),
      ]),
    )
    .digest("base64");
}

export function bigintModPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = ((base % N) + N) % N;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % N;
    b = (b * b) % N;
  }
  return result;
}

export const randomInt256 = () => BigInt(`0x${randomBytes(32).toString("hex")}`);
export const secretBlock = () => randomBytes(randomInt(32, 1200)).toString("base64");

// The encodings whose padding differs: top bit set ("00" in front), odd number of hex digits
// ("0" in front), and a whole leading zero byte (a shorter encoding than usual).
export type Shape = "top-bit" | "odd-hex" | "short";
export const SHAPES: Shape[] = ["top-bit", "odd-hex", "short"];
export function hasShape(n: bigint, fullBits: number, shape: Shape): boolean {
  const bits = n.toString(2).length;
  if (shape === "top-bit") return bits === fullBits && bits % 8 === 0;
  if (shape === "odd-hex") return n.toString(16).length % 2 === 1;
  return bits <= fullBits - 8;
}

export function signedClaim(p: {
  password: string;
  client: { a: bigint; srpA: string };
  b: string;
  B: string;
  verifier: { salt: string; verifier: string };
  username?: string;
  timestamp?: string;
}): SrpClaim {
  const username = p.username ?? USERNAME;
  const block = secretBlock();
  const timestamp = p.timestamp ?? cognitoTimestamp(new Date());
  const signature = passwordClaimSignature({
    poolName: POOL_NAME,
    userIdForSrp: username,
    password: p.password,
    a: p.client.a,
    srpA: p.client.srpA,
    srpB: p.B,
    salt: p.verifier.salt,
    secretBlock: block,
    timestamp,
  });
  return {
    poolName: POOL_NAME,
    username,
    A: p.client.srpA,
    b: p.b,
    B: p.B,
    verifier: p.verifier.verifier,
    secretBlock: block,
    timestamp,
    signature,
  };
}
