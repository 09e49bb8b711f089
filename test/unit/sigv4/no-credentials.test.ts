import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { staticCredentialStore, verifySigV4 } from "../../../src/protocol/sigv4.ts";
import {
  ACCESS_KEY_ID,
  SECRET,
  openStore,
  SIGNED_AT,
  MISMATCH,
  signWithSdk,
  withHeaders,
  authorization,
  refusal,
} from "./setup.ts";

describe("verifySigV4: with no credentials configured", () => {
  it("accepts any well-formed signature without checking it", async () => {
    const req = await signWithSdk({
      accessKeyId: "AKIDANYONE",
      secretAccessKey: "anything",
      region: "local",
    });
    assert.deepEqual(verifySigV4(req, openStore, SIGNED_AT), { accessKeyId: "AKIDANYONE", region: "local" });
    const unchecked = await signWithSdk({
      accessKeyId: "AKIDANYONE",
      secretAccessKey: "x",
      applyChecksum: false,
    });
    assert.doesNotThrow(() => verifySigV4({ ...unchecked, body: "{}" }, openStore, SIGNED_AT));
  });

  it("still checks the signature of key ids a store knows", async () => {
    const mixed = {
      acceptAnyKey: true,
      secretFor: (id: string) => (id === ACCESS_KEY_ID ? SECRET : undefined),
    };
    const good = await signWithSdk();
    assert.doesNotThrow(() => verifySigV4(good, mixed, SIGNED_AT));
    const wrong = await signWithSdk({ secretAccessKey: "wrong" });
    assert.throws(() => verifySigV4(wrong, mixed, SIGNED_AT), refusal("InvalidSignatureException", MISMATCH));
  });

  it("still refuses malformed headers and an empty access key", async () => {
    const req = await signWithSdk();
    assert.throws(
      () => verifySigV4(withHeaders(req, { authorization: undefined }), openStore, SIGNED_AT),
      refusal("MissingAuthenticationTokenException", "Request is missing Authentication Token"),
    );
    const noKey = authorization(req).replace("Credential=AKIDLANYARDEXAMPLE/", "Credential=/");
    assert.throws(
      () => verifySigV4(withHeaders(req, { authorization: noKey }), openStore, SIGNED_AT),
      refusal("UnrecognizedClientException", "The security token included in the request is invalid."),
    );
  });
});

describe("staticCredentialStore", () => {
  it("accepts any key only when no keys are configured", () => {
    assert.equal(staticCredentialStore([]).acceptAnyKey, true);
    const configured = staticCredentialStore([{ accessKeyId: "A", secretAccessKey: "a" }]);
    assert.equal(configured.acceptAnyKey, false);
    assert.equal(configured.secretFor("A"), "a");
    assert.equal(configured.secretFor("B"), undefined);
  });
});
