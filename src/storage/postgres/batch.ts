/**
 * Batches point reads. Lookups of one kind (a pool by id, a user by username, ...) asked for while
 * the event loop handles one round of I/O are sent to PostgreSQL together, as one statement, once
 * that round is over (setImmediate). Under load this turns many round trips into a few; alone, a
 * lookup waits for nothing but the end of the current round.
 *
 * Every batched read is sent after it was asked for, so it sees everything committed before the
 * call, exactly as a read of its own would: nothing is cached, nothing is reused from an earlier read.
 */
import type { Row } from "./rows.ts";

interface Waiter {
  resolve(row: Row | undefined): void;
  reject(e: unknown): void;
}

export interface BatchSpec<K> {
  /** The identity of a key (lookups of one key share one answer). */
  id(key: K): string;
  /** The key's identity, read back from a row the statement returned. */
  rowId(row: Row): string;
  /** Fetches the rows of one or more distinct keys. */
  fetch(keys: K[]): Promise<Row[]>;
}

export class ReadBatcher<K> {
  private pending = new Map<string, { key: K; waiters: Waiter[] }>();
  private scheduled = false;
  private readonly spec: BatchSpec<K>;
  private readonly maxBatch: number;

  constructor(spec: BatchSpec<K>, maxBatch = 200) {
    this.spec = spec;
    this.maxBatch = maxBatch;
  }

  load(key: K): Promise<Row | undefined> {
    return new Promise((resolve, reject) => {
      const id = this.spec.id(key);
      const entry = this.pending.get(id);
      if (entry) entry.waiters.push({ resolve, reject });
      else this.pending.set(id, { key, waiters: [{ resolve, reject }] });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    for (let i = 0; i < batch.length; i += this.maxBatch) {
      const part = batch.slice(i, i + this.maxBatch);
      this.spec.fetch(part.map((p) => p.key)).then(
        (rows) => {
          const byId = new Map<string, Row>();
          for (const r of rows) byId.set(this.spec.rowId(r), r);
          for (const p of part) {
            const row = byId.get(this.spec.id(p.key));
            for (const w of p.waiters) w.resolve(row);
          }
        },
        (e) => {
          for (const p of part) for (const w of p.waiters) w.reject(e);
        },
      );
    }
  }
}
