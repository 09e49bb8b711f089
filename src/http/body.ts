/**
 * The one body parser: every body arrives raw, whatever its content type, because SigV4 signs the
 * exact bytes. Routes that want JSON read it with `jsonBody`.
 */
import { everywhere } from "./plugin.ts";

export const body = everywhere(async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, raw, done) => done(null, raw));
});

/** The raw bytes of a request body (empty when there is none). */
export function rawBody(parsed: unknown): Buffer {
  return Buffer.isBuffer(parsed) ? parsed : Buffer.alloc(0);
}

/** A request body read as JSON; undefined when it is missing or not JSON. */
export function jsonBody(parsed: unknown): unknown {
  if (!Buffer.isBuffer(parsed)) return undefined;
  try {
    return JSON.parse(parsed.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}
