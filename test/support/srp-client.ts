/**
 * A small client half of Cognito's SRP (USER_SRP_AUTH → PASSWORD_VERIFIER) for API tests, written
 * apart from src/crypto/srp.ts (only its OpenSSL modPow and the group constant are shared) and
 * checked against amazon-cognito-identity-js in test/unit/srp.test.ts.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { modPow, N } from "../../src/crypto/srp.ts";

/** Big-endian two's-complement bytes of a non-negative integer, as Java's toByteArray(). */
function signedBytes(n: bigint): Buffer {
  const hex = n.toString(16);
  const raw = Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
  return raw[0]! >= 0x80 ? Buffer.concat([Buffer.alloc(1), raw]) : raw;
}

function toInt(bytes: Buffer): bigint {
  return BigInt(`0x${bytes.toString("hex") || "0"}`);
}

function hash(...parts: Buffer[]): Buffer {
  return createHash("sha256").update(Buffer.concat(parts)).digest();
}

const K = toInt(hash(signedBytes(N), signedBytes(2n)));

export interface SrpClientEphemeral {
  /** The client's secret exponent. */
  a: bigint;
  /** SRP_A as amazon-cognito-identity-js sends it: bare hex, no padding. */
  srpA: string;
}

/** Draws a (128 random bytes, as amazon-cognito-identity-js does) and A = g^a mod N. */
export function startClientSrp(a: bigint = toInt(randomBytes(128))): SrpClientEphemeral {
  return { a, srpA: modPow(2n, a).toString(16) };
}

/** TIMESTAMP as the JavaScript SDKs write it: "Wed Apr 5 22:42:34 UTC 2017". */
export function cognitoTimestamp(date: Date): string {
  // toUTCString(): "Wed, 05 Apr 2017 22:42:34 GMT"
  const [weekday, day, month, year, time] = date.toUTCString().split(" ");
  return `${weekday!.replace(",", "")} ${month} ${Number(day)} ${time} UTC ${year}`;
}

export interface PasswordClaimInput {
  /** The pool id after "_". */
  poolName: string;
  userIdForSrp: string;
  password: string;
  a: bigint;
  srpA: string;
  srpB: string;
  salt: string;
  secretBlock: string;
  timestamp: string;
}

/** The 16-byte key: HKDF-SHA256 written out (extract, then one expand block). */
export function passwordAuthenticationKey(p: Omit<PasswordClaimInput, "secretBlock" | "timestamp">): Buffer {
  const A = BigInt(`0x${p.srpA}`);
  const B = BigInt(`0x${p.srpB}`);
  if (B % N === 0n) throw new Error("B mod N is 0");
  const u = toInt(hash(signedBytes(A), signedBytes(B)));
  if (u === 0n) throw new Error("u is 0");
  const inner = hash(Buffer.from(`${p.poolName}${p.userIdForSrp}:${p.password}`, "utf8"));
  const x = toInt(hash(signedBytes(BigInt(`0x${p.salt}`)), inner));
  const base = (((B - K * modPow(2n, x)) % N) + N) % N;
  const S = modPow(base, p.a + u * x);
  const prk = createHmac("sha256", signedBytes(u)).update(signedBytes(S)).digest();
  const okm = createHmac("sha256", prk)
    .update(Buffer.concat([Buffer.from("Caldera Derived Key", "utf8"), Buffer.from([1])]))
    .digest();
  return okm.subarray(0, 16);
}

/** PASSWORD_CLAIM_SIGNATURE (base64). */
export function passwordClaimSignature(p: PasswordClaimInput): string {
  const key = passwordAuthenticationKey(p);
  return createHmac("sha256", key)
    .update(
      Buffer.concat([
        Buffer.from(p.poolName, "utf8"),
        Buffer.from(p.userIdForSrp, "utf8"),
        Buffer.from(p.secretBlock, "base64"),
        Buffer.from(p.timestamp, "utf8"),
      ]),
    )
    .digest("base64");
}

/**
 * The ChallengeResponses for a PASSWORD_VERIFIER challenge, from its ChallengeParameters
 * (USER_ID_FOR_SRP, SRP_B, SALT, SECRET_BLOCK), as CognitoUser.authenticateUser builds them.
 */
export function passwordVerifierResponses(p: {
  poolId: string;
  password: string;
  client: SrpClientEphemeral;
  challengeParameters: Record<string, string>;
  now?: Date;
}): Record<string, string> {
  const cp = p.challengeParameters;
  const userIdForSrp = cp["USER_ID_FOR_SRP"]!;
  const timestamp = cognitoTimestamp(p.now ?? new Date());
  const signature = passwordClaimSignature({
    poolName: p.poolId.slice(p.poolId.indexOf("_") + 1),
    userIdForSrp,
    password: p.password,
    a: p.client.a,
    srpA: p.client.srpA,
    srpB: cp["SRP_B"]!,
    salt: cp["SALT"]!,
    secretBlock: cp["SECRET_BLOCK"]!,
    timestamp,
  });
  return {
    USERNAME: userIdForSrp,
    PASSWORD_CLAIM_SECRET_BLOCK: cp["SECRET_BLOCK"]!,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: signature,
  };
}

/**
 * What a device makes for ConfirmDevice, as amazon-cognito-identity-js `generateHashDevice` does: a
 * random salt and the verifier g^x of its own random password, x = H(salt ‖ H(groupKey ‖ deviceKey ‖
 * ":" ‖ password)); both sent base64 of their big-endian bytes.
 */
export function deviceVerifierConfig(
  groupKey: string,
  deviceKey: string,
  password: string,
): { Salt: string; PasswordVerifier: string } {
  const salt = signedBytes(toInt(randomBytes(16)));
  const inner = hash(Buffer.from(`${groupKey}${deviceKey}:${password}`, "utf8"));
  const x = toInt(hash(salt, inner));
  return {
    Salt: salt.toString("base64"),
    PasswordVerifier: signedBytes(modPow(2n, x)).toString("base64"),
  };
}

/**
 * The ChallengeResponses for DEVICE_PASSWORD_VERIFIER, from its ChallengeParameters (SRP_B, SALT,
 * SECRET_BLOCK), as CognitoUser.getDeviceResponse builds them: the realm is the device group key,
 * the identity the device key.
 */
export function devicePasswordVerifierResponses(p: {
  username: string;
  groupKey: string;
  deviceKey: string;
  password: string;
  client: SrpClientEphemeral;
  challengeParameters: Record<string, string>;
  now?: Date;
}): Record<string, string> {
  const cp = p.challengeParameters;
  const timestamp = cognitoTimestamp(p.now ?? new Date());
  const signature = passwordClaimSignature({
    poolName: p.groupKey,
    userIdForSrp: p.deviceKey,
    password: p.password,
    a: p.client.a,
    srpA: p.client.srpA,
    srpB: cp["SRP_B"]!,
    salt: cp["SALT"]!,
    secretBlock: cp["SECRET_BLOCK"]!,
    timestamp,
  });
  return {
    USERNAME: p.username,
    DEVICE_KEY: p.deviceKey,
    PASSWORD_CLAIM_SECRET_BLOCK: cp["SECRET_BLOCK"]!,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: signature,
  };
}
