/**
 * The module invoker: the handler file runs in a pool of worker threads, one invocation at a time per
 * worker, so a handler's work (or its endless loop) never blocks the server. An invocation that runs
 * past its timeout ends its worker (terminate), which is replaced; only that invocation fails.
 */
import { Worker } from "node:worker_threads";
import { workerEnv } from "../workers.ts";
import type { TriggerOutcome } from "../context.ts";
import type { WorkerReply, WorkerRequest } from "./module-worker.ts";

const WORKER_FILE = new URL("./module-worker.ts", import.meta.url);

interface Pending {
  resolve(outcome: TriggerOutcome): void;
  timer: NodeJS.Timeout;
}

class PoolWorker {
  readonly worker: Worker;
  current: { id: number; pending: Pending } | undefined;
  dead = false;

  constructor(
    onExit: (w: PoolWorker, code: number) => void,
    onReply: (w: PoolWorker, reply: WorkerReply) => void,
  ) {
    this.worker = new Worker(WORKER_FILE, { env: workerEnv(), stdout: false, stderr: false });
    this.worker.unref();
    this.worker.on("message", (reply: WorkerReply) => onReply(this, reply));
    this.worker.on("error", () => {});
    this.worker.on("exit", (code) => {
      this.dead = true;
      onExit(this, code);
    });
  }
}

export interface ModuleInvocation {
  module: string;
  event: object;
  functionName: string;
  arn: string;
  requestId: string;
  timeoutMs: number;
}

export class ModuleInvoker {
  private readonly idle: PoolWorker[] = [];
  private readonly all = new Set<PoolWorker>();
  private readonly queue: { job: ModuleInvocation; deadline: number; resolve(o: TriggerOutcome): void }[] =
    [];
  private nextId = 1;
  private closed = false;

  private readonly size: number;

  constructor(size: number) {
    this.size = size;
  }

  invoke(job: ModuleInvocation): Promise<TriggerOutcome> {
    if (this.closed) return Promise.resolve({ kind: "failed", reason: "ServiceException" });
    const deadline = Date.now() + job.timeoutMs;
    return new Promise((resolve) => {
      this.queue.push({ job, deadline, resolve });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let worker = this.idle.pop();
      if (!worker && this.all.size < this.size) worker = this.spawn();
      if (!worker) return;
      const next = this.queue.shift()!;
      const left = next.deadline - Date.now();
      if (left <= 0) {
        this.idle.push(worker);
        next.resolve(timedOut(next.job.timeoutMs));
        continue;
      }
      this.start(worker, next.job, next.deadline, left, next.resolve);
    }
  }

  private start(
    worker: PoolWorker,
    job: ModuleInvocation,
    deadline: number,
    left: number,
    resolve: (o: TriggerOutcome) => void,
  ): void {
    const id = this.nextId++;
    const timer = setTimeout(() => {
      // The handler is still running: end this worker (the pool makes a new one) and fail the call.
      worker.current = undefined;
      this.all.delete(worker);
      void worker.worker.terminate();
      resolve(timedOut(job.timeoutMs));
      this.pump();
    }, left);
    worker.current = { id, pending: { resolve, timer } };
    const request: WorkerRequest = {
      id,
      module: job.module,
      event: job.event,
      context: {
        functionName: job.functionName,
        invokedFunctionArn: job.arn,
        awsRequestId: job.requestId,
        deadline,
      },
    };
    worker.worker.postMessage(request);
  }

  private spawn(): PoolWorker {
    const w = new PoolWorker(
      (dead, code) => this.exited(dead, code),
      (from, reply) => this.replied(from, reply),
    );
    this.all.add(w);
    return w;
  }

  private replied(worker: PoolWorker, reply: WorkerReply): void {
    const current = worker.current;
    if (!current || current.id !== reply.id) return;
    worker.current = undefined;
    clearTimeout(current.pending.timer);
    if (reply.ok) {
      let result: unknown = null;
      if (reply.json !== undefined) result = JSON.parse(reply.json);
      current.pending.resolve({ kind: "ok", result });
    } else current.pending.resolve({ kind: "error", message: reply.message });
    if (!this.closed) this.idle.push(worker);
    this.pump();
  }

  private exited(worker: PoolWorker, code: number): void {
    // A worker that died (process.exit in the handler, an out-of-memory crash) fails its invocation
    // as Lambda reports a runtime that exited: the function's own error.
    this.all.delete(worker);
    const i = this.idle.indexOf(worker);
    if (i >= 0) this.idle.splice(i, 1);
    const current = worker.current;
    if (current) {
      worker.current = undefined;
      clearTimeout(current.pending.timer);
      current.pending.resolve({ kind: "error", message: `Runtime exited with error: exit status ${code}` });
    }
    if (!this.closed) this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.resolve({ kind: "failed", reason: "ServiceException" });
    await Promise.all([...this.all].map((w) => w.worker.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }
}

/** Cognito's words when a function does not answer in time. */
export const TIMEOUT_REASON = "Socket timeout while invoking Lambda function";

function timedOut(_timeoutMs: number): TriggerOutcome {
  return { kind: "failed", reason: TIMEOUT_REASON };
}
