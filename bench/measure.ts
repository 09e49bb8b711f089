/** Runs the workloads against one server at one size and records what it measured. */
import { type Client, type LoadOptions, runLoad } from "./load.ts";
import { type Measurement, NOISY_CPU, type ServerName, takeFailures } from "./report.ts";
import { machineBusySeconds, machineDiskReadBytes, type RunningServer, waitForQuiet } from "./servers.ts";
import { collectLaterPages, prefixesFor, type Target, type Workload } from "./workloads.ts";

export interface MeasureSettings {
  sizes: number[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  creates: number;
  createWarmup: number;
  /** Longest wait, before each workload, for other processes to leave the CPUs alone... */
  quietWaitMs: number;
  /** ...and the most all those waits may take together (per server). */
  quietBudgetMs: number;
  /** Runs of one workload at most, while other processes disturb it (the least disturbed is kept)... */
  attempts: number;
  /** ...and the most all those extra runs may take together (per server). */
  retryBudgetMs: number;
  /** Runs of AdminGetUser at each size (--million: of every workload), of which the median counts. */
  rounds: number;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

export class Bench {
  private readonly measurements: Measurement[];
  private readonly settings: MeasureSettings;
  /** The workloads in the order they run. */
  readonly order: Workload[];
  private readonly log: (line: string) => void;
  private quietLeftMs: number;
  private retryLeftMs: number;

  /** One per server: the wait and retry budgets are each server's own. Results go to `measurements`. */
  constructor(
    settings: MeasureSettings,
    workloads: Workload[],
    measurements: Measurement[],
    log: (line: string) => void,
  ) {
    this.settings = settings;
    this.measurements = measurements;
    // Creations run last, so every other workload sees exactly the seeded users.
    this.order = [...workloads.filter((w) => !w.counted), ...workloads.filter((w) => w.counted)];
    this.log = log;
    this.quietLeftMs = settings.quietBudgetMs;
    this.retryLeftMs = settings.retryBudgetMs;
  }

  async runAll(
    server: RunningServer,
    client: Client,
    poolId: string,
    users: number,
    clientId?: string,
  ): Promise<void> {
    const target = await this.target(client, poolId, users, clientId);
    for (const w of this.order)
      for (let round = 1; round <= (w.key === "get" ? this.settings.rounds : 1); round++)
        await this.measure(server, client, w, target);
  }

  /** What the workloads run against in one pool (walking ListUsers for the later pages' tokens). */
  async target(client: Client, poolId: string, users: number, clientId?: string): Promise<Target> {
    const prefixes = prefixesFor(this.settings.sizes[0]);
    const target: Target = { poolId, clientId, users, laterPages: [], laterLabel: "", prefixes };
    if (this.order.some((w) => w.key === "list-later"))
      Object.assign(target, await collectLaterPages(client, poolId, users));
    return target;
  }

  /**
   * One workload against one pool, measured again (within the budgets) while others disturb it.
   * `prepare` runs before each attempt's warm-up, once the machine is quiet.
   */
  async measure(
    server: RunningServer,
    client: Client,
    w: Workload,
    target: Target,
    prepare?: () => void,
  ): Promise<void> {
    let best: Measurement | undefined;
    const discarded: Measurement[] = [];
    for (let attempt = 1; attempt <= this.settings.attempts; attempt++) {
      const started = Date.now();
      const m = await this.attempt(server, client, w, target, prepare);
      if (attempt > 1) this.retryLeftMs -= Date.now() - started;
      if (!best || m.otherCpu < best.otherCpu) {
        if (best) discarded.push(best);
        best = m;
      } else discarded.push(m);
      if (best.otherCpu <= NOISY_CPU || this.retryLeftMs <= 0 || attempt === this.settings.attempts) break;
      this.log(`    (other processes took ${fmt(m.otherCpu)}% of a core: measuring ${w.key} again)`);
    }
    const kept = best!;
    takeFailures(kept, discarded, "discarded run");
    kept.attempts = discarded.length + 1;
    this.measurements.push(kept);
  }

  private async attempt(
    server: RunningServer,
    client: Client,
    w: Workload,
    target: Target,
    prepare?: () => void,
  ): Promise<Measurement> {
    const { concurrency, warmupMs, durationMs, creates, createWarmup, quietWaitMs } = this.settings;
    const next = w.make(target);
    const waitStarted = Date.now();
    const calm = await waitForQuiet(Math.min(quietWaitMs, this.quietLeftMs));
    this.quietLeftMs = Math.max(0, this.quietLeftMs - (Date.now() - waitStarted));
    if (!calm.quiet)
      this.log(`  (machine not quiet before ${w.key}: ${fmt(calm.busy)}% of a core busy elsewhere)`);
    prepare?.();
    const warm = await runLoad(
      client,
      next,
      w.counted ? { concurrency, count: createWarmup } : { concurrency, durationMs: warmupMs },
    );
    const options: LoadOptions = w.counted ? { concurrency, count: creates } : { concurrency, durationMs };
    const cpuBefore = server.cpuSeconds();
    const busyBefore = machineBusySeconds();
    const readBefore = machineDiskReadBytes();
    const result = await runLoad(client, next, options);
    const diskReadBytes = machineDiskReadBytes() - readBefore;
    const seconds = result.elapsedMs / 1000;
    const serverCpu = ((server.cpuSeconds() - cpuBefore) / seconds) * 100;
    const machine = ((machineBusySeconds() - busyBefore) / seconds) * 100;
    const otherCpu = Math.max(0, machine - serverCpu - result.loadCpu);
    // Warm-up answers are checked too: a wrong one counts as an error of the run.
    for (const [kind, n] of Object.entries(warm.errors)) {
      result.errors[`warm-up ${kind}`] = n;
      result.requests += n;
    }
    result.examples.push(...warm.examples);
    const name = server.name as ServerName;
    const m: Measurement = {
      server: name,
      users: target.users,
      workload: w.key,
      result,
      serverCpu,
      otherCpu,
      diskReadBytes,
    };
    if (w.key === "list-later") m.note = target.laterLabel;
    this.log(
      `  ${w.key.padEnd(13)} ${fmt(result.rps).padStart(7)} req/s  p50 ${result.p50.toFixed(2)} ms  ` +
        `p99 ${result.p99.toFixed(2)} ms  ${fmt(result.requests)} requests, ${result.requests - result.ok} errors, ` +
        `cpu server ${fmt(serverCpu)}% / load ${fmt(result.loadCpu)}% / other ${fmt(otherCpu)}%, ` +
        `disk reads ${(diskReadBytes / 2 ** 20).toFixed(1)} MiB`,
    );
    for (const e of result.examples) this.log(`    ! ${e}`);
    return m;
  }
}
