import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createHash } from "node:crypto";
import {
  checkTimestamp,
  formatTimestamp,
  g,
  isValidSrpA,
  makeVerifier,
  modPow,
  padHex,
  type SrpClaim,
  startSrp,
  verifySrpClaim,
} from "../../../src/crypto/srp.ts";
import { passwordClaimSignature } from "../../support/srp-client.ts";
import {
  lib,
  LibBigInt,
  toLib,
  fromLib,
  POOL_ID,
  POOL_NAME,
  USERNAME,
  PASSWORD,
  libraryHelper,
  librarySignature,
  randomInt256,
  secretBlock,
  type Shape,
  SHAPES,
  hasShape,
} from "./setup.ts";

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
