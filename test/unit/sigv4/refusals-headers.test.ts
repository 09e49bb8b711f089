import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { verifySigV4 } from "../../../src/protocol/sigv4.ts";
import { store, openStore, SIGNED_AT, signWithSdk, withHeaders, authorization, refusal } from "./setup.ts";

describe("verifySigV4: refusals", () => {
  it("refuses a request signed 16 minutes ago", async () => {
    const req = await signWithSdk({ date: new Date("2026-11-22T10:14:00Z") });
    const now = new Date("2026-11-22T10:30:00.750Z");
    assert.throws(
      () => verifySigV4(req, store, now),
      refusal(
        "InvalidSignatureException",
        "Signature expired: 20261122T101400Z is now earlier than 20261122T101500Z (20261122T103000Z - 15 min.)",
      ),
    );
    assert.throws(
      () => verifySigV4(req, openStore, now),
      refusal("InvalidSignatureException", /^Signature expired: /),
    );
  });

  it("refuses a request signed 16 minutes in the future", async () => {
    const req = await signWithSdk({ date: new Date("2026-11-22T10:46:00Z") });
    assert.throws(
      () => verifySigV4(req, store, SIGNED_AT),
      refusal(
        "InvalidSignatureException",
        "Signature not yet current: 20261122T104600Z is still later than 20261122T104500Z (20261122T103000Z + 15 min.)",
      ),
    );
    assert.throws(
      () => verifySigV4(req, openStore, SIGNED_AT),
      refusal("InvalidSignatureException", /^Signature not yet current: /),
    );
  });

  it("refuses a request without an Authorization header", async () => {
    const req = await signWithSdk();
    for (const auth of [undefined, "", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"]) {
      assert.throws(
        () => verifySigV4(withHeaders(req, { authorization: auth }), store, SIGNED_AT),
        refusal("MissingAuthenticationTokenException", "Request is missing Authentication Token"),
      );
    }
  });

  it("refuses an Authorization header missing its parameters", async () => {
    const req = await signWithSdk();
    const auth = "AWS4-HMAC-SHA256 Credential=AKIDLANYARDEXAMPLE/20261122/us-east-1/cognito-idp/aws4_request";
    assert.throws(
      () => verifySigV4(withHeaders(req, { authorization: auth }), store, SIGNED_AT),
      refusal(
        "IncompleteSignatureException",
        "Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter. " +
          `Authorization=${auth}`,
      ),
    );
    const bare = "AWS4-HMAC-SHA256";
    assert.throws(
      () =>
        verifySigV4(withHeaders(req, { authorization: bare, "x-amz-date": undefined }), openStore, SIGNED_AT),
      refusal(
        "IncompleteSignatureException",
        "Authorization header requires 'Credential' parameter. " +
          "Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter. " +
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
          "Authorization=AWS4-HMAC-SHA256",
      ),
    );
  });

  it("refuses a request without a date", async () => {
    const req = await signWithSdk();
    assert.throws(
      () => verifySigV4(withHeaders(req, { "x-amz-date": undefined }), store, SIGNED_AT),
      refusal(
        "IncompleteSignatureException",
        `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorization(req)}`,
      ),
    );
  });

  it("refuses a malformed Authorization header", async () => {
    const req = await signWithSdk();
    const broken = authorization(req).replace(
      "Credential=AKIDLANYARDEXAMPLE",
      "Credential=AKIDLANYARDEXAMPLE ",
    );
    assert.throws(
      () => verifySigV4(withHeaders(req, { authorization: broken }), store, SIGNED_AT),
      refusal(
        "IncompleteSignatureException",
        `'/20261122/us-east-1/cognito-idp/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '${broken}'.`,
      ),
    );
    const otherAlgorithm = authorization(req).replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512");
    assert.throws(
      () => verifySigV4(withHeaders(req, { authorization: otherAlgorithm }), store, SIGNED_AT),
      refusal("IncompleteSignatureException", "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'."),
    );
    const shortCredential = authorization(req).replace("/cognito-idp/aws4_request", "/cognito-idp");
    assert.throws(
      () => verifySigV4(withHeaders(req, { authorization: shortCredential }), store, SIGNED_AT),
      refusal(
        "IncompleteSignatureException",
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, " +
          "got 'AKIDLANYARDEXAMPLE/20261122/us-east-1/cognito-idp'",
      ),
    );
  });

  it("refuses a date that is not in ISO-8601 basic format", async () => {
    const req = await signWithSdk();
    for (const date of ["2026-11-22T10:30:00Z", "20261322T103000Z", "20261131T103000Z", "20261122T103000"]) {
      assert.throws(
        () => verifySigV4(withHeaders(req, { "x-amz-date": date }), store, SIGNED_AT),
        refusal(
          "IncompleteSignatureException",
          `Date must be in ISO-8601 'basic format'. Got '${date}'. See http://en.wikipedia.org/wiki/ISO_8601`,
        ),
      );
    }
  });

  it("refuses a request whose host is not signed", async () => {
    const req = await signWithSdk();
    const auth = authorization(req).replace(
      "SignedHeaders=content-type;host;",
      "SignedHeaders=content-type;",
    );
    assert.throws(
      () => verifySigV4(withHeaders(req, { authorization: auth }), store, SIGNED_AT),
      refusal(
        "InvalidSignatureException",
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      ),
    );
  });

  it("refuses a credential scoped to another service", async () => {
    const req = await signWithSdk({ service: "dynamodb" });
    assert.throws(
      () => verifySigV4(req, store, SIGNED_AT),
      refusal("InvalidSignatureException", "Credential should be scoped to correct service: 'cognito-idp'."),
    );
    assert.throws(
      () => verifySigV4(req, openStore, SIGNED_AT),
      refusal("InvalidSignatureException", "Credential should be scoped to correct service: 'cognito-idp'."),
    );
  });

  it("refuses a scope date, region or terminator that does not fit", async () => {
    const req = await signWithSdk();
    const scope = "AKIDLANYARDEXAMPLE/20261122/us-east-1/cognito-idp/aws4_request";
    const withScope = (value: string) =>
      withHeaders(req, { authorization: authorization(req).replace(scope, value) });
    assert.throws(
      () =>
        verifySigV4(
          withScope("AKIDLANYARDEXAMPLE/20261121/us-east-1/cognito-idp/aws4_request"),
          store,
          SIGNED_AT,
        ),
      refusal(
        "InvalidSignatureException",
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: " +
          "'20261121' != '20261122', from '20261122T103000Z'.",
      ),
    );
    assert.throws(
      () => verifySigV4(withScope("AKIDLANYARDEXAMPLE/20261122//cognito-idp/aws4_request"), store, SIGNED_AT),
      refusal("InvalidSignatureException", "Credential should be scoped to a valid region."),
    );
    assert.throws(
      () => verifySigV4(withScope("AKIDLANYARDEXAMPLE/x/US_EAST/s3/aws5_request"), store, SIGNED_AT),
      refusal(
        "InvalidSignatureException",
        "Credential should be scoped to a valid region, not 'US_EAST'. " +
          "Credential should be scoped to correct service: 'cognito-idp'. " +
          "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: " +
          "'x' != '20261122', from '20261122T103000Z'.",
      ),
    );
  });
});
