import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { verifySigV4 } from "../../../src/protocol/sigv4.ts";
import {
  store,
  openStore,
  SIGNED_AT,
  BODY,
  MISMATCH,
  signWithSdk,
  withHeaders,
  authorization,
  refusal,
} from "./setup.ts";

describe("verifySigV4: refusals", () => {
  it("refuses a request signed with the wrong secret", async () => {
    const req = await signWithSdk({ secretAccessKey: "not-the-secret" });
    assert.throws(() => verifySigV4(req, store, SIGNED_AT), refusal("InvalidSignatureException", MISMATCH));
  });

  it("refuses an unknown access key", async () => {
    const req = await signWithSdk({ accessKeyId: "AKIDUNKNOWN" });
    assert.throws(
      () => verifySigV4(req, store, SIGNED_AT),
      refusal("UnrecognizedClientException", "The security token included in the request is invalid."),
    );
  });

  it("refuses a tampered body", async () => {
    const req = await signWithSdk();
    const tampered = { ...req, body: BODY.replace("alice", "admin") };
    assert.throws(
      () => verifySigV4(tampered, store, SIGNED_AT),
      refusal("InvalidSignatureException", MISMATCH),
    );
  });

  it("refuses a tampered body when there is no x-amz-content-sha256 header", async () => {
    const req = await signWithSdk({ applyChecksum: false });
    assert.equal(req.headers["x-amz-content-sha256"], undefined);
    assert.doesNotThrow(() => verifySigV4(req, store, SIGNED_AT));
    const tampered = { ...req, body: `${BODY} ` };
    assert.throws(
      () => verifySigV4(tampered, store, SIGNED_AT),
      refusal("InvalidSignatureException", MISMATCH),
    );
  });

  it("refuses an x-amz-content-sha256 that does not match the body, even when any key is accepted", async () => {
    const req = await signWithSdk();
    const wrongHash = withHeaders(req, { "x-amz-content-sha256": "0".repeat(64) });
    assert.throws(
      () => verifySigV4(wrongHash, store, SIGNED_AT),
      refusal("InvalidSignatureException", MISMATCH),
    );
    assert.throws(
      () => verifySigV4(wrongHash, openStore, SIGNED_AT),
      refusal("InvalidSignatureException", MISMATCH),
    );
  });

  it("refuses a tampered signed header", async () => {
    const req = await signWithSdk();
    const tampered = withHeaders(req, {
      "x-amz-target": "AWSCognitoIdentityProviderService.AdminDeleteUser",
    });
    assert.throws(
      () => verifySigV4(tampered, store, SIGNED_AT),
      refusal("InvalidSignatureException", MISMATCH),
    );
    const otherHost = withHeaders(req, { host: "evil.example:9229" });
    assert.throws(
      () => verifySigV4(otherHost, store, SIGNED_AT),
      refusal("InvalidSignatureException", MISMATCH),
    );
  });

  it("refuses an X-Amz-Target left out of SignedHeaders, so a signature cannot be replayed as another operation", async () => {
    const req = await signWithSdk({ unsigned: ["x-amz-target"] });
    assert.doesNotMatch(authorization(req), /x-amz-target/);
    const message = "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.";
    assert.throws(() => verifySigV4(req, store, SIGNED_AT), refusal("InvalidSignatureException", message));
    const replayed = withHeaders(req, {
      "x-amz-target": "AWSCognitoIdentityProviderService.AdminDisableUser",
    });
    assert.throws(
      () => verifySigV4(replayed, store, SIGNED_AT),
      refusal("InvalidSignatureException", message),
    );
    assert.throws(
      () => verifySigV4(req, openStore, SIGNED_AT),
      refusal("InvalidSignatureException", message),
    );
  });

  it("refuses any x-amz-* header left out of SignedHeaders", async () => {
    const req = await signWithSdk({
      headers: { "x-amz-user-agent": "aws-sdk-js/3" },
      unsigned: ["x-amz-user-agent"],
    });
    assert.throws(
      () => verifySigV4(req, store, SIGNED_AT),
      refusal(
        "InvalidSignatureException",
        "There were headers present in the request which were not signed: x-amz-user-agent",
      ),
    );
    const added = withHeaders(await signWithSdk(), { "x-amz-meta-extra": "1" });
    assert.throws(
      () => verifySigV4(added, store, SIGNED_AT),
      refusal("InvalidSignatureException", /x-amz-meta-extra/),
    );
  });

  it("refuses a tampered method, path or query", async () => {
    const req = await signWithSdk();
    for (const tampered of [
      { ...req, method: "PUT" },
      { ...req, path: "/admin" },
      { ...req, query: "x=1" },
    ]) {
      assert.throws(
        () => verifySigV4(tampered, store, SIGNED_AT),
        refusal("InvalidSignatureException", MISMATCH),
      );
    }
  });

  it("refuses a signature that is not 64 hex digits", async () => {
    const req = await signWithSdk();
    for (const signature of ["abc", "z".repeat(64), `${"a".repeat(64)}00`]) {
      const auth = authorization(req).replace(/Signature=[0-9a-f]+/, `Signature=${signature}`);
      const bad = withHeaders(req, { authorization: auth });
      assert.throws(() => verifySigV4(bad, store, SIGNED_AT), refusal("InvalidSignatureException", MISMATCH));
      assert.throws(
        () => verifySigV4(bad, openStore, SIGNED_AT),
        refusal("InvalidSignatureException", MISMATCH),
      );
    }
  });
});
