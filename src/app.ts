import Fastify, { type FastifyInstance } from "fastify";
import type { Services } from "./context.ts";
import { authEventFeedback } from "./http/auth-event-feedback.ts";
import { awsJson } from "./http/aws-json.ts";
import { body } from "./http/body.ts";
import { adminConsole } from "./http/console/index.ts";
import { cors } from "./http/cors.ts";
import { devRoutes } from "./http/dev/index.ts";
import { errorHandler } from "./http/errors.ts";
import { ApiFastPath } from "./http/fast-path.ts";
import { guards, serverOptions } from "./http/guards.ts";
import { health } from "./http/health.ts";
import { importUpload } from "./http/import-upload.ts";
import { uiAssets } from "./http/ui-assets.ts";
import { metrics } from "./http/metrics.ts";
import { oauth } from "./http/oauth/index.ts";
import { requestLog } from "./http/request-log.ts";
import { wellKnown } from "./http/well-known.ts";

/**
 * Mounts the plugins of the HTTP layer (src/http/), in order. No routes or logic live here.
 * With `tls` (PEM certificate and key, see http/tls.ts) the server speaks HTTPS.
 */
export async function buildApp(
  services: Services,
  tls?: { cert: string; key: string },
): Promise<FastifyInstance> {
  const fastPath = new ApiFastPath();
  const app = Fastify(serverOptions(services.config, tls, (handler) => fastPath.wrap(handler)));
  // Once the server closes, Fastify answers every request (503 to the ones still arriving).
  app.addHook("preClose", (done) => {
    fastPath.close();
    done();
  });
  const options = { services };
  // Set up for every route: guards, CORS, the raw body, the error renderer.
  await app.register(guards, options);
  await app.register(requestLog, options);
  await app.register(metrics, options);
  await app.register(cors, options);
  await app.register(body, options);
  await app.register(errorHandler, options);
  // The endpoints. The console and the metrics plugins go here, beside the AWS JSON endpoint.
  await app.register(awsJson(fastPath), options);
  await app.register(adminConsole, options);
  await app.register(oauth, options);
  await app.register(health, options);
  await app.register(importUpload, options);
  await app.register(wellKnown, options);
  await app.register(authEventFeedback, options);
  await app.register(uiAssets, options);
  // The /_lanyard/* development routes, each only when its option is on.
  await app.register(devRoutes, options);
  return app;
}
