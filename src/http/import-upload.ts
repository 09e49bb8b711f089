/**
 * The user import jobs' HTTP side:
 * - `PUT /import-jobs/<poolId>/<jobId>.csv?X-Amz-...`: the pre-signed URL CreateUserImportJob hands
 *   out (domain/import-jobs/upload-url.ts), where the CSV file is uploaded as the guide's
 *   `curl -T file.csv -H "x-amz-server-side-encryption:aws:kms" "<PreSignedUrl>"` does. The body is
 *   streamed into the storage in chunks (never held whole), up to `importMaxBytes`; one file per job,
 *   only while the job is Created. Refusals are S3's XML errors.
 * - `GET /import-jobs/<poolId>/<jobId>/log`: the job's log as JSON lines, for a SigV4-signed request
 *   with the API's credentials (where Cognito writes to CloudWatch Logs).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../context.ts";
import { readImportLog } from "../domain/import-jobs/jobs.ts";
import { checkUploadUrl, UPLOAD_PATH_PREFIX } from "../domain/import-jobs/upload-url.ts";
import { ResourceNotFoundException } from "../generated/exceptions.ts";
import { AwsError } from "../errors.ts";
import { staticCredentialStore, verifySigV4 } from "../protocol/sigv4.ts";
import { sendError } from "./errors.ts";
import type { HttpPlugin } from "./plugin.ts";
import { newRequestId } from "./request-id.ts";

/** Characters of CSV text per stored chunk. */
const CHUNK_CHARS = 1 << 20;
const LOG_PAGE = 1_000;
/** What is read on and dropped of a body over the limit before the answer. */
const DRAIN_BYTES = 4 << 20;

function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An S3-style XML error; the connection is closed after it when the body was not read. */
function s3Error(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string | number> = {},
  close = false,
): FastifyReply {
  const fields = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`)
    .join("");
  if (close) reply.header("connection", "close");
  return reply
    .code(status)
    .type("application/xml")
    .send(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${fields}<RequestId>${xmlEscape(reply.request.id)}</RequestId></Error>`,
    );
}

async function upload(
  services: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  poolId: string,
  jobId: string,
) {
  const { storage, config } = services;
  const url = new URL(req.raw.url ?? "/", "http://upload");
  const check = checkUploadUrl(services.serverSecret, poolId, jobId, url.searchParams, services.clock.now());
  if (check === "unsigned")
    return s3Error(
      reply,
      403,
      "AccessDenied",
      "Query-string authentication requires the X-Amz-Date, X-Amz-Expires and X-Amz-Signature parameters",
      {},
      true,
    );
  if (check === "bad-signature")
    return s3Error(
      reply,
      403,
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided.",
      {},
      true,
    );
  if (check === "expired") return s3Error(reply, 403, "AccessDenied", "Request has expired", {}, true);
  const declared = req.headers["content-length"];
  const max = config.importMaxBytes;
  if (declared !== undefined && Number(declared) > max)
    return s3Error(
      reply,
      400,
      "EntityTooLarge",
      "Your proposed upload exceeds the maximum allowed size",
      { ProposedSize: Number(declared), MaxSizeAllowed: max },
      true,
    );
  const job = await storage.importJobs.getImportJob(poolId, jobId);
  if (!job)
    return s3Error(reply, 404, "NoSuchUpload", "The import job of this upload URL does not exist.", {}, true);
  if (job.status !== "Created")
    return s3Error(
      reply,
      403,
      "AccessDenied",
      `The import job is ${job.status}: files are accepted only while it is Created.`,
      {},
      true,
    );
  const claimed = await storage.transaction((tx) => tx.importJobs.claimImportUpload(poolId, jobId));
  if (!claimed)
    return s3Error(
      reply,
      403,
      "AccessDenied",
      "A file has already been uploaded to this URL: an import job takes one file.",
      {},
      true,
    );

  const md5 = createHash("md5");
  const decoder = new StringDecoder("utf8");
  let bytes = 0;
  let text = "";
  let seq = 0;
  const flush = async (): Promise<void> => {
    const piece = text;
    text = "";
    const n = seq++;
    await storage.transaction((tx) => tx.importJobs.insertImportChunk(jobId, n, piece));
  };
  let tooBig = false;
  try {
    for await (const data of req.raw as AsyncIterable<Buffer>) {
      bytes += data.length;
      if (tooBig) {
        // Read on (and drop) a little, so that the client, still sending, reads the answer.
        if (bytes - max > DRAIN_BYTES) break;
        continue;
      }
      if (bytes > max) {
        tooBig = true;
        await storage.transaction((tx) => tx.importJobs.releaseImportUpload(poolId, jobId));
        continue;
      }
      md5.update(data);
      text += decoder.write(data);
      if (text.length >= CHUNK_CHARS) await flush();
    }
    if (tooBig)
      return s3Error(
        reply,
        400,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
        { MaxSizeAllowed: max },
        true,
      );
    text += decoder.end();
    if (text.length > 0) await flush();
    await storage.transaction((tx) => tx.importJobs.finishImportUpload(poolId, jobId, bytes));
  } catch (e) {
    if (!tooBig)
      await storage.transaction((tx) => tx.importJobs.releaseImportUpload(poolId, jobId)).catch(() => {});
    throw e;
  }
  const sse = req.headers["x-amz-server-side-encryption"];
  if (typeof sse === "string") reply.header("x-amz-server-side-encryption", sse);
  return reply
    .code(200)
    .header("etag", `"${md5.digest("hex")}"`)
    .send("");
}

async function log(
  services: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  poolId: string,
  jobId: string,
) {
  const rawUrl = req.raw.url ?? "/";
  const q = rawUrl.indexOf("?");
  try {
    verifySigV4(
      {
        method: "GET",
        path: q >= 0 ? rawUrl.slice(0, q) : rawUrl,
        query: q >= 0 ? rawUrl.slice(q + 1) : "",
        headers: req.headers,
        body: "",
      },
      staticCredentialStore(services.config.accessKeys),
      new Date(),
    );
  } catch (e) {
    if (e instanceof AwsError) return sendError(reply, e);
    throw e;
  }
  const first = await readImportLog(services, poolId, jobId, LOG_PAGE);
  if (!first) return sendError(reply, new ResourceNotFoundException(`Import job ${jobId} not found.`));
  async function* lines(): AsyncGenerator<string> {
    let page = first!;
    for (;;) {
      let out = "";
      for (const e of page.items)
        out += `${JSON.stringify({
          time: new Date(e.time).toISOString(),
          jobId: e.jobId,
          result: e.result,
          ...(e.line !== undefined ? { line: e.line } : {}),
          message: e.message,
        })}\n`;
      yield out;
      if (!page.next) return;
      const next = await readImportLog(services, poolId, jobId, LOG_PAGE, page.next);
      if (!next) return;
      page = next;
    }
  }
  return reply.code(200).type("application/x-ndjson").send(Readable.from(lines()));
}

/**
 * A client that asks `Expect: 100-continue` (curl does, for files over a megabyte) of an upload
 * declared bigger than the limit is answered the error at once, before it sends the body, as S3
 * answers; every other such request is told to continue and goes on as usual.
 */
function refuseOversizedBeforeBody(server: Server, max: number): void {
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers["content-length"]);
    if (req.method === "PUT" && req.url?.startsWith(UPLOAD_PATH_PREFIX) && declared > max) {
      res.writeHead(400, { "content-type": "application/xml", connection: "close" });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message><ProposedSize>${declared}</ProposedSize><MaxSizeAllowed>${max}</MaxSizeAllowed><RequestId>${newRequestId()}</RequestId></Error>`,
      );
      return;
    }
    res.writeContinue();
    server.emit("request", req, res);
  });
}

export const importUpload: HttpPlugin = async (app, { services }) => {
  refuseOversizedBeforeBody(app.server, services.config.importMaxBytes);
  // The upload's body is read here as a stream: no parser reads it first.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_req, _payload, done) => done(null));
  app.put<{ Params: { poolId: string; file: string } }>("/import-jobs/:poolId/:file", async (req, reply) => {
    const m = /^(import-[0-9a-zA-Z-]+)\.csv$/.exec(req.params.file);
    if (!m) return s3Error(reply, 404, "NoSuchKey", "The specified key does not exist.", {}, true);
    return upload(services, req, reply, req.params.poolId, m[1]!);
  });
  app.get<{ Params: { poolId: string; jobId: string } }>("/import-jobs/:poolId/:jobId/log", (req, reply) =>
    log(services, req, reply, req.params.poolId, req.params.jobId),
  );
};
