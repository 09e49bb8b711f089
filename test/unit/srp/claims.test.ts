import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import { describe, it } from "node:test";
import {
  formatTimestamp,
  g,
  isValidSrpA,
  k,
  makeVerifier,
  N,
  type SrpClaim,
  startSrp,
  verifySrpClaim,
} from "../../../src/crypto/srp.ts";
import { cognitoTimestamp, passwordVerifierResponses, startClientSrp } from "../../support/srp-client.ts";
import {
  POOL_ID,
  POOL_NAME,
  USERNAME,
  PASSWORD,
  bigintModPow,
  randomInt256,
  secretBlock,
  signedClaim,
} from "./setup.ts";

describe("SRP claims", () => {
  it("completes 200 random sign-ins with the test client", () => {
    for (let i = 0; i < 200; i++) {
      const username = i % 3 ? `user-${randomBytes(6).toString("hex")}` : `ü-${i}-☃`;
      const password = randomBytes(randomInt(6, 40)).toString("base64") + (i % 5 ? "" : "é😀");
      const verifier = makeVerifier(POOL_NAME, username, password);
      // A 1024-bit a as the JavaScript SDK draws it now and then; 256 bits (quicker) otherwise.
      const client = startClientSrp(i % 10 ? randomInt256() : undefined);
      const { b, B } = startSrp(verifier.verifier);
      const claim = signedClaim({ password, client, b, B, verifier, username });
      assert.equal(verifySrpClaim(claim), true, `round ${i}`);
    }
  });

  it("answers a PASSWORD_VERIFIER challenge from its parameters", () => {
    const verifier = makeVerifier(POOL_NAME, USERNAME, PASSWORD);
    const client = startClientSrp();
    const { b, B } = startSrp(verifier.verifier);
    const block = secretBlock();
    const now = new Date();
    const responses = passwordVerifierResponses({
      poolId: POOL_ID,
      password: PASSWORD,
      client,
      challengeParameters: {
        SALT: verifier.salt,
        SECRET_BLOCK: block,
        SRP_B: B,
        USERNAME: "alice",
        USER_ID_FOR_SRP: USERNAME,
      },
      now,
    });
    assert.equal(responses["USERNAME"], USERNAME);
    assert.equal(responses["PASSWORD_CLAIM_SECRET_BLOCK"], block);
    assert.equal(responses["TIMESTAMP"], formatTimestamp(now));
    assert.equal(
      verifySrpClaim({
        poolName: POOL_NAME,
        username: USERNAME,
        A: client.srpA,
        b,
        B,
        verifier: verifier.verifier,
        secretBlock: block,
        timestamp: responses["TIMESTAMP"]!,
        signature: responses["PASSWORD_CLAIM_SIGNATURE"]!,
      }),
      true,
    );
  });

  it("refuses a wrong password and any tampered part", () => {
    const verifier = makeVerifier(POOL_NAME, USERNAME, PASSWORD);
    const client = startClientSrp();
    const { b, B } = startSrp(verifier.verifier);
    const claim = signedClaim({ password: PASSWORD, client, b, B, verifier });
    assert.equal(verifySrpClaim(claim), true);

    assert.equal(verifySrpClaim(signedClaim({ password: `${PASSWORD} `, client, b, B, verifier })), false);
    assert.equal(verifySrpClaim(signedClaim({ password: "", client, b, B, verifier })), false);

    const sig = Buffer.from(claim.signature, "base64");
    sig[7]! ^= 1;
    const otherBlock = Buffer.from(claim.secretBlock, "base64");
    otherBlock[0]! ^= 0x80;
    const tampered: Partial<SrpClaim>[] = [
      { signature: sig.toString("base64") },
      { signature: claim.signature.slice(0, -4) },
      { signature: `${claim.signature}AAAA` },
      { signature: "" },
      { signature: `*${claim.signature.slice(1)}` },
      { timestamp: cognitoTimestamp(new Date(Date.now() + 1000)) },
      { timestamp: `${claim.timestamp} ` },
      { secretBlock: otherBlock.toString("base64") },
      { secretBlock: `${claim.secretBlock}AAAA` },
      { secretBlock: "not base64!" },
      { username: `${USERNAME}x` },
      { poolName: "AbC123xYy" },
      { verifier: makeVerifier(POOL_NAME, USERNAME, PASSWORD).verifier },
      { b: startSrp(verifier.verifier).b },
    ];
    for (const change of tampered)
      assert.equal(verifySrpClaim({ ...claim, ...change }), false, JSON.stringify(change));
    assert.equal(verifySrpClaim({ ...claim }), true);
  });

  it("refuses an A that is 0 mod N, too long or not hex", () => {
    const verifier = makeVerifier(POOL_NAME, USERNAME, PASSWORD);
    const { b, B } = startSrp(verifier.verifier);
    const claim = signedClaim({ password: PASSWORD, client: startClientSrp(), b, B, verifier });
    const bad = [
      "0",
      "00",
      N.toString(16),
      `00${N.toString(16)}`,
      (N * 2n).toString(16),
      "",
      "xyz",
      "-1",
      "0x12",
    ];
    bad.push("1".repeat(1025));
    for (const A of bad) {
      assert.equal(isValidSrpA(A), false, A.slice(0, 20));
      assert.equal(verifySrpClaim({ ...claim, A }), false, A.slice(0, 20));
    }
    // A = 1, A = N - 1 and A + N are usable as values, though no honest client sends them.
    for (const A of ["1", (N - 1n).toString(16), (N + 1n).toString(16)]) assert.equal(isValidSrpA(A), true);
    assert.equal(isValidSrpA(claim.A), true);
    assert.equal(isValidSrpA(`0${claim.A.toUpperCase()}`), true);
    // An A with a leading zero digit and upper-case digits (as .NET writes it) is the same A.
    const upper = signedClaim({ password: PASSWORD, client: startClientSrp(), b, B, verifier });
    assert.equal(verifySrpClaim({ ...upper, A: `0${upper.A.toUpperCase()}` }), true);
  });

  it("draws a fresh b and B for every challenge", () => {
    const verifier = makeVerifier(POOL_NAME, USERNAME, PASSWORD);
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const { b, B } = startSrp(verifier.verifier);
      assert.match(b, /^[0-9a-f]+$/);
      assert.match(B, /^[1-9a-f][0-9a-f]*$/);
      const v = BigInt(`0x${verifier.verifier}`);
      assert.equal(BigInt(`0x${B}`), (k * v + bigintModPow(g, BigInt(`0x${b}`))) % N);
      seen.add(B);
    }
    assert.equal(seen.size, 5);
  });
});
