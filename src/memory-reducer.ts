/**
 * Gives memory back when the server goes quiet.
 *
 * Under load V8 grows its young generation to its limit (two 8 MB semi-spaces, see bin/lanyard.js)
 * and lets the old generation fill with garbage until a full collection is due; left alone, both
 * stay resident while the server idles. After a busy spell followed by `quietMs` without a request,
 * one memory-reducing full collection (V8's "last resort" collection: it shrinks the young
 * generation and releases free pages) runs; so does one when, without a request, the heap grew
 * by 8 MB since the last one and then held still for an interval (the end of the start-up or of
 * background work). It runs once per busy spell, never during one, so it
 * costs no request anything unless one arrives during the collection itself (tens of milliseconds
 * on a small heap).
 *
 * V8 exposes that collection only through `gc()`; it is taken into a separate context so that
 * application code and trigger modules do not see a global `gc`.
 */
import type { Server } from "node:net";
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Growth of the heap, with no request, that owes a collection. */
const GROWTH = 8 * 2 ** 20;

type Gc = (options: { type: "major"; execution: "sync"; flavor: "last-resort" }) => void;

function takeGc(): Gc | undefined {
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    return typeof gc === "function" ? (gc as Gc) : undefined;
  } catch {
    return undefined;
  }
}

export interface MemoryReducer {
  stop(): void;
}

/** Watches `server`'s requests; the first check after start counts as the end of a busy spell. */
export function startMemoryReducer(server: Server, quietMs = 2000): MemoryReducer {
  const gc = takeGc();
  if (!gc) return { stop() {} };
  let busy = false;
  let owed = true;
  const onRequest = () => {
    busy = true;
  };
  server.on("request", onRequest);
  // The heap's size after the last collection: work done without a request (the end of the
  // start-up, an import job, the purge) that grew it by GROWTH since then also owes one.
  // Only once the heap's size held still for a whole interval, so that a long job is not
  // interrupted every interval.
  let settled = Number.POSITIVE_INFINITY;
  let last = 0;
  const timer = setInterval(() => {
    const size = getHeapStatistics().total_heap_size;
    const grew = size > settled + GROWTH && size === last;
    last = size;
    if (busy) {
      busy = false;
      owed = true;
    } else if (owed || grew) {
      owed = false;
      gc({ type: "major", execution: "sync", flavor: "last-resort" });
      settled = last = getHeapStatistics().total_heap_size;
    }
  }, quietMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      server.off("request", onRequest);
    },
  };
}
