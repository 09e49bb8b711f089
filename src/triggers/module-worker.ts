/**
 * A worker thread of the module invoker: it loads the handler files it is asked for (once each) and
 * runs one invocation at a time, as a Lambda execution environment does. The handler may be async
 * (a returned promise), take a callback (`handler(event, context, callback)`), or use the context's
 * legacy `succeed` / `fail` / `done`. The answer goes back as JSON text, as Lambda serialises it.
 */
import { parentPort } from "node:worker_threads";
import { pathToFileURL } from "node:url";

export interface WorkerRequest {
  id: number;
  module: string;
  event: unknown;
  context: {
    functionName: string;
    invokedFunctionArn: string;
    awsRequestId: string;
    deadline: number;
  };
}

export type WorkerReply =
  | { id: number; ok: true; json: string | undefined }
  | { id: number; ok: false; message: string; type: string };

type Callback = (error?: unknown, result?: unknown) => void;
type Handler = (event: unknown, context: object, callback: Callback) => unknown;

const handlers = new Map<string, Promise<Handler>>();

async function load(file: string): Promise<Handler> {
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const candidate = mod.handler ?? (mod.default as Record<string, unknown> | undefined)?.handler;
  if (typeof candidate !== "function") throw new Error(`${file} exports no handler function`);
  return candidate as Handler;
}

function handlerOf(file: string): Promise<Handler> {
  let h = handlers.get(file);
  if (!h) {
    h = load(file);
    handlers.set(file, h);
    h.catch(() => handlers.delete(file));
  }
  return h;
}

function run(handler: Handler, req: WorkerRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done: Callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    const { functionName, invokedFunctionArn, awsRequestId, deadline } = req.context;
    const context = {
      functionName,
      functionVersion: "$LATEST",
      invokedFunctionArn,
      memoryLimitInMB: "128",
      awsRequestId,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: `lanyard/${awsRequestId}`,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      succeed: (result: unknown) => done(null, result),
      fail: (error: unknown) => done(error ?? new Error("handled")),
      done,
    };
    try {
      const out = handler(req.event, context, done);
      if (out !== null && typeof out === "object" && typeof (out as Promise<unknown>).then === "function")
        (out as Promise<unknown>).then(
          (value) => done(null, value),
          (error: unknown) => done(error ?? new Error("null")),
        );
      else if (handler.length < 3 && out !== undefined) done(null, out);
      else if (handler.length < 3) done(null, undefined);
    } catch (error) {
      done(error ?? new Error("null"));
    }
  });
}

function describe(error: unknown): { message: string; type: string } {
  if (error instanceof Error) return { message: error.message, type: error.name };
  if (typeof error === "string") return { message: error, type: "string" };
  try {
    return { message: JSON.stringify(error), type: typeof error };
  } catch {
    return { message: String(error), type: typeof error };
  }
}

parentPort!.on("message", (req: WorkerRequest) => {
  void (async () => {
    let reply: WorkerReply;
    try {
      const result = await run(await handlerOf(req.module), req);
      reply = { id: req.id, ok: true, json: result === undefined ? undefined : JSON.stringify(result) };
    } catch (error) {
      reply = { id: req.id, ok: false, ...describe(error) };
    }
    parentPort!.postMessage(reply);
  })();
});
