import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { verifySigV4 } from "../../../src/protocol/sigv4.ts";
import {
  ACCESS_KEY_ID,
  store,
  SIGNED_AT,
  signWithSdk,
  minutes,
  withHeaders,
  authorization,
} from "./setup.ts";

describe("verifySigV4: requests signed by AWS signers", () => {
  it("accepts a request signed by the AWS SDK signer", async () => {
    const req = await signWithSdk();
    assert.deepEqual(verifySigV4(req, store, minutes(SIGNED_AT, 1)), {
      accessKeyId: ACCESS_KEY_ID,
      region: "us-east-1",
    });
  });

  it("takes the region from the credential scope", async () => {
    const req = await signWithSdk({ region: "eu-central-1" });
    assert.equal(verifySigV4(req, store, SIGNED_AT).region, "eu-central-1");
  });

  it("accepts a signed session token header", async () => {
    const req = await signWithSdk({ sessionToken: "FwoGZXIvYXdzEXAMPLE//token+with/slashes==" });
    assert.match(authorization(req), /x-amz-security-token/);
    assert.doesNotThrow(() => verifySigV4(req, store, SIGNED_AT));
  });

  it("accepts a body with non-ASCII characters, as a string or as bytes", async () => {
    const body = JSON.stringify({ UserPoolId: "us-east-1_Example", Username: "zoë", Name: "Łukasz 日本 🦊" });
    const req = await signWithSdk({ body });
    assert.doesNotThrow(() => verifySigV4(req, store, SIGNED_AT));
    assert.doesNotThrow(() => verifySigV4({ ...req, body: Buffer.from(body, "utf8") }, store, SIGNED_AT));
  });

  it("accepts header values with extra whitespace and headers that are not signed", async () => {
    const req = await signWithSdk({ headers: { "x-amz-user-agent": "  aws-sdk-js/3   lanyard-test  " } });
    const signedNames = /SignedHeaders=([^,]+)/.exec(authorization(req))?.[1] ?? "";
    assert.ok(signedNames.includes("x-amz-user-agent"));
    const extra = withHeaders(req, { "user-agent": "something else", connection: "keep-alive" });
    assert.doesNotThrow(() => verifySigV4(extra, store, SIGNED_AT));
  });

  it("accepts a signed header carrying UTF-8 bytes, as Node decodes them", async () => {
    const value = "Zoë à la café";
    const req = await signWithSdk({ headers: { "x-amz-meta-name": value } });
    // Node's HTTP parser hands header bytes over one character per byte.
    const asNodeGivesIt = withHeaders(req, {
      "x-amz-meta-name": Buffer.from(value, "utf8").toString("latin1"),
    });
    assert.doesNotThrow(() => verifySigV4(asNodeGivesIt, store, SIGNED_AT));
    // Values that cannot be bytes (characters above U+00FF) are taken as text and hashed as UTF-8.
    const wide = await signWithSdk({ headers: { "x-amz-meta-name": "日本" } });
    assert.doesNotThrow(() => verifySigV4(wide, store, SIGNED_AT));
  });

  it("accepts the spacing variants SDKs use in the Authorization header", async () => {
    const req = await signWithSdk();
    const standard = authorization(req);
    const variants = [
      standard.replaceAll(", ", ","),
      standard.replaceAll(", ", " "),
      standard.replaceAll(", ", " ,  "),
      "  " + standard.replace(" ", "   ") + " ",
    ];
    for (const variant of variants) {
      assert.doesNotThrow(
        () => verifySigV4(withHeaders(req, { authorization: variant }), store, SIGNED_AT),
        variant,
      );
    }
  });

  it("accepts each signed request within 15 minutes either way", async () => {
    const req = await signWithSdk();
    assert.doesNotThrow(() => verifySigV4(req, store, minutes(SIGNED_AT, 15)));
    assert.doesNotThrow(() => verifySigV4(req, store, minutes(SIGNED_AT, -15)));
  });

  it("keeps verifying correctly when many signing keys have been derived", async () => {
    const regions = Array.from({ length: 300 }, (_, i) => `test-region-${i}`);
    for (const region of regions) {
      const req = await signWithSdk({ region });
      assert.equal(verifySigV4(req, store, SIGNED_AT).region, region);
    }
    const first = await signWithSdk({ region: regions[0] });
    assert.doesNotThrow(() => verifySigV4(first, store, SIGNED_AT));
  });
});
