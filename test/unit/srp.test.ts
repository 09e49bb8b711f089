import assert from "node:assert/strict";
import { createHash, createHmac, getDiffieHellman, randomBytes, randomInt } from "node:crypto";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import {
  checkTimestamp,
  fakeVerifier,
  formatTimestamp,
  g,
  isValidSrpA,
  k,
  makeVerifier,
  modPow,
  N,
  padHex,
  type SrpClaim,
  startSrp,
  TIMESTAMP_TOLERANCE_MS,
  verifySrpClaim,
} from "../../src/crypto/srp.ts";
import {
  cognitoTimestamp,
  passwordClaimSignature,
  passwordVerifierResponses,
  startClientSrp,
} from "../support/srp-client.ts";

// ---------------------------------------------------------------------------------------------
// amazon-cognito-identity-js, loaded as CommonJS; its AuthenticationHelper and DateHelper are
// exported at run time but not declared in its typings, so the parts used here are typed below.
// ---------------------------------------------------------------------------------------------

interface LibBigInteger {
  toString(radix: number): string;
}
interface LibAuthenticationHelper {
  N: LibBigInteger;
  g: LibBigInteger;
  k: LibBigInteger;
  smallAValue: LibBigInteger;
  largeAValue: LibBigInteger;
  padHex(n: LibBigInteger): string;
  calculateU(A: LibBigInteger, B: LibBigInteger): LibBigInteger;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    serverB: LibBigInteger,
    salt: LibBigInteger,
    callback: (err: unknown, key: Uint8Array) => void,
  ): void;
}
type Callback = (err: unknown, data?: unknown) => void;
interface LibUser {
  client: { request(operation: string, params: Record<string, unknown>, callback: Callback): void };
  authenticateUser(
    details: unknown,
    callbacks: { onSuccess(session: unknown): void; onFailure(err: unknown): void },
  ): void;
}
interface Library {
  AuthenticationHelper: new (poolName: string) => LibAuthenticationHelper;
  DateHelper: new () => { getNowString(): string };
  AuthenticationDetails: new (data: { Username: string; Password: string }) => unknown;
  CognitoUserPool: new (data: {
    UserPoolId: string;
    ClientId: string;
    AdvancedSecurityDataCollectionFlag?: boolean;
  }) => unknown;
  CognitoUser: new (data: { Username: string; Pool: unknown }) => LibUser;
}

const require = createRequire(import.meta.url);
const lib = require("amazon-cognito-identity-js") as Library;
const LibBigInt = (require("amazon-cognito-identity-js/lib/BigInteger.js") as { default: unknown })
  .default as new (hex: string, radix: number) => LibBigInteger;

const toLib = (n: bigint) => new LibBigInt(n.toString(16), 16);
const fromLib = (n: LibBigInteger) => BigInt(`0x${n.toString(16)}`);

const POOL_ID = "us-east-1_AbC123xYz";
const POOL_NAME = "AbC123xYz";
const USERNAME = "6b2f2e4e-1d7c-4f4f-9d6b-3f1f4ad0c9a1";
const PASSWORD = "Correct horse battery staple 1!";

/** One helper built by the library's own constructor; clones of it get a chosen secret `a`. */
const template = new lib.AuthenticationHelper(POOL_NAME);

function libraryHelper(a: bigint): LibAuthenticationHelper {
  const helper = Object.create(Object.getPrototypeOf(template) as object) as LibAuthenticationHelper;
  Object.assign(helper, template, { smallAValue: toLib(a), largeAValue: toLib(modPow(g, a)) });
  return helper;
}

/** PASSWORD_CLAIM_SIGNATURE computed as CognitoUser.authenticateUserDefaultAuth does. */
function librarySignature(p: {
  a: bigint;
  username: string;
  password: string;
  B: string;
  salt: string;
  secretBlock: string;
  timestamp: string;
}): string {
  let key: Uint8Array | undefined;
  libraryHelper(p.a).getPasswordAuthenticationKey(
    p.username,
    p.password,
    new LibBigInt(p.B, 16),
    new LibBigInt(p.salt, 16),
    (err, hkdf) => {
      assert.equal(err, null);
      key = hkdf;
    },
  );
  assert.ok(key);
  return createHmac("sha256", key)
    .update(
      Buffer.concat([
        Buffer.from(POOL_NAME, "utf8"),
        Buffer.from(p.username, "utf8"),
        Buffer.from(p.secretBlock, "base64"),
        Buffer.from(p.timestamp, "utf8"),
      ]),
    )
    .digest("base64");
}

function bigintModPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = ((base % N) + N) % N;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % N;
    b = (b * b) % N;
  }
  return result;
}

const randomInt256 = () => BigInt(`0x${randomBytes(32).toString("hex")}`);
const secretBlock = () => randomBytes(randomInt(32, 1200)).toString("base64");

// The encodings whose padding differs: top bit set ("00" in front), odd number of hex digits
// ("0" in front), and a whole leading zero byte (a shorter encoding than usual).
type Shape = "top-bit" | "odd-hex" | "short";
const SHAPES: Shape[] = ["top-bit", "odd-hex", "short"];
function hasShape(n: bigint, fullBits: number, shape: Shape): boolean {
  const bits = n.toString(2).length;
  if (shape === "top-bit") return bits === fullBits && bits % 8 === 0;
  if (shape === "odd-hex") return n.toString(16).length % 2 === 1;
  return bits <= fullBits - 8;
}

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

function signedClaim(p: {
  password: string;
  client: { a: bigint; srpA: string };
  b: string;
  B: string;
  verifier: { salt: string; verifier: string };
  username?: string;
  timestamp?: string;
}): SrpClaim {
  const username = p.username ?? USERNAME;
  const block = secretBlock();
  const timestamp = p.timestamp ?? cognitoTimestamp(new Date());
  const signature = passwordClaimSignature({
    poolName: POOL_NAME,
    userIdForSrp: username,
    password: p.password,
    a: p.client.a,
    srpA: p.client.srpA,
    srpB: p.B,
    salt: p.verifier.salt,
    secretBlock: block,
    timestamp,
  });
  return {
    poolName: POOL_NAME,
    username,
    A: p.client.srpA,
    b: p.b,
    B: p.B,
    verifier: p.verifier.verifier,
    secretBlock: block,
    timestamp,
    signature,
  };
}

describe("SRP sign-in against amazon-cognito-identity-js", () => {
  /** Draws until `make` gives a value whose `pick` has the shape. */
  function drawUntil<T>(make: () => T, pick: (t: T) => bigint, fullBits: number, shape: Shape): T {
    for (;;) {
      const t = make();
      if (hasShape(pick(t), fullBits, shape)) return t;
    }
  }

  for (const shape of SHAPES) {
    for (const target of ["B", "u", "S"] as const) {
      it(`agrees on every value when salt, A and ${target} are ${shape}`, () => {
        const verifier = drawUntil(
          () => makeVerifier(POOL_NAME, USERNAME, PASSWORD),
          (v) => BigInt(`0x${v.salt}`),
          128,
          shape,
        );
        const v = BigInt(`0x${verifier.verifier}`);
        const a = drawUntil(randomInt256, (x) => modPow(g, x), 3072, shape);
        const A = modPow(g, a);
        const uOf = (B: string) =>
          BigInt(
            `0x${createHash("sha256")
              .update(Buffer.from(padHex(A) + padHex(BigInt(`0x${B}`)), "hex"))
              .digest("hex")}`,
          );
        const server = drawUntil(
          () => startSrp(verifier.verifier),
          (s) => {
            const B = BigInt(`0x${s.B}`);
            if (target === "B") return B;
            const u = uOf(s.B);
            return target === "u" ? u : modPow(A * modPow(v, u), BigInt(`0x${s.b}`));
          },
          target === "u" ? 256 : 3072,
          shape,
        );

        assert.equal(
          fromLib(libraryHelper(a).calculateU(toLib(A), new LibBigInt(server.B, 16))),
          uOf(server.B),
        );
        const block = secretBlock();
        const timestamp = formatTimestamp(new Date());
        const signature = librarySignature({
          a,
          username: USERNAME,
          password: PASSWORD,
          B: server.B,
          salt: verifier.salt,
          secretBlock: block,
          timestamp,
        });
        const claim: SrpClaim = {
          poolName: POOL_NAME,
          username: USERNAME,
          A: A.toString(16),
          b: server.b,
          B: server.B,
          verifier: verifier.verifier,
          secretBlock: block,
          timestamp,
          signature,
        };
        assert.equal(verifySrpClaim(claim), true);
        // The test client computes the very same signature.
        const mine = passwordClaimSignature({
          poolName: POOL_NAME,
          userIdForSrp: USERNAME,
          password: PASSWORD,
          a,
          srpA: A.toString(16),
          srpB: server.B,
          salt: verifier.salt,
          secretBlock: block,
          timestamp,
        });
        assert.equal(mine, signature);
        // And the library's signature for another password is refused.
        const wrong = librarySignature({
          a,
          username: USERNAME,
          password: `${PASSWORD}x`,
          B: server.B,
          salt: verifier.salt,
          secretBlock: block,
          timestamp,
        });
        assert.equal(verifySrpClaim({ ...claim, signature: wrong }), false);
      });
    }
  }

  /** CognitoUser.authenticateUser end to end, its requests answered in-process. */
  function signInWithLibrary(password: string, verifier: { salt: string; verifier: string }) {
    const pool = new lib.CognitoUserPool({
      UserPoolId: POOL_ID,
      ClientId: "abcdefghijklmnopqrstuvwxyz",
      AdvancedSecurityDataCollectionFlag: false,
    });
    const user = new lib.CognitoUser({ Username: "alice", Pool: pool });
    const issued = { A: "", b: "", B: "", secretBlock: "" };
    const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2ln`;
    user.client = {
      request(operation, params, callback) {
        if (operation === "InitiateAuth") {
          const auth = params["AuthParameters"] as Record<string, string>;
          assert.equal(params["AuthFlow"], "USER_SRP_AUTH");
          assert.equal(auth["USERNAME"], "alice");
          assert.ok(isValidSrpA(auth["SRP_A"]!));
          const { b, B } = startSrp(verifier.verifier);
          Object.assign(issued, { A: auth["SRP_A"], b, B, secretBlock: secretBlock() });
          callback(null, {
            ChallengeName: "PASSWORD_VERIFIER",
            ChallengeParameters: {
              SALT: verifier.salt,
              SECRET_BLOCK: issued.secretBlock,
              SRP_B: B,
              USERNAME: USERNAME,
              USER_ID_FOR_SRP: USERNAME,
            },
          });
          return;
        }
        assert.equal(operation, "RespondToAuthChallenge");
        assert.equal(params["ChallengeName"], "PASSWORD_VERIFIER");
        const r = params["ChallengeResponses"] as Record<string, string>;
        assert.equal(r["USERNAME"], USERNAME);
        assert.equal(r["PASSWORD_CLAIM_SECRET_BLOCK"], issued.secretBlock);
        assert.equal(checkTimestamp(r["TIMESTAMP"]!, new Date()), "ok");
        const ok = verifySrpClaim({
          poolName: POOL_NAME,
          username: r["USERNAME"]!,
          A: issued.A,
          b: issued.b,
          B: issued.B,
          verifier: verifier.verifier,
          secretBlock: r["PASSWORD_CLAIM_SECRET_BLOCK"]!,
          timestamp: r["TIMESTAMP"]!,
          signature: r["PASSWORD_CLAIM_SIGNATURE"]!,
        });
        if (!ok) {
          callback({ code: "NotAuthorizedException", message: "Incorrect username or password." });
          return;
        }
        const exp = Math.floor(Date.now() / 1000) + 3600;
        callback(null, {
          ChallengeParameters: {},
          AuthenticationResult: {
            AccessToken: jwt({ sub: USERNAME, exp, iat: exp - 3600 }),
            IdToken: jwt({ sub: USERNAME, exp, iat: exp - 3600 }),
            RefreshToken: "refresh",
            ExpiresIn: 3600,
            TokenType: "Bearer",
          },
        });
      },
    };
    return new Promise<"signed-in" | "refused">((resolve, reject) => {
      user.authenticateUser(new lib.AuthenticationDetails({ Username: "alice", Password: password }), {
        onSuccess: () => resolve("signed-in"),
        onFailure: (err) => {
          if ((err as { code?: string }).code === "NotAuthorizedException") resolve("refused");
          else reject(err);
        },
      });
    });
  }

  it("signs CognitoUser.authenticateUser in, and refuses a wrong password", async () => {
    const verifier = makeVerifier(POOL_NAME, USERNAME, PASSWORD);
    assert.equal(await signInWithLibrary(PASSWORD, verifier), "signed-in");
    assert.equal(await signInWithLibrary("Correct horse battery staple 2!", verifier), "refused");
  });
});

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
