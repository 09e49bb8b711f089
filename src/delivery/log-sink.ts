/**
 * The local end of the user pools' log export (SetLogDeliveryConfiguration). Lanyard reaches no
 * CloudWatch Logs, S3 or Firehose: each record goes, as one JSON line, to a file per pool and event
 * source (`<dir>/<poolId>.<eventSource>.jsonl`, readable by the owner only) or to stdout.
 */
import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { LogSink } from "../context.ts";

/** Appends each record to its pool's and event source's file; one write at a time per file. */
export class FileLogSink implements LogSink {
  private readonly dir: string;
  private ready: Promise<unknown> | undefined;
  private readonly tails = new Map<string, Promise<void>>();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** The file of a pool's event source. */
  fileOf(poolId: string, eventSource: string): string {
    if (!/^[\w-]+$/.test(poolId) || !/^\w+$/.test(eventSource)) throw new Error("unexpected log file name");
    return join(this.dir, `${poolId}.${eventSource}.jsonl`);
  }

  write(poolId: string, eventSource: string, record: object): Promise<void> {
    const file = this.fileOf(poolId, eventSource);
    const line = `${JSON.stringify(record)}\n`;
    this.ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 });
    const previous = this.tails.get(file) ?? this.ready;
    const next = previous.catch(() => {}).then(() => appendFile(file, line, { mode: 0o600 }));
    const tail = next.catch(() => {});
    this.tails.set(file, tail);
    void tail.then(() => {
      if (this.tails.get(file) === tail) this.tails.delete(file);
    });
    return next;
  }
}

/** Prints each record as one JSON line on stdout. */
export class StdoutLogSink implements LogSink {
  async write(_poolId: string, _eventSource: string, record: object): Promise<void> {
    process.stdout.write(`${JSON.stringify(record)}\n`);
  }
}
