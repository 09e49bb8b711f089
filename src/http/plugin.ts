/**
 * The shape of every plugin of the HTTP layer: a Fastify plugin given the server's services.
 * Route plugins are encapsulated; the few that set up every route (guards, CORS, the body parser,
 * the error handler) are marked `everywhere`, so their hooks and handlers apply to the whole server.
 */
import type { FastifyPluginAsync } from "fastify";
import type { Services } from "../context.ts";

export interface HttpOptions {
  readonly services: Services;
}

export type HttpPlugin = FastifyPluginAsync<HttpOptions>;

/** Lets a plugin's hooks, parsers and handlers reach every route (what `fastify-plugin` does). */
export function everywhere(plugin: HttpPlugin): HttpPlugin {
  return Object.assign(plugin, { [Symbol.for("skip-override")]: true });
}
