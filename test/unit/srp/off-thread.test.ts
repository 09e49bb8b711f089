/** makeVerifierOffThread: the same verifiers whether the modexp worker thread computes them or not. */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { modexpStats } from "../../../src/crypto/modexp.ts";
import { makeVerifierOffThread, startSrp, verifySrpClaim } from "../../../src/crypto/srp.ts";
import { startClientSrp } from "../../support/srp-client.ts";
import { POOL_NAME, signedClaim } from "./setup.ts";

async function checkVerifiers(count: number, label: string): Promise<void> {
  const made = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const username = `user-${label}-${i}`;
      const password = `Passw0rd-${label}-${i}!`;
      return { username, password, verifier: await makeVerifierOffThread(POOL_NAME, username, password) };
    }),
  );
  for (const { username, password, verifier } of made) {
    const client = startClientSrp();
    const { b, B } = startSrp(verifier.verifier);
    const claim = signedClaim({ password, client, b, B, verifier, username });
    assert.equal(verifySrpClaim(claim), true, `${label}: ${username}`);
  }
}

describe("SRP verifiers off the event loop", () => {
  it("makes verifiers a client signs in with, before, while and after the worker thread runs", async () => {
    // A few: computed on this thread (the worker starts only under a stream of them).
    await checkVerifiers(3, "few");
    assert.deepEqual(modexpStats(), { running: false, computed: 0 });
    // A burst starts the worker; it is ready at once and takes them over.
    await checkVerifiers(40, "burst");
    await sleep(500);
    assert.equal(modexpStats().running, true);
    await checkVerifiers(40, "worker");
    assert.ok(modexpStats().computed > 0, "the worker computed some of them");
  });
});
