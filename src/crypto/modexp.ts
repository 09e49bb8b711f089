/**
 * g^x mod N of the SRP group off the event loop, for the SRP verifiers that every password change
 * computes (srp.ts makeVerifier). Under a sustained stream of password writes (bulk user creation
 * in test suites) the exponentiation is most of each request's CPU on the main thread; a worker
 * thread (modexp-worker.ts) takes it over, and the main thread serves requests meanwhile.
 *
 * The worker is not always there: it starts when `START_RATE` exponentiations are asked for within
 * one second (a handful of sign-ups never start it, so a server in a test suite does not pay for a
 * thread), and stops after `IDLE_MS` without work. `pow` answers undefined when the worker is not ready, or when `MAX_QUEUED`
 * exponentiations already wait for it: the caller then computes on its own thread, so a burst uses
 * both the worker and the main thread and never queues without bound.
 */
import { Worker } from "node:worker_threads";
import { workerEnv } from "../workers.ts";

const START_RATE = 16;
const IDLE_MS = 15_000;
const MAX_QUEUED = 4;

interface Pending {
  resolve(value: bigint | undefined): void;
}

class ModexpWorker {
  private worker: Worker | undefined;
  private ready = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private windowStart = 0;
  private windowCount = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Exponentiations the worker answered, since the process started. */
  computed = 0;

  get running(): boolean {
    return this.ready;
  }

  /** g^exponent mod N from the worker, or undefined when the caller should compute it itself. */
  pow(exponent: bigint): Promise<bigint | undefined> | undefined {
    this.noteDemand();
    const worker = this.worker;
    if (!worker || !this.ready || this.pending.size >= MAX_QUEUED) return undefined;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      worker.postMessage({ id, exponent: exponent.toString(16) });
    });
  }

  /** Stops the worker (idle, or gone); a later burst starts it again. */
  private stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = false;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    for (const p of this.pending.values()) p.resolve(undefined);
    this.pending.clear();
    void worker?.terminate();
  }

  private noteDemand(): void {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    this.windowCount++;
    if (!this.worker && this.windowCount >= START_RATE) this.start();
    if (this.worker) {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.stop(), IDLE_MS);
      this.idleTimer.unref();
    }
  }

  private start(): void {
    const worker = new Worker(new URL("./modexp-worker.ts", import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
      env: workerEnv(),
      stdout: false,
      stderr: false,
    });
    worker.unref();
    this.worker = worker;
    worker.on("message", (m: { ready?: true; id?: number; value?: string }) => {
      if (m.ready) {
        this.ready = true;
        return;
      }
      const p = m.id === undefined ? undefined : this.pending.get(m.id);
      if (!p || m.id === undefined || m.value === undefined) return;
      this.pending.delete(m.id);
      this.computed++;
      p.resolve(BigInt("0x" + m.value));
    });
    // A worker that fails or exits answers its waiting callers with undefined: they compute the
    // value themselves. A later burst starts a new one.
    const gone = () => {
      if (this.worker !== worker) return;
      this.stop();
    };
    worker.on("error", gone);
    worker.on("exit", gone);
  }
}

const shared = new ModexpWorker();

/** g^exponent mod N (SRP group) computed off the event loop, or undefined: compute it yourself. */
export function powOfGOffThread(exponent: bigint): Promise<bigint | undefined> | undefined {
  return shared.pow(exponent);
}

/** Whether the worker is ready, and how many exponentiations it has answered (for metrics and tests). */
export function modexpStats(): { running: boolean; computed: number } {
  return { running: shared.running, computed: shared.computed };
}
