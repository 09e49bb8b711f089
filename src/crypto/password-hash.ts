/**
 * Argon2id password hashing on node:crypto, stored as a PHC string
 * ($argon2id$v=19$m=19456,t=2,p=1$salt$hash). Every hash carries its own parameters and is
 * verified with them, so hashes made under one profile still verify under another.
 *
 * Profiles (Config.passwordHashing): "default" is OWASP's recommended minimum (19 MiB, 2 passes,
 * 1 lane); "test" is the cheapest Argon2id node:crypto accepts (8 KiB, 1 pass, 1 lane), for test
 * suites and CI, where a slow hash is only waiting.
 *
 * Every Argon2id computation (hash or verify) goes through one bounded queue: at most
 * `concurrency` run at once (each holds `memory` KiB on a libuv thread), at most `queue` more
 * wait, and beyond that the request is refused (HashingBusyError, which the domain answers as
 * TooManyRequestsException) instead of growing
 * the server's memory. The process has one such hasher, set up at start by `configurePasswordHashing`.
 */
import * as nodeCrypto from "node:crypto";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { availableParallelism } from "node:os";

export interface Argon2Params {
  /** KiB. */
  memory: number;
  passes: number;
  parallelism: number;
}

export const OWASP_ARGON2ID: Readonly<Argon2Params> = { memory: 19456, passes: 2, parallelism: 1 };
/** The cheapest Argon2id node:crypto allows: memory must be at least 8 KiB per lane, one pass at least. */
export const TEST_ARGON2ID: Readonly<Argon2Params> = { memory: 8, passes: 1, parallelism: 1 };
export const HASHING_PROFILES = { default: OWASP_ARGON2ID, test: TEST_ARGON2ID } as const;
export type HashingProfile = keyof typeof HASHING_PROFILES;

/** Argon2id computations running at once by default: one per core, at most 4 (the libuv threadpool). */
export const DEFAULT_HASHING_CONCURRENCY = Math.max(1, Math.min(4, availableParallelism()));
/** Computations waiting for a slot by default, beyond which requests are refused. */
export const DEFAULT_HASHING_QUEUE = 64;

const TAG_LENGTH = 32;

/**
 * Node's own Argon2id (node:crypto, Node 24.7 and later), on a libuv thread. Where Node lacks it
 * (Node 22), the same Argon2id (RFC 9106, the same bytes for the same inputs) from hash-wasm's
 * WebAssembly build, on the main thread: slower, and it blocks the event loop while it runs.
 */
const nodeArgon2 = (nodeCrypto as Partial<typeof nodeCrypto>).argon2;

export async function deriveWasm(password: string, salt: Buffer, p: Argon2Params): Promise<Buffer> {
  const { argon2id } = await import("hash-wasm");
  const key = await argon2id({
    password: Buffer.from(password.normalize("NFC"), "utf8"),
    salt,
    parallelism: p.parallelism,
    iterations: p.passes,
    memorySize: p.memory,
    hashLength: TAG_LENGTH,
    outputType: "binary",
  });
  return Buffer.from(key);
}

function derive(password: string, salt: Buffer, p: Argon2Params): Promise<Buffer> {
  const argon2 = nodeArgon2;
  if (!argon2) return deriveWasm(password, salt, p);
  return new Promise((resolve, reject) => {
    argon2(
      "argon2id",
      {
        message: Buffer.from(password.normalize("NFC"), "utf8"),
        nonce: salt,
        parallelism: p.parallelism,
        tagLength: TAG_LENGTH,
        memory: p.memory,
        passes: p.passes,
      },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

/** A fixed number of tasks at once, a bounded number waiting, the rest refused. */
export class BoundedQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  readonly concurrency: number;
  readonly limit: number;

  constructor(concurrency: number, limit: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error("concurrency must be at least 1");
    if (!Number.isInteger(limit) || limit < 0) throw new Error("the queue limit must be 0 or more");
    this.concurrency = concurrency;
    this.limit = limit;
  }

  /** Called with the seconds each task waited for its slot (0 when it had one at once). */
  onWait: ((seconds: number) => void) | undefined;

  /** The tasks running now. */
  get active(): number {
    return this.running;
  }

  /** The tasks waiting for a slot now. */
  get depth(): number {
    return this.waiting.length;
  }

  /** Runs `task` when a slot is free; throws `refuse()` at once when the queue is full. */
  async run<T>(task: () => Promise<T>, refuse: () => Error): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.limit) throw refuse();
      // The slot is handed over by the task that frees it: `running` does not drop in between.
      const since = this.onWait ? performance.now() : 0;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      this.onWait?.((performance.now() - since) / 1000);
    } else {
      this.running++;
      this.onWait?.(0);
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

export interface PasswordHashingSettings {
  profile: HashingProfile;
  params: Argon2Params;
  concurrency: number;
  queue: number;
}

let settings: PasswordHashingSettings = {
  profile: "default",
  params: { ...OWASP_ARGON2ID },
  concurrency: DEFAULT_HASHING_CONCURRENCY,
  queue: DEFAULT_HASHING_QUEUE,
};
let queue = new BoundedQueue(settings.concurrency, settings.queue);
let decoy: string | undefined;

/** The process's hashing queue (for the metrics: its depth, and how long each task waited). */
export function passwordHashQueue(): BoundedQueue {
  return queue;
}

/** Sets the process's hashing parameters and queue (at start, before any request). */
export function configurePasswordHashing(next: PasswordHashingSettings): void {
  settings = { ...next, params: { ...next.params } };
  queue = new BoundedQueue(next.concurrency, next.queue);
  decoy = undefined;
}

export function passwordHashingSettings(): Readonly<PasswordHashingSettings> {
  return settings;
}

/** The profile's parameters with any explicit override applied. */
export function hashingParams(profile: HashingProfile, overrides: Partial<Argon2Params> = {}): Argon2Params {
  const base = HASHING_PROFILES[profile];
  return {
    memory: overrides.memory ?? base.memory,
    passes: overrides.passes ?? base.passes,
    parallelism: overrides.parallelism ?? base.parallelism,
  };
}

/** Why these parameters cannot be used, or undefined when node:crypto accepts them. */
export function invalidParams(p: Argon2Params): string | undefined {
  if (!Number.isInteger(p.parallelism) || p.parallelism < 1 || p.parallelism > 255)
    return "Argon2id parallelism must be an integer from 1 to 255";
  if (!Number.isInteger(p.passes) || p.passes < 1 || p.passes > 64)
    return "Argon2id passes must be an integer from 1 to 64";
  if (!Number.isInteger(p.memory) || p.memory < 8 * p.parallelism || p.memory > 4 * 1024 * 1024)
    return `Argon2id memory must be an integer number of KiB from ${8 * p.parallelism} (8 per lane) to 4194304 (4 GiB)`;
  return undefined;
}

/** One line for the start-up message. */
export function describePasswordHashing(s: PasswordHashingSettings = settings): string {
  const { memory, passes, parallelism } = s.params;
  const custom = s.profile !== "default" || !sameParams(s.params, OWASP_ARGON2ID);
  return (
    `password hashing: ${s.profile} profile, Argon2id m=${memory} KiB t=${passes} p=${parallelism}` +
    `${s.profile === "test" ? " (cheap hashes for test suites, never for real users)" : custom ? " (custom parameters)" : " (OWASP)"}` +
    `; ${s.concurrency} at once, ${s.queue} more may wait`
  );
}

function sameParams(a: Argon2Params, b: Argon2Params): boolean {
  return a.memory === b.memory && a.passes === b.passes && a.parallelism === b.parallelism;
}

/** Thrown when the hashing queue is full; the domain answers it as Cognito's TooManyRequestsException. */
export class HashingBusyError extends Error {}

function tooManyRequests(): HashingBusyError {
  return new HashingBusyError("the password hashing queue is full");
}

function encode(params: Argon2Params, salt: Buffer, key: Buffer): string {
  const b64 = (b: Buffer) => b.toString("base64").replace(/=+$/, "");
  return `$argon2id$v=19$m=${params.memory},t=${params.passes},p=${params.parallelism}$${b64(salt)}$${b64(key)}`;
}

/** Hashes a password with the current parameters (or the given ones). */
export async function hashPassword(
  password: string,
  params: Argon2Params = settings.params,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await queue.run(() => derive(password, salt, params), tooManyRequests);
  return encode(params, salt, key);
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function parse(stored: string): { params: Argon2Params; salt: Buffer; expected: Buffer } | undefined {
  const m = PHC.exec(stored);
  if (!m) return undefined;
  const params = { memory: Number(m[1]), passes: Number(m[2]), parallelism: Number(m[3]) };
  if (invalidParams(params)) return undefined;
  return { params, salt: Buffer.from(m[4]!, "base64"), expected: Buffer.from(m[5]!, "base64") };
}

/**
 * Constant-time check of a password against a stored PHC string, with the parameters the string
 * carries. False for a malformed hash.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const { params, salt, expected } = parsed;
  const key = await queue.run(() => derive(password, salt, params), tooManyRequests);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** True when a stored hash was made with other parameters than the current ones. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return parsed === undefined || !sameParams(parsed.params, settings.params);
}

/**
 * A hash nobody knows the password of (a random salt and tag) with the current parameters:
 * verified for users that do not exist (or may not sign in with a password), so that they cost
 * what a real user costs under the current profile. One per configuration.
 */
export function decoyHash(): string {
  decoy ??= encode(settings.params, randomBytes(16), randomBytes(TAG_LENGTH));
  return decoy;
}
