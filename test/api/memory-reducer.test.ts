/**
 * After a busy spell and a quiet one, the server gives memory back (src/memory-reducer.ts): one
 * memory-reducing collection shrinks V8's heap (the young generation grown by the start-up and the
 * requests), and the server answers as before.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ListUserPoolsCommand } from "@aws-sdk/client-cognito-identity-provider";
import { startServer, type TestServer } from "../support/server.ts";

/** The server's heapTotal, from the memory line it prints on SIGUSR2. */
async function heapTotal(server: TestServer): Promise<number> {
  const seen = server.logs().split("lanyard: memory ").length;
  server.process.kill("SIGUSR2");
  for (let i = 0; i < 100; i++) {
    const parts = server.logs().split("lanyard: memory ");
    if (parts.length > seen)
      return (JSON.parse(parts.at(-1)!.split("\n")[0]!) as NodeJS.MemoryUsage).heapTotal;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("no memory line on stderr");
}

test("a quiet spell after requests shrinks the heap, and the server still answers", async () => {
  const server = await startServer();
  try {
    const client = server.client();
    await Promise.all(
      Array.from({ length: 200 }, () => client.send(new ListUserPoolsCommand({ MaxResults: 10 }))),
    );
    const busy = await heapTotal(server);
    await new Promise((r) => setTimeout(r, 6_000));
    const quiet = await heapTotal(server);
    assert.ok(
      quiet < busy - 4 * 2 ** 20,
      `heapTotal ${(busy / 2 ** 20).toFixed(1)} MiB when busy, ${(quiet / 2 ** 20).toFixed(1)} MiB after the quiet spell`,
    );
    const { UserPools } = await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.deepEqual(UserPools, []);
  } finally {
    await server.stop();
  }
});
