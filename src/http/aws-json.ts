/**
 * `POST /`: the Cognito API, handed with its raw body to the AWS JSON endpoint (protocol/aws-json.ts).
 * The calls of the usual shape are answered by the same endpoint on the fast path (fast-path.ts),
 * in front of Fastify; this route answers the rest.
 */
import { OPERATION_TABLE } from "../operations/table.ts";
import { AwsJsonEndpoint } from "../protocol/aws-json.ts";
import { staticCredentialStore } from "../protocol/sigv4.ts";
import { rawBody } from "./body.ts";
import { sendResponse } from "./errors.ts";
import type { ApiFastPath } from "./fast-path.ts";
import type { HttpPlugin } from "./plugin.ts";

export const awsJson =
  (fastPath: ApiFastPath): HttpPlugin =>
  async (app, { services }) => {
    const endpoint = new AwsJsonEndpoint(
      services,
      new Map(Object.entries(OPERATION_TABLE)),
      staticCredentialStore(services.config.accessKeys),
    );
    app.post("/", async (req, reply) => {
      const url = req.raw.url ?? "/";
      const q = url.indexOf("?");
      const res = await endpoint.handle({
        method: "POST",
        path: q >= 0 ? url.slice(0, q) : url,
        query: q >= 0 ? url.slice(q + 1) : "",
        headers: req.headers,
        body: rawBody(req.body),
        clientIp: req.ip,
        requestId: req.id,
      });
      if (res.facts) req.facts = res.facts;
      return sendResponse(reply, res);
    });
    fastPath.open(endpoint, services);
  };
