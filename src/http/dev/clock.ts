/**
 * Test only (`--enable-test-clock`): `GET /_lanyard/clock` reads the server clock's offset and
 * `POST /_lanyard/clock` with `{"offsetMs": <integer>}` sets it, moving the server's time (code
 * expiry and the like) without sleeping.
 */
import type { FastifyPluginAsync } from "fastify";
import type { OffsetClock } from "../../context.ts";
import { jsonBody } from "../body.ts";

export const clock: FastifyPluginAsync<{ clock: OffsetClock }> = async (app, { clock }) => {
  app.get("/_lanyard/clock", async () => ({ offsetMs: clock.offsetMs, now: clock.now() }));
  app.post("/_lanyard/clock", async (req, reply) => {
    const offset = (jsonBody(req.body) as { offsetMs?: unknown } | undefined)?.offsetMs;
    if (!Number.isSafeInteger(offset))
      return reply.code(400).send({ message: 'Body must be {"offsetMs": <integer>}.' });
    clock.offsetMs = offset as number;
    return { offsetMs: clock.offsetMs, now: clock.now() };
  });
};
