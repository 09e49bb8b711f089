import assert from "node:assert/strict";
import { test } from "node:test";
import type { LoadResult } from "../../bench/load.ts";
import { checks, type Measurement, medianOfRounds } from "../../bench/report.ts";

function run(users: number, workload: string, rps: number, errors: Record<string, number> = {}): Measurement {
  const failed = Object.values(errors).reduce((a, b) => a + b, 0);
  const result: LoadResult = {
    requests: 1000,
    ok: 1000 - failed,
    errors,
    examples: failed > 0 ? [`${workload} failed`] : [],
    elapsedMs: 1000,
    rps,
    p50: 1000 / rps,
    p99: 2000 / rps,
    max: 3000 / rps,
    loadCpu: 80,
  };
  return { server: "lanyard", users, workload, result, serverCpu: 100, otherCpu: 0 };
}

test("rounds of one workload at one size become their median, with every round's rate", () => {
  const all = [run(10, "get", 9000), run(20, "get", 7000), run(10, "get", 12000), run(10, "get", 8000)];
  const shown = medianOfRounds(all);
  assert.equal(shown.length, 2);
  const [ten, twenty] = shown;
  assert.equal(ten!.result.rps, 9000);
  assert.deepEqual(ten!.rounds, [9000, 12000, 8000]);
  // A workload measured once is left as it was.
  assert.equal(twenty, all[1]);
  assert.equal(twenty!.rounds, undefined);
  // The inputs are not changed.
  assert.equal(all[0]!.rounds, undefined);
});

test("a wrong answer in any round fails the checks", () => {
  const shown = medianOfRounds([
    run(10, "get", 9500),
    run(10, "get", 9600, { "HTTP 500": 2 }),
    run(10, "get", 9700),
  ]);
  assert.equal(shown[0]!.result.rps, 9600);
  const verdicts = checks(shown, [], [10], false);
  const answers = verdicts.find((c) => c.name.includes("every answer"));
  assert.equal(answers?.status, "FAIL");
  // The round kept is not the one that failed: the others' errors are carried over too.
  const kept = medianOfRounds([
    run(10, "get", 9500, { "HTTP 500": 1 }),
    run(10, "get", 9600),
    run(10, "get", 9700),
  ])[0]!;
  assert.equal(kept.result.errors["another round: HTTP 500"], 1);
  assert.equal(kept.result.requests - kept.result.ok, 1);
});

test("the rate check takes the median, not the best round", () => {
  const shown = medianOfRounds([run(10, "get", 12000), run(10, "get", 8500), run(10, "get", 8800)]);
  const rate = checks(shown, [], [10], false).find((c) => c.name.includes(">= 9,000 req/s"));
  assert.equal(rate?.status, "FAIL");
  assert.match(rate!.detail, /8,800 req\/s \(median of 3 runs: 12,000, 8,500, 8,800\)/);
});
