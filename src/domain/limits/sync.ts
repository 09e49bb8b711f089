/**
 * Shares the limits among the instances on one database: each instance that enforces limits beats
 * a heartbeat every BEAT_MS, counts the instances that beat within LIVE_MS, and reads the
 * provisioned limits; its limiter then holds each limit divided by that count. An instance that stops
 * leaves at once; one that dies stops counting after LIVE_MS.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "../../context.ts";
import type { Storage } from "../../storage/storage.ts";
import type { RateLimiter } from "./limiter.ts";

export const BEAT_MS = 2_000;
export const LIVE_MS = 3 * BEAT_MS;

export async function startLimitsSync(storage: Storage, limiter: RateLimiter, logger: Logger): Promise<void> {
  const id = randomUUID();
  let stopped = false;
  const sync = async () => {
    const now = Date.now();
    await storage.transaction((tx) => tx.limits.beat(id, now, now - 10 * LIVE_MS));
    const [provisioned, instances] = await Promise.all([
      storage.limits.listProvisionedLimits(),
      storage.limits.liveInstances(now - LIVE_MS),
    ]);
    if (!stopped) limiter.update(provisioned, instances);
  };
  await sync();
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = sync()
      .catch((e: unknown) => logger.warn("rate limits: sync failed", { error: String(e) }))
      .finally(() => (running = undefined));
  }, BEAT_MS);
  timer.unref();
  limiter.onClose = async () => {
    stopped = true;
    clearInterval(timer);
    await running;
    await storage.transaction((tx) => tx.limits.leave(id)).catch(() => {});
  };
}
