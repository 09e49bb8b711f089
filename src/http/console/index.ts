/**
 * The admin console at `/console`: plain server-rendered pages over the operation table, called
 * in-process as an admin (protocol/in-process.ts), so the console does exactly what the API does.
 * Open without access keys configured, as the API is; with keys, a sign-in with an access key id
 * and secret and a signed session cookie (session.ts). Every POST carries a CSRF token.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { OPERATION_TABLE } from "../../operations/table.ts";
import { InProcessAdmin } from "../../protocol/in-process.ts";
import { rawBody } from "../body.ts";
import { parseParams, sendPage } from "../oauth/web.ts";
import type { HttpPlugin } from "../plugin.ts";
import type { Console, ConsoleRequest, ConsoleRouter } from "./context.ts";
import { identityProviderRoutes } from "./identity-providers.ts";
import { poolRoutes } from "./pools.ts";
import {
  checkAccessKey,
  consoleOpen,
  csrfFor,
  csrfValid,
  OPEN_ACCESS_KEY_ID,
  SESSION_COOKIE,
  SESSION_SECONDS,
  sessionOf,
  sessionValue,
  setConsoleCookie,
  SignInThrottle,
} from "./session.ts";
import { toolRoutes } from "./tools.ts";
import { userRoutes } from "./users.ts";
import { field, form, html, layout } from "./views.ts";

export const adminConsole: HttpPlugin = async (app, { services }) => {
  const consoleApp: Console = {
    services,
    admin: new InProcessAdmin(services, new Map(Object.entries(OPERATION_TABLE))),
  };
  const open = consoleOpen(services);
  const throttle = new SignInThrottle();

  function formFields(req: FastifyRequest): Record<string, string> | undefined {
    const type = String(req.headers["content-type"] ?? "")
      .split(";")[0]!
      .trim()
      .toLowerCase();
    if (type !== "application/x-www-form-urlencoded") return undefined;
    return parseParams(rawBody(req.body).toString("utf8"));
  }

  function consoleRequest(
    req: FastifyRequest,
    reply: FastifyReply,
    accessKeyId: string,
    fields: Record<string, string>,
  ): ConsoleRequest {
    const frame = { csrf: csrfFor(services, req, reply), signedIn: !open };
    return {
      req,
      reply,
      accessKeyId,
      frame,
      form: fields,
      call: (name, input) =>
        consoleApp.admin.call(name, input, {
          requestId: req.id,
          accessKeyId,
          clientIp: req.ip,
          ...(typeof req.headers["user-agent"] === "string" ? { userAgent: req.headers["user-agent"] } : {}),
        }),
    };
  }

  /** Who is signed in, or undefined (after answering: the sign-in page, or a refusal). */
  function who(req: FastifyRequest, reply: FastifyReply, post: boolean): string | undefined {
    if (open) return OPEN_ACCESS_KEY_ID;
    const id = sessionOf(services, req, services.clock.now());
    if (id !== undefined) return id;
    if (post) void refuse(req, reply, 401, "Sign in first: the console session is missing or expired.");
    else void reply.code(303).header("cache-control", "no-store").header("location", "/console/login").send();
    return undefined;
  }

  function refuse(req: FastifyRequest, reply: FastifyReply, status: number, message: string): FastifyReply {
    const frame = { csrf: csrfFor(services, req, reply), signedIn: false };
    return sendPage(
      reply,
      status,
      layout(frame, {
        title: "Refused",
        error: message,
        body: html`<p><a href="/console">Back to the console</a></p>`,
      }),
    );
  }

  const router: ConsoleRouter = {
    get(path, handler) {
      app.get(path, async (req, reply) => {
        const id = who(req, reply, false);
        if (id === undefined) return reply;
        return handler(consoleRequest(req, reply, id, {}));
      });
    },
    post(path, handler) {
      app.post(path, async (req, reply) => {
        const fields = formFields(req);
        if (!fields || !csrfValid(services, req, fields._csrf))
          return refuse(
            req,
            reply,
            403,
            "The form's CSRF token is missing or wrong: reload the page and try again.",
          );
        const id = who(req, reply, true);
        if (id === undefined) return reply;
        return handler(consoleRequest(req, reply, id, fields));
      });
    },
  };

  app.get("/console", async (_req, reply) => reply.code(303).header("location", "/console/pools").send());

  function loginPage(
    req: FastifyRequest,
    reply: FastifyReply,
    error?: string,
    accessKeyId = "",
  ): FastifyReply {
    const frame = { csrf: csrfFor(services, req, reply), signedIn: false };
    const body = form(
      frame,
      "/console/login",
      html`${field("accessKeyId", "Access key ID", { value: accessKeyId, required: true, autocomplete: "username" })}
        ${field("secretAccessKey", "Secret access key", { type: "password", required: true, autocomplete: "current-password" })}
        <div><button type="submit">Sign in</button></div>`,
    );
    return sendPage(reply, error ? 401 : 200, layout(frame, { title: "Sign in", body, error }));
  }

  app.get("/console/login", async (req, reply) => {
    if (open) return reply.code(303).header("location", "/console/pools").send();
    return loginPage(req, reply);
  });
  app.post("/console/login", async (req, reply) => {
    const fields = formFields(req);
    if (!fields || !csrfValid(services, req, fields._csrf))
      return refuse(
        req,
        reply,
        403,
        "The form's CSRF token is missing or wrong: reload the page and try again.",
      );
    if (open) return reply.code(303).header("location", "/console/pools").send();
    const now = services.clock.now();
    const wait = throttle.retryAfter(req.ip, now);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      const minutes = Math.ceil(seconds / 60);
      reply.header("retry-after", String(seconds));
      return refuse(
        req,
        reply,
        429,
        `Too many failed sign-ins from this address: try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      );
    }
    const id = checkAccessKey(services, fields.accessKeyId ?? "", fields.secretAccessKey ?? "");
    if (id === undefined) {
      throttle.failed(req.ip, now);
      return loginPage(
        req,
        reply,
        "The access key ID or the secret access key is wrong.",
        fields.accessKeyId ?? "",
      );
    }
    setConsoleCookie(
      services,
      req,
      reply,
      SESSION_COOKIE,
      sessionValue(services, id, services.clock.now()),
      SESSION_SECONDS,
    );
    return reply.code(303).header("cache-control", "no-store").header("location", "/console/pools").send();
  });
  app.post("/console/logout", async (req, reply) => {
    const fields = formFields(req);
    if (!fields || !csrfValid(services, req, fields._csrf))
      return refuse(
        req,
        reply,
        403,
        "The form's CSRF token is missing or wrong: reload the page and try again.",
      );
    setConsoleCookie(services, req, reply, SESSION_COOKIE, "", 0);
    return reply
      .code(303)
      .header("location", open ? "/console/pools" : "/console/login")
      .send();
  });

  poolRoutes(router, consoleApp);
  identityProviderRoutes(router, consoleApp);
  userRoutes(router, consoleApp);
  toolRoutes(router, consoleApp);
};
