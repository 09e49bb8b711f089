import type { Delivery, OutgoingMessage } from "./delivery.ts";

/** Which messages of the inbox a caller wants; every given field must match. */
export interface InboxFilter {
  poolId?: string;
  username?: string;
  /** Email address (compared without regard to case) or phone number. */
  destination?: string;
}

/**
 * An opt-in delivery for test suites: keeps every message in process memory (never in the
 * database, never in the log) so a test can read the code it was sent through
 * `GET /_lanyard/inbox`. It is a development aid: messages are lost on restart, and only the newest
 * `capacity` are kept.
 */
export class InboxDelivery implements Delivery {
  private messages: OutgoingMessage[] = [];
  private readonly capacity: number;

  constructor(capacity = 1000) {
    this.capacity = capacity;
  }

  async send(message: OutgoingMessage): Promise<void> {
    this.messages.push({ ...message });
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
  }

  /** Matching messages, newest first. */
  list(filter: InboxFilter = {}): OutgoingMessage[] {
    return this.messages.filter((m) => matches(m, filter)).reverse();
  }

  /** Removes the matching messages; returns how many. */
  clear(filter: InboxFilter = {}): number {
    const before = this.messages.length;
    this.messages = this.messages.filter((m) => !matches(m, filter));
    return before - this.messages.length;
  }
}

function matches(m: OutgoingMessage, f: InboxFilter): boolean {
  if (f.poolId !== undefined && m.poolId !== f.poolId) return false;
  if (f.username !== undefined && m.username !== f.username) return false;
  if (f.destination !== undefined && m.destination.toLowerCase() !== f.destination.toLowerCase())
    return false;
  return true;
}

/** The filter from a query string (`poolId`, `username`, `destination`); empty values are ignored. */
export function inboxFilter(query: URLSearchParams): InboxFilter {
  const f: InboxFilter = {};
  for (const key of ["poolId", "username", "destination"] as const) {
    const v = query.get(key);
    if (v) f[key] = v;
  }
  return f;
}
