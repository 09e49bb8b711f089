/** A device's verifier and claim, as amazon-cognito-identity-js makes them, checked by src/crypto/srp.ts. */
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import {
  formatTimestamp,
  g,
  modPow,
  N,
  startSrp,
  verifierFromBase64,
  verifySrpClaim,
} from "../../../src/crypto/srp.ts";
import { type LibAuthenticationHelper, LibBigInt, lib, randomInt256, toLib } from "./setup.ts";

/** The parts of AuthenticationHelper a device uses (not in the library's typings). */
interface DeviceHelper extends LibAuthenticationHelper {
  generateHashDevice(groupKey: string, deviceKey: string, callback: (err: unknown) => void): void;
  getSaltDevices(): string;
  getVerifierDevices(): string;
  getRandomPassword(): string;
}

const GROUP_KEY = "-AbCdE1234";
const DEVICE_KEY = "us-east-1_4a0c6b5e-8f1d-4c3e-9a7b-2d6e5f4a3b21";

/** DeviceSecretVerifierConfig exactly as CognitoUser sends it to ConfirmDevice. */
function libraryDevice(): { config: { Salt: string; PasswordVerifier: string }; password: string } {
  const helper = new lib.AuthenticationHelper(GROUP_KEY) as DeviceHelper;
  let done = false;
  helper.generateHashDevice(GROUP_KEY, DEVICE_KEY, (err) => {
    assert.equal(err, null);
    done = true;
  });
  assert.ok(done);
  return {
    config: {
      Salt: Buffer.from(helper.getSaltDevices(), "hex").toString("base64"),
      PasswordVerifier: Buffer.from(helper.getVerifierDevices(), "hex").toString("base64"),
    },
    password: helper.getRandomPassword(),
  };
}

describe("device SRP against amazon-cognito-identity-js", () => {
  it("reads the library's verifier config and accepts the library's device claim", () => {
    // The library's own modPow is slow: a few devices.
    for (let i = 0; i < 3; i++) {
      const { config, password } = libraryDevice();
      const material = verifierFromBase64(config.Salt, config.PasswordVerifier);
      assert.ok(material);
      const { b, B } = startSrp(material.verifier);
      const a = randomInt256();
      const helper = Object.create(Object.getPrototypeOf(new lib.AuthenticationHelper(GROUP_KEY)) as object);
      Object.assign(helper, new lib.AuthenticationHelper(GROUP_KEY), {
        smallAValue: toLib(a),
        largeAValue: toLib(modPow(g, a)),
      });
      let key: Uint8Array | undefined;
      (helper as DeviceHelper).getPasswordAuthenticationKey(
        DEVICE_KEY,
        password,
        new LibBigInt(B, 16),
        new LibBigInt(material.salt, 16),
        (err, k) => {
          assert.equal(err, null);
          key = k;
        },
      );
      assert.ok(key);
      const secretBlock = randomBytes(64).toString("base64");
      const timestamp = formatTimestamp(new Date());
      const signature = createHmac("sha256", key)
        .update(
          Buffer.concat([
            Buffer.from(GROUP_KEY, "utf8"),
            Buffer.from(DEVICE_KEY, "utf8"),
            Buffer.from(secretBlock, "base64"),
            Buffer.from(timestamp, "utf8"),
          ]),
        )
        .digest("base64");
      const claim = {
        poolName: GROUP_KEY,
        username: DEVICE_KEY,
        A: modPow(g, a).toString(16),
        b,
        B,
        verifier: material.verifier,
        secretBlock,
        timestamp,
        signature,
      };
      assert.equal(verifySrpClaim(claim), true);
      assert.equal(verifySrpClaim({ ...claim, poolName: "-Another123" }), false);
      assert.equal(verifySrpClaim({ ...claim, username: `${DEVICE_KEY}0` }), false);
    }
  });

  it("refuses a verifier config it cannot use", () => {
    const b64 = (n: bigint) => Buffer.from(n.toString(16).padStart(2, "0"), "hex").toString("base64");
    const salt = randomBytes(16).toString("base64");
    assert.equal(verifierFromBase64("", b64(12345n)), undefined);
    assert.equal(verifierFromBase64(salt, ""), undefined);
    assert.equal(verifierFromBase64(salt, "not base64!"), undefined);
    assert.equal(verifierFromBase64(salt, b64(0n)), undefined);
    assert.equal(verifierFromBase64(salt, b64(1n)), undefined);
    assert.equal(verifierFromBase64(salt, Buffer.from(N.toString(16), "hex").toString("base64")), undefined);
    assert.deepEqual(verifierFromBase64(Buffer.from([0, 0x0a]).toString("base64"), b64(12345n)), {
      salt: "a",
      verifier: 12345n.toString(16),
    });
  });
});
