/**
 * After a busy spell and a quiet one, the server gives memory back (src/memory-reducer.ts): one
 * memory-reducing collection shrinks V8's young generation (grown to its 16 MB by the start-up and
 * the requests, and kept at that size by V8 otherwise), and the server answers as before.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ListUserPoolsCommand } from "@aws-sdk/client-cognito-identity-provider";
import { startServer, type TestServer } from "../support/server.ts";

const MARK = "lanyard: heap spaces ";

/** The size of V8's young generation, from the heap-spaces line the server prints on SIGUSR2. */
async function newSpace(server: TestServer): Promise<number> {
  const seen = server.logs().split(MARK).length;
  server.process.kill("SIGUSR2");
  for (let i = 0; i < 250; i++) {
    const parts = server.logs().split(MARK);
    if (parts.length > seen) {
      const spaces = JSON.parse(parts.at(-1)!.split("\n")[0]!) as Record<string, number>;
      return spaces.new_space!;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("no heap spaces line on stderr");
}

test("a quiet spell after requests shrinks the young generation, and the server still answers", async () => {
  const server = await startServer();
  try {
    const client = server.client();
    for (let round = 0; round < 4; round++)
      await Promise.all(
        Array.from({ length: 100 }, () => client.send(new ListUserPoolsCommand({ MaxResults: 10 }))),
      );
    // The reducer runs 2-4 s after the last request; 8 s leaves room for a loaded machine.
    await new Promise((r) => setTimeout(r, 8_000));
    const quiet = await newSpace(server);
    assert.ok(
      quiet <= 4 * 2 ** 20,
      `young generation ${(quiet / 2 ** 20).toFixed(1)} MiB after the quiet spell`,
    );
    const { UserPools } = await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.deepEqual(UserPools, []);
  } finally {
    await server.stop();
  }
});
