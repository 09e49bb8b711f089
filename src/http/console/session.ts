/**
 * Who may use the console, and the CSRF token of its forms.
 *
 * Without access keys configured the console is open, as the API is (any well-formed signature is
 * accepted then). With keys, a person signs in with an access key id and its secret; the console
 * keeps a session cookie: `<access key id>.<expiry>.<HMAC under the server secret>`, HttpOnly,
 * SameSite=Strict, with an expiry. Every form carries a CSRF token: an HMAC of the browser's random
 * CSRF cookie (double submit, signed), so a token is good only in the browser it was given to.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../../context.ts";
import { safeEqual } from "../../crypto/secret-hash.ts";
import { cookies } from "../oauth/web.ts";

export const SESSION_COOKIE = "lanyard_console";
export const CSRF_COOKIE = "lanyard_console_csrf";
/** How long a console session lasts. */
export const SESSION_SECONDS = 8 * 60 * 60;
/** The access key id the console's calls carry when no keys are configured. */
export const OPEN_ACCESS_KEY_ID = "console";

function mac(services: Services, purpose: string, value: string): string {
  return createHmac("sha256", services.serverSecret)
    .update(`console-${purpose}\n${value}`)
    .digest("base64url");
}

export function consoleOpen(services: Services): boolean {
  return services.config.accessKeys.length === 0;
}

/** The configured key with this id and secret, compared in constant time; undefined when none. */
export function checkAccessKey(services: Services, accessKeyId: string, secret: string): string | undefined {
  let found: string | undefined;
  for (const key of services.config.accessKeys) {
    const idOk = safeEqual(key.accessKeyId, accessKeyId);
    const secretOk = safeEqual(key.secretAccessKey, secret);
    if (idOk && secretOk) found = key.accessKeyId;
  }
  return found;
}

export function sessionValue(services: Services, accessKeyId: string, now: number): string {
  const payload = `${Buffer.from(accessKeyId).toString("base64url")}.${Math.floor(now / 1000) + SESSION_SECONDS}`;
  return `${payload}.${mac(services, "session", payload)}`;
}

/** The access key id of the request's valid, unexpired session cookie, if it has one. */
export function sessionOf(services: Services, req: FastifyRequest, now: number): string | undefined {
  const value = cookies(req)[SESSION_COOKIE];
  if (!value) return undefined;
  const parts = value.split(".");
  if (parts.length !== 3) return undefined;
  const [id, exp, sig] = parts as [string, string, string];
  if (!safeEqual(mac(services, "session", `${id}.${exp}`), sig)) return undefined;
  if (!/^\d+$/.test(exp) || Number(exp) * 1000 <= now) return undefined;
  const accessKeyId = Buffer.from(id, "base64url").toString("utf8");
  // A key removed from the configuration ends its sessions.
  return services.config.accessKeys.some((k) => k.accessKeyId === accessKeyId) ? accessKeyId : undefined;
}

function secure(services: Services, req: FastifyRequest): boolean {
  return req.protocol === "https" || services.publicUrl().startsWith("https:");
}

export function setConsoleCookie(
  services: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  name: string,
  value: string,
  maxAgeSeconds: number,
): void {
  const parts = [
    `${name}=${value}`,
    "Path=/console",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (secure(services, req)) parts.push("Secure");
  const previous = reply.getHeader("set-cookie");
  const list = previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)];
  reply.header("set-cookie", [...list, parts.join("; ")]);
}

/** The page's CSRF token, setting the browser's CSRF cookie first when it has none. */
export function csrfFor(services: Services, req: FastifyRequest, reply: FastifyReply): string {
  let cookie = cookies(req)[CSRF_COOKIE];
  if (!cookie || !/^[A-Za-z0-9_-]{22,}$/.test(cookie)) {
    cookie = randomBytes(18).toString("base64url");
    setConsoleCookie(services, req, reply, CSRF_COOKIE, cookie, SESSION_SECONDS * 3);
    // Later reads within this request see the new cookie.
    req.headers.cookie = `${CSRF_COOKIE}=${cookie}; ${String(req.headers.cookie ?? "")}`;
  }
  return mac(services, "csrf", cookie);
}

export function csrfValid(services: Services, req: FastifyRequest, given: string | undefined): boolean {
  const cookie = cookies(req)[CSRF_COOKIE];
  if (!cookie || !given) return false;
  return safeEqual(mac(services, "csrf", cookie), given);
}

/** Failed console sign-ins allowed from one address within FAILURE_WINDOW_MS. */
export const MAX_FAILED_SIGN_INS = 10;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** Addresses remembered at most; the oldest is forgotten first. */
const MAX_ADDRESSES = 10_000;

/**
 * Failed console sign-ins per client address, so a secret cannot be guessed at speed: after
 * MAX_FAILED_SIGN_INS failures within the window, every sign-in from that address is refused
 * (even with the right secret) until the oldest failure leaves the window.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  /** Milliseconds until the address may try again, or 0 when it may now. */
  retryAfter(address: string, now: number): number {
    const times = this.recent(address, now);
    if (times.length < MAX_FAILED_SIGN_INS) return 0;
    return times[times.length - MAX_FAILED_SIGN_INS]! + FAILURE_WINDOW_MS - now;
  }

  failed(address: string, now: number): void {
    const times = this.recent(address, now);
    times.push(now);
    if (times.length > MAX_FAILED_SIGN_INS) times.splice(0, times.length - MAX_FAILED_SIGN_INS);
    this.failures.delete(address);
    this.failures.set(address, times);
    if (this.failures.size > MAX_ADDRESSES) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(address: string, now: number): number[] {
    const times = (this.failures.get(address) ?? []).filter((t) => t > now - FAILURE_WINDOW_MS);
    if (times.length === 0) this.failures.delete(address);
    return times;
  }
}
