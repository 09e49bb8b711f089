import assert from "node:assert/strict";
import { getDiffieHellman, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import {
  checkTimestamp,
  fakeVerifier,
  formatTimestamp,
  g,
  k,
  makeVerifier,
  modPow,
  N,
  padHex,
  startSrp,
  TIMESTAMP_TOLERANCE_MS,
  verifySrpClaim,
} from "../../../src/crypto/srp.ts";
import { cognitoTimestamp, startClientSrp } from "../../support/srp-client.ts";
import {
  lib,
  toLib,
  fromLib,
  POOL_ID,
  POOL_NAME,
  USERNAME,
  PASSWORD,
  template,
  bigintModPow,
  randomInt256,
  signedClaim,
} from "./setup.ts";

describe("SRP group and encodings", () => {
  it("uses RFC 3526 group 15 and the library's N, g and k", () => {
    assert.equal(N, BigInt(`0x${getDiffieHellman("modp15").getPrime("hex")}`));
    assert.equal(N, fromLib(template.N));
    assert.equal(g, fromLib(template.g));
    assert.equal(k, fromLib(template.k));
  });

  it("pads hex as the library's padHex does", () => {
    const values = [0n, 1n, 0x7fn, 0x80n, 0xffn, 0x100n, 0xfffn, 0x8000n, 0x0f00n, N, N - 1n, k];
    for (let bits = 1; bits <= 300; bits++) {
      const top = 1n << BigInt(bits - 1);
      values.push(top, top + (BigInt(`0x${randomBytes(Math.ceil(bits / 8)).toString("hex")}`) % top));
    }
    for (const v of values) assert.equal(padHex(v), template.padHex(toLib(v)).toLowerCase(), v.toString(16));
  });

  it("computes modPow in OpenSSL with the same results as BigInt arithmetic", () => {
    const cases: [bigint, bigint][] = [
      [2n, 1n],
      [2n, 0n],
      [0n, 5n],
      [1n, randomInt256()],
      [N - 1n, 3n],
      [N - 1n, 4n],
      [N, 7n],
      [N + 5n, 3n],
      [-3n, 5n],
      [5n, N + 11n],
    ];
    for (let i = 0; i < 20; i++)
      cases.push([BigInt(`0x${randomBytes(384).toString("hex")}`), randomInt256()]);
    for (let i = 0; i < 5; i++) cases.push([g, randomInt256()]);
    for (const [base, exponent] of cases) assert.equal(modPow(base, exponent), bigintModPow(base, exponent));
  });
});

describe("SRP TIMESTAMP", () => {
  const instants = [
    "2018-09-25T00:09:40Z",
    "2017-04-05T22:42:34Z",
    "2026-01-01T00:00:00Z",
    "2026-02-09T09:05:07Z",
    "2024-02-29T23:59:59Z",
    "2026-12-31T12:30:01Z",
  ];

  it("is written as the library's DateHelper writes it", (t) => {
    for (const iso of instants) {
      const at = new Date(iso);
      t.mock.timers.enable({ apis: ["Date"], now: at.getTime() });
      const expected = new lib.DateHelper().getNowString();
      t.mock.timers.reset();
      assert.equal(formatTimestamp(at), expected);
      assert.equal(cognitoTimestamp(at), expected);
    }
    assert.equal(formatTimestamp(new Date("2017-04-05T22:42:34Z")), "Wed Apr 5 22:42:34 UTC 2017");
  });

  it("accepts a timestamp near the server's clock and rejects other forms", () => {
    const now = new Date("2026-02-09T09:05:07Z");
    assert.equal(checkTimestamp("Mon Feb 9 09:05:07 UTC 2026", now), "ok");
    assert.equal(checkTimestamp("Mon Feb 9 09:03:07 UTC 2026", now), "ok");
    assert.equal(checkTimestamp("Mon Feb 9 09:08:07 UTC 2026", now), "ok");
    assert.equal(
      checkTimestamp(formatTimestamp(new Date(now.getTime() - TIMESTAMP_TOLERANCE_MS)), now),
      "ok",
    );
    assert.equal(
      checkTimestamp(formatTimestamp(new Date(now.getTime() + TIMESTAMP_TOLERANCE_MS + 1000)), now),
      "rejected",
    );
    assert.equal(checkTimestamp("Mon Feb 9 08:05:07 UTC 2026", now), "rejected");
    assert.equal(checkTimestamp("Mon Feb 9 09:05:07 UTC 2026", now, 0), "ok");
    assert.equal(checkTimestamp("Mon Feb 9 09:05:08 UTC 2026", now, 0), "rejected");
    // Readable, but not as the clients write it: Cognito answers NotAuthorizedException.
    assert.equal(checkTimestamp("Mon Feb 09 09:05:07 UTC 2026", now), "rejected");
    assert.equal(checkTimestamp("Tue Feb 9 09:05:07 UTC 2026", now), "rejected");
    assert.equal(checkTimestamp("Mon Feb 9 9:05:07 UTC 2026", now), "rejected");
    assert.equal(checkTimestamp("Mon Feb 9 09:05:07 GMT 2026", now), "rejected");
    assert.equal(checkTimestamp("Mon Feb 9 09:05:07 PST 2026", now), "rejected");
    assert.equal(checkTimestamp("Wed Feb 31 09:05:07 UTC 2026", now), "rejected");
    assert.equal(checkTimestamp("Mon Feb 9 24:05:07 UTC 2026", now), "rejected");
    // Not of the form: InvalidParameterException.
    for (const bad of [
      "",
      "2026-02-09T09:05:07Z",
      "Mon, 09 Feb 2026 09:05:07 GMT",
      "Lun Feb 9 09:05:07 UTC 2026",
      "Mon Fév 9 09:05:07 UTC 2026",
      "mon feb 9 09:05:07 UTC 2026",
      "Mon Feb 9 09:05:07 2026",
      "Mon Feb 9 09:05:07 +00:00 2026",
      "Mon Feb  9 09:05:07 UTC 2026",
      " Mon Feb 9 09:05:07 UTC 2026",
      "Mon Feb 9 09:05:07 UTC 2026\n",
    ]) {
      assert.equal(checkTimestamp(bad, now), "malformed", JSON.stringify(bad));
    }
  });
});

describe("SRP verifiers", () => {
  it("makes a fresh salt per call, in Cognito's bare hex form", () => {
    const one = makeVerifier(POOL_NAME, USERNAME, PASSWORD);
    const two = makeVerifier(POOL_NAME, USERNAME, PASSWORD);
    assert.notEqual(one.salt, two.salt);
    assert.notEqual(one.verifier, two.verifier);
    for (const v of [one, two]) {
      assert.match(v.salt, /^[1-9a-f][0-9a-f]{0,31}$/);
      assert.match(v.verifier, /^[1-9a-f][0-9a-f]*$/);
      assert.ok(BigInt(`0x${v.verifier}`) < N);
    }
  });

  it("makes fake verifiers stable per pool and username, shaped like real ones", () => {
    const secret = randomBytes(32);
    const one = fakeVerifier(POOL_ID, "nobody", secret);
    assert.deepEqual(fakeVerifier(POOL_ID, "nobody", secret), one);
    assert.notDeepEqual(fakeVerifier(POOL_ID, "nobody2", secret), one);
    assert.notDeepEqual(fakeVerifier("us-east-1_Other1234", "nobody", secret), one);
    assert.notDeepEqual(fakeVerifier(POOL_ID, "nobody", randomBytes(32)), one);
    assert.match(one.salt, /^[1-9a-f][0-9a-f]{0,31}$/);
    assert.match(one.verifier, /^[1-9a-f][0-9a-f]*$/);

    // A challenge for an unknown user runs like any other, and no password answers it.
    const client = startClientSrp();
    const { b, B } = startSrp(one.verifier);
    const claim = signedClaim({ password: PASSWORD, client, b, B, verifier: one });
    assert.equal(verifySrpClaim(claim), false);
  });
});
