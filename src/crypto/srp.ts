/**
 * The server half of Cognito's SRP-6a (USER_SRP_AUTH → PASSWORD_VERIFIER), computed exactly as
 * Cognito's clients (amazon-cognito-identity-js, Amplify, the .NET/Java/Android SDKs, pycognito)
 * compute the client half.
 *
 * Cognito's conventions, which differ from RFC 5054 in places:
 * - Group: the 3072-bit prime of RFC 3526 group 15 (RFC 5054's 3072-bit group), g = 2.
 * - Every big integer is hashed in its minimal two's-complement big-endian form (`padHex` in the
 *   clients, Java's `BigInteger.toByteArray()`): no padding to the length of N, but a 0x00 byte
 *   in front when the top bit is set. So k = H(00‖N ‖ 02), not H(N ‖ PAD(g)).
 * - x = H(salt ‖ H(poolName ‖ username ‖ ":" ‖ password)), poolName being the pool id after "_"
 *   and username the user's USER_ID_FOR_SRP. Clients parse SALT as an integer before encoding it.
 * - u = H(A ‖ B); the session key is HKDF-SHA256(ikm = S, salt = u, info = "Caldera Derived Key"),
 *   16 bytes; the proof is base64 HMAC-SHA256(key, poolName ‖ username ‖ secretBlock ‖ timestamp).
 * - Integers travel as bare hex (`BigInteger.toString(16)`): SRP_A, SRP_B and SALT have no fixed
 *   length, may be odd-length, and are parsed as integers by every client.
 * - A remembered device (DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER) runs the same protocol against
 *   the verifier it sent to ConfirmDevice, made from a random password of its own: there the realm
 *   in place of the pool name is the DeviceGroupKey, and the identity in place of the username is
 *   the DeviceKey (amazon-cognito-identity-js `generateHashDevice` and `getDeviceResponse`).
 *
 * Modular exponentiation runs in OpenSSL (see `modPow`), not in JavaScript.
 */
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import { powOfGOffThread } from "./modexp.ts";

/** RFC 3526 group 15 (3072-bit MODP), the group of RFC 5054's 3072-bit SRP parameters. */
export const N = BigInt(
  "0x" +
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
export const g = 2n;
/** Bytes of N (3072 bits). */
const N_BYTES = 384;

const INFO = Buffer.from("Caldera Derived Key", "utf8");
const KEY_BYTES = 16;
const SALT_BYTES = 16;
/** Secret exponent size: 256 bits, the 128-bit security level of the 3072-bit group. */
const SECRET_BYTES = 32;
/** SRP_A longer than this many hex digits is refused before any arithmetic (N has 768). */
const MAX_A_HEX_DIGITS = 1024;
const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Cognito's `padHex`: even-length hex of a non-negative integer, with "00" in front when the top
 * bit is set (the minimal two's-complement form, which is also DER's INTEGER content).
 */
export function padHex(n: bigint): string {
  if (n < 0n) throw new RangeError("padHex takes a non-negative integer");
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = "0" + hex;
  return /^[89a-f]/.test(hex) ? "00" + hex : hex;
}

function padBytes(n: bigint): Buffer {
  return Buffer.from(padHex(n), "hex");
}

function hexToBigInt(hex: string): bigint {
  if (!HEX.test(hex)) throw new RangeError("not a hex string");
  return BigInt("0x" + hex);
}

function bytesToBigInt(b: Buffer): bigint {
  return b.length === 0 ? 0n : BigInt("0x" + b.toString("hex"));
}

function sha256(...parts: Buffer[]): Buffer {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
}

/** k = H(PAD(N) ‖ PAD(g)) with Cognito's padding: H(00 ‖ N ‖ 02). */
export const k = bytesToBigInt(sha256(padBytes(N), padBytes(g)));

// ---------------------------------------------------------------------------------------------
// Modular exponentiation in OpenSSL.
//
// crypto.createDiffieHellman(N, 2) would do (setPrivateKey + generateKeys / computeSecret), but
// constructing it runs OpenSSL's DH_check, a primality test of N and (N-1)/2 that takes about
// 1.8 s for this prime. getDiffieHellman("modp15") is free but will not take a chosen exponent.
// Instead each exponentiation imports a PKCS#8 DH private key whose group is (p = N, g = base)
// and whose private value is the exponent: OpenSSL derives the public value base^exponent mod N
// (constant-time in the exponent) while decoding, without checking the parameters. About 1 ms.
// ---------------------------------------------------------------------------------------------

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const derInteger = (n: bigint): Buffer => der(0x02, padBytes(n));
const derSequence = (...content: Buffer[]): Buffer => der(0x30, ...content);
/** OID 1.2.840.113549.1.3.1, PKCS #3 dhKeyAgreement. */
const DH_KEY_AGREEMENT = Buffer.from("06092a864886f70d010301", "hex");
const DER_VERSION_0 = derInteger(0n);
const DER_N = derInteger(N);

/** Reads the tag-length header at `at`; returns where the content starts and ends. */
function derRead(buf: Buffer, at: number, tag: number): { start: number; end: number } {
  if (buf[at] !== tag) throw new Error(`unexpected DER tag ${buf[at]} (expected ${tag})`);
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + buf[start + i]!;
    start += count;
  }
  return { start, end: start + len };
}

/** The public value of a DH SubjectPublicKeyInfo: SEQUENCE { algorithm, BIT STRING { INTEGER } }. */
function dhPublicValue(spki: Buffer): bigint {
  const outer = derRead(spki, 0, 0x30);
  const algorithm = derRead(spki, outer.start, 0x30);
  const bits = derRead(spki, algorithm.end, 0x03);
  const value = derRead(spki, bits.start + 1, 0x02);
  return bytesToBigInt(spki.subarray(value.start, value.end));
}

/** base^exponent mod N, computed by OpenSSL. */
export function modPow(base: bigint, exponent: bigint): bigint {
  if (exponent < 0n) throw new RangeError("negative exponent");
  const b = ((base % N) + N) % N;
  if (exponent === 0n) return 1n;
  if (b <= 1n) return b;
  const pkcs8 = derSequence(
    DER_VERSION_0,
    derSequence(DH_KEY_AGREEMENT, derSequence(DER_N, derInteger(b))),
    der(0x04, derInteger(exponent)),
  );
  const key = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  return dhPublicValue(createPublicKey(key).export({ type: "spki", format: "der" }));
}

// ---------------------------------------------------------------------------------------------
// The protocol.
// ---------------------------------------------------------------------------------------------

export interface SrpVerifier {
  /** Bare lower-case hex of the salt integer, as Cognito sends SALT. */
  salt: string;
  /** Bare lower-case hex of v = g^x mod N. */
  verifier: string;
}

function computeX(saltHex: string, poolName: string, username: string, password: string): bigint {
  const inner = sha256(Buffer.from(`${poolName}${username}:${password}`, "utf8"));
  return bytesToBigInt(sha256(padBytes(hexToBigInt(saltHex)), inner));
}

/**
 * A fresh verifier for a password. `poolName` is the pool id after "_"; `username` is the user's
 * USER_ID_FOR_SRP (the pool-internal username), which the verifier is bound to.
 */
export function makeVerifier(poolName: string, username: string, password: string): SrpVerifier {
  const { salt, x } = newVerifierExponent(poolName, username, password);
  return { salt, verifier: modPow(g, x).toString(16) };
}

/** A fresh salt, and the exponent x of the verifier g^x it gives the password. */
function newVerifierExponent(
  poolName: string,
  username: string,
  password: string,
): { salt: string; x: bigint } {
  const salt = bytesToBigInt(randomBytes(SALT_BYTES)).toString(16);
  return { salt, x: computeX(salt, poolName, username, password) };
}

/**
 * makeVerifier, its exponentiation on the worker thread of modexp.ts when one is ready (under a
 * stream of password writes), else on this thread. The same verifier either way.
 */
export async function makeVerifierOffThread(
  poolName: string,
  username: string,
  password: string,
): Promise<SrpVerifier> {
  const { salt, x } = newVerifierExponent(poolName, username, password);
  const v = (await powOfGOffThread(x)) ?? modPow(g, x);
  return { salt, verifier: v.toString(16) };
}

/**
 * A verifier for a user who does not exist, stable per (pool, username) and indistinguishable in
 * form from a real one: the salt, and B computed from it by `startSrp`, look like a real user's.
 * Used to answer USER_SRP_AUTH for unknown users when PreventUserExistenceErrors is ENABLED.
 * Pass the username as it would be stored (after any case folding the pool applies).
 *
 * The verifier is a pseudo-random element of the group, derived without an exponentiation: a real
 * user's stored verifier costs nothing to read, so the fake one must cost (next to) nothing to make,
 * or the time of the answer would tell the two apart. The client never sees v, only B = k·v + g^b.
 */
export function fakeVerifier(poolId: string, username: string, serverSecret: Buffer): SrpVerifier {
  const derive = (label: string, bytes: number) =>
    Buffer.from(
      hkdfSync(
        "sha256",
        serverSecret,
        Buffer.alloc(0),
        `lanyard-srp-${label}\0${poolId}\0${username}`,
        bytes,
      ),
    );
  const salt = bytesToBigInt(derive("salt", SALT_BYTES)).toString(16);
  // 64 bits more than N, so that reducing mod N leaves no visible bias.
  const v = bytesToBigInt(derive("verifier", N_BYTES + 8)) % N;
  return { salt, verifier: (v === 0n ? 1n : v).toString(16) };
}

/**
 * A device's verifier as ConfirmDevice's DeviceSecretVerifierConfig carries it: Salt and
 * PasswordVerifier are base64 of big-endian integers (the client's padHex bytes). Undefined when it
 * cannot be used: not base64, empty, or a verifier outside [2, N-1].
 */
export function verifierFromBase64(salt: string, passwordVerifier: string): SrpVerifier | undefined {
  if (!BASE64.test(salt) || !BASE64.test(passwordVerifier)) return undefined;
  const s = Buffer.from(salt, "base64");
  const v = bytesToBigInt(Buffer.from(passwordVerifier, "base64"));
  if (s.length === 0 || v < 2n || v >= N) return undefined;
  return { salt: bytesToBigInt(s).toString(16), verifier: v.toString(16) };
}

export interface SrpServerStart {
  /** The secret exponent (hex); kept server-side with the auth session, never sent. */
  b: string;
  /** SRP_B: B = (k·v + g^b) mod N, bare hex. */
  B: string;
}

/** Draws the server's ephemeral pair for a PASSWORD_VERIFIER challenge. */
export function startSrp(verifierHex: string): SrpServerStart {
  const v = hexToBigInt(verifierHex);
  for (;;) {
    const b = bytesToBigInt(randomBytes(SECRET_BYTES));
    if (b === 0n) continue;
    const B = (k * v + modPow(g, b)) % N;
    if (B !== 0n) return { b: b.toString(16), B: B.toString(16) };
  }
}

/** SRP_A as a client sends it, or undefined when it is not acceptable (not hex, too long, A mod N = 0). */
function parseSrpA(hex: string): bigint | undefined {
  if (hex.length > MAX_A_HEX_DIGITS || !HEX.test(hex)) return undefined;
  const A = BigInt("0x" + hex);
  return A % N === 0n ? undefined : A;
}

/** Whether an SRP_A parameter is usable: hex, at most 1024 digits, and A mod N ≠ 0. */
export function isValidSrpA(hex: string): boolean {
  return parseSrpA(hex) !== undefined;
}

export interface SrpClaim {
  /** The realm: the pool id after "_" (a password), or the DeviceGroupKey (a device). */
  poolName: string;
  /** The identity: USER_ID_FOR_SRP (the USERNAME challenge response), or the DeviceKey. */
  username: string;
  /** SRP_A from InitiateAuth. */
  A: string;
  /** From `startSrp`. */
  b: string;
  B: string;
  /** The stored verifier (hex): the user's, or the device's. */
  verifier: string;
  /** PASSWORD_CLAIM_SECRET_BLOCK (base64), as the client sent it. */
  secretBlock: string;
  /** TIMESTAMP, as the client sent it; check it separately with `checkTimestamp`. */
  timestamp: string;
  /** PASSWORD_CLAIM_SIGNATURE (base64). */
  signature: string;
}

/** The 16-byte key both sides derive: HKDF(S, salt = u, "Caldera Derived Key"). */
function sessionKey(c: Pick<SrpClaim, "A" | "b" | "B" | "verifier">): Buffer | undefined {
  const A = parseSrpA(c.A);
  if (A === undefined) return undefined;
  const B = hexToBigInt(c.B);
  const u = bytesToBigInt(sha256(padBytes(A), padBytes(B)));
  if (u === 0n) return undefined;
  const v = hexToBigInt(c.verifier);
  const S = modPow((A % N) * modPow(v, u), hexToBigInt(c.b));
  return Buffer.from(hkdfSync("sha256", padBytes(S), padBytes(u), INFO, KEY_BYTES));
}

/**
 * Checks PASSWORD_CLAIM_SIGNATURE. False for a wrong password, a bad or tampered input, or an
 * unusable A. The caller must also check that the secret block is the one it issued.
 */
export function verifySrpClaim(c: SrpClaim): boolean {
  if (!BASE64.test(c.signature) || !BASE64.test(c.secretBlock)) return false;
  const given = Buffer.from(c.signature, "base64");
  if (given.length !== 32) return false;
  const key = sessionKey(c);
  if (!key) return false;
  const expected = createHmac("sha256", key)
    .update(Buffer.from(c.poolName, "utf8"))
    .update(Buffer.from(c.username, "utf8"))
    .update(Buffer.from(c.secretBlock, "base64"))
    .update(Buffer.from(c.timestamp, "utf8"))
    .digest();
  return timingSafeEqual(given, expected);
}

// ---------------------------------------------------------------------------------------------
// TIMESTAMP: Java's "EEE MMM d HH:mm:ss z yyyy" in English and UTC, as in
// "Tue Sep 25 00:09:40 UTC 2018" and "Wed Apr 5 22:42:34 UTC 2017": the day of the month is not
// zero-padded; hours, minutes and seconds are.
// ---------------------------------------------------------------------------------------------

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const TIMESTAMP =
  /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) (\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2}) ([A-Za-z]+) (\d{4})$/;

/** How far TIMESTAMP may be from the server's clock. */
export const TIMESTAMP_TOLERANCE_MS = 15 * 60 * 1000;

const two = (n: number) => String(n).padStart(2, "0");

/** A date as Cognito's clients write TIMESTAMP. */
export function formatTimestamp(d: Date): string {
  return (
    `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}

/**
 * "malformed": not of the form at all (Cognito: InvalidParameterException). "rejected": readable
 * but not as clients write it (zero-padded day, wrong weekday, an impossible date, a zone other
 * than UTC), or too far from `now` (Cognito: NotAuthorizedException, as for a wrong password).
 */
export type TimestampCheck = "ok" | "malformed" | "rejected";

export function checkTimestamp(
  timestamp: string,
  now: Date,
  toleranceMs: number = TIMESTAMP_TOLERANCE_MS,
): TimestampCheck {
  const m = TIMESTAMP.exec(timestamp);
  if (!m) return "malformed";
  const month = MONTHS.indexOf(m[2]!);
  if (!WEEKDAYS.includes(m[1]!) || month < 0) return "malformed";
  const at = new Date(Date.UTC(Number(m[8]), month, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  if (Number.isNaN(at.getTime()) || formatTimestamp(at) !== timestamp) return "rejected";
  return Math.abs(at.getTime() - now.getTime()) <= toleranceMs ? "ok" : "rejected";
}
