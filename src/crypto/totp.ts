/**
 * TOTP (RFC 6238) as Cognito's software tokens use it: a 160-bit secret shown in base32, SHA-1,
 * six digits, a 30-second step, and codes of the step before and after the current one accepted
 * (clock drift). The caller refuses a code whose step was already used (replay).
 */
export const TOTP_PERIOD_SECONDS = 30;

/**
 * otplib and its plugins, loaded at the first TOTP use: most servers never see one, and loading
 * them at start-up held about a megabyte for nothing.
 */
type Otplib = typeof import("otplib");
interface Loaded {
  o: Otplib;
  crypto: InstanceType<Otplib["NobleCryptoPlugin"]>;
  base32: InstanceType<Otplib["ScureBase32Plugin"]>;
}
let loaded: Promise<Loaded> | undefined;
function otplib(): Promise<Loaded> {
  loaded ??= import("otplib").then((o) => ({
    o,
    crypto: new o.NobleCryptoPlugin(),
    base32: new o.ScureBase32Plugin(),
  }));
  return loaded;
}

/** A new secret: 20 random bytes in base32 (32 characters). */
export async function newTotpSecret(): Promise<string> {
  const { o, crypto, base32 } = await otplib();
  return o.generateSecret({ length: 20, crypto, base32 });
}

/** The code of the step `nowMs` falls in (tests and tools compute codes the same way). */
export async function totpCode(secret: string, nowMs: number): Promise<string> {
  const { o, crypto, base32 } = await otplib();
  return o.generateSync({ secret, epoch: Math.floor(nowMs / 1000), crypto, base32 });
}

/** The time step of a code valid at `nowMs` (within one step either side), or undefined. */
export async function totpStep(secret: string, code: string, nowMs: number): Promise<number | undefined> {
  if (!/^[0-9]{6}$/.test(code)) return undefined;
  const { o, crypto, base32 } = await otplib();
  const epoch = Math.floor(nowMs / 1000);
  const result = o.verifySync({
    secret,
    token: code,
    epoch,
    epochTolerance: TOTP_PERIOD_SECONDS,
    crypto,
    base32,
  });
  return result.valid ? Math.floor(epoch / TOTP_PERIOD_SECONDS) + result.delta : undefined;
}

/** The otpauth:// URI an authenticator app reads (from a QR code). */
export function otpauthUri(secret: string, issuer: string, account: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
}
