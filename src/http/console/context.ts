/**
 * One console request: the signed-in access key id, the page frame (CSRF token), the form of a
 * POST, and the in-process admin calls, whose AWS errors become messages on the page.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../../context.ts";
import { AwsError } from "../../errors.ts";
import type { OperationName } from "../../generated/operations.ts";
import type { Input, Output } from "../../operations/define.ts";
import type { InProcessAdmin } from "../../protocol/in-process.ts";
import { sendPage } from "../oauth/web.ts";
import { type Frame, layout, type Page } from "./views.ts";

export interface Console {
  readonly services: Services;
  readonly admin: InProcessAdmin;
}

export interface ConsoleRequest {
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
  readonly accessKeyId: string;
  readonly frame: Frame;
  /** The POST's form fields (empty for a GET). */
  readonly form: Record<string, string>;
  /** An admin call of the operation table. */
  call<N extends OperationName>(name: N, input: Input<N>): Promise<Output<N>>;
}

/** An AWS error as the page shows it: its type and message. */
export function errorText(e: unknown): string {
  if (e instanceof AwsError) return `${e.type}: ${e.message}`;
  throw e;
}

export function render(c: ConsoleRequest, page: Page): FastifyReply {
  return sendPage(c.reply, page.status ?? (page.error ? 400 : 200), layout(c.frame, page));
}

/** After a successful POST: back to a page (303, so a reload does not repeat it), with a notice. */
export function done(c: ConsoleRequest, location: string, notice: string): FastifyReply {
  const sep = location.includes("?") ? "&" : "?";
  return c.reply
    .code(303)
    .header("cache-control", "no-store")
    .header("location", `${location}${sep}notice=${encodeURIComponent(notice)}`)
    .send();
}

/** The notice a page was redirected with: only the fixed texts the console writes. */
export function noticeOf(c: ConsoleRequest): string | undefined {
  const n = (c.req.query as Record<string, unknown>).notice;
  return typeof n === "string" && NOTICES.has(n) ? n : undefined;
}

export const NOTICES = new Set([
  "User pool created.",
  "User pool deleted.",
  "App client deleted.",
  "Group deleted.",
  "Identity provider added.",
  "Identity provider deleted.",
  "App client created.",
  "Group created.",
  "User created.",
  "User disabled.",
  "User enabled.",
  "Password reset: the user was sent a code.",
  "Password set.",
  "Added to the group.",
  "Removed from the group.",
  "Signed out everywhere.",
  "User deleted.",
  "Domain created.",
  "Domain deleted.",
  "Inbox cleared.",
]);

export type ConsoleHandler = (c: ConsoleRequest) => Promise<FastifyReply>;

/** Registers GET and POST routes whose handlers get a ConsoleRequest (signed in, CSRF checked). */
export interface ConsoleRouter {
  get(path: string, handler: ConsoleHandler): void;
  post(path: string, handler: ConsoleHandler): void;
}
