/**
 * Reads the in-memory inbox of a server started with `--delivery inbox`, and moves the clock of one
 * started with `--enable-test-clock`.
 */
import type { TestServer } from "./server.ts";

export interface InboxMessage {
  poolId: string;
  username: string;
  channel: "EMAIL" | "SMS";
  destination: string;
  subject?: string;
  body: string;
  purpose: string;
  code: string;
  sentAt: number;
}

export type InboxQuery = { poolId?: string; username?: string; destination?: string };

/** The matching messages, newest first. */
export async function inbox(server: TestServer, query: InboxQuery = {}): Promise<InboxMessage[]> {
  const q = new URLSearchParams(
    Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const res = await fetch(`${server.url}/_lanyard/inbox?${q}`);
  if (res.status !== 200) throw new Error(`inbox answered ${res.status}`);
  return ((await res.json()) as { messages: InboxMessage[] }).messages;
}

/** The code of the newest matching message; fails when there is none. */
export async function latestCode(server: TestServer, query: InboxQuery): Promise<string> {
  const [newest] = await inbox(server, query);
  if (!newest) throw new Error(`no message for ${JSON.stringify(query)}`);
  return newest.code;
}

/** Sets the server clock's offset from real time (ms). */
export async function setClockOffset(server: TestServer, offsetMs: number): Promise<void> {
  const res = await fetch(`${server.url}/_lanyard/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ offsetMs }),
  });
  if (res.status !== 200) throw new Error(`clock answered ${res.status}`);
}
