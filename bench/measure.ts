/** Runs the workloads against one server at one size and records what it measured. */
import { type Client, type LoadOptions, runLoad } from "./load.ts";
import type { Measurement, ServerName } from "./report.ts";
import { machineBusySeconds, type RunningServer, waitForQuiet } from "./servers.ts";
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
  /** ...and the most all those waits may take together. */
  quietBudgetMs: number;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

export class Bench {
  readonly measurements: Measurement[] = [];
  private readonly settings: MeasureSettings;
  private readonly order: Workload[];
  private readonly log: (line: string) => void;
  private quietLeftMs: number;

  constructor(settings: MeasureSettings, workloads: Workload[], log: (line: string) => void) {
    this.settings = settings;
    // Creations run last, so every other workload sees exactly the seeded users.
    this.order = [...workloads.filter((w) => !w.counted), ...workloads.filter((w) => w.counted)];
    this.log = log;
    this.quietLeftMs = settings.quietBudgetMs;
  }

  async runAll(server: RunningServer, client: Client, poolId: string, users: number): Promise<void> {
    const prefixes = prefixesFor(this.settings.sizes[0]);
    const target: Target = { poolId, users, laterPages: [], laterLabel: "", prefixes };
    if (this.order.some((w) => w.key === "list-later"))
      Object.assign(target, await collectLaterPages(client, poolId, users));
    for (const w of this.order) await this.measure(server, client, w, target);
  }

  private async measure(server: RunningServer, client: Client, w: Workload, target: Target): Promise<void> {
    const { concurrency, warmupMs, durationMs, creates, createWarmup, quietWaitMs } = this.settings;
    const next = w.make(target);
    const waitStarted = Date.now();
    const calm = await waitForQuiet(Math.min(quietWaitMs, this.quietLeftMs));
    this.quietLeftMs = Math.max(0, this.quietLeftMs - (Date.now() - waitStarted));
    if (!calm.quiet)
      this.log(`  (machine not quiet before ${w.key}: ${fmt(calm.busy)}% of a core busy elsewhere)`);
    const warm = await runLoad(
      client,
      next,
      w.counted ? { concurrency, count: createWarmup } : { concurrency, durationMs: warmupMs },
    );
    const options: LoadOptions = w.counted ? { concurrency, count: creates } : { concurrency, durationMs };
    const cpuBefore = server.cpuSeconds();
    const busyBefore = machineBusySeconds();
    const result = await runLoad(client, next, options);
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
    const server_ = server.name as ServerName;
    const m: Measurement = {
      server: server_,
      users: target.users,
      workload: w.key,
      result,
      serverCpu,
      otherCpu,
    };
    if (w.key === "list-later") m.note = target.laterLabel;
    this.measurements.push(m);
    this.log(
      `  ${w.key.padEnd(13)} ${fmt(result.rps).padStart(7)} req/s  p50 ${result.p50.toFixed(2)} ms  ` +
        `p99 ${result.p99.toFixed(2)} ms  ${fmt(result.requests)} requests, ${result.requests - result.ok} errors, ` +
        `cpu server ${fmt(serverCpu)}% / load ${fmt(result.loadCpu)}% / other ${fmt(otherCpu)}%`,
    );
    for (const e of result.examples) this.log(`    ! ${e}`);
  }
}
