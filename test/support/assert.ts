import assert from "node:assert/strict";

/** Asserts that p rejects with the AWS error `name`, HTTP status and (optionally) message. */
export async function rejectsWith(
  p: Promise<unknown>,
  name: string,
  status: number,
  message?: RegExp,
): Promise<void> {
  await assert.rejects(p, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, status);
    if (message) assert.match(e.message, message);
    return true;
  });
}
