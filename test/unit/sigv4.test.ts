import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { AwsError } from "../../src/errors.ts";
import { type SignedRequest, staticCredentialStore, verifySigV4 } from "../../src/protocol/sigv4.ts";

const ACCESS_KEY_ID = "AKIDLANYARDEXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const store = staticCredentialStore([{ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }]);
const openStore = staticCredentialStore([]);

const SIGNED_AT = new Date("2026-11-22T10:30:00Z");
const TARGET = "AWSCognitoIdentityProviderService.AdminGetUser";
const BODY = JSON.stringify({ UserPoolId: "us-east-1_Example", Username: "alice" });

const MISMATCH =
  "The request signature we calculated does not match the signature you provided. " +
  "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

interface SignOptions {
  body?: string;
  date?: Date;
  region?: string;
  service?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  headers?: Record<string, string>;
  /** false: sign without adding an x-amz-content-sha256 header. */
  applyChecksum?: boolean;
  /** Headers sent but left out of SignedHeaders. */
  unsigned?: string[];
}

/** Signs a cognito-idp request with the AWS SDK's own signer and returns it as the server sees it. */
async function signWithSdk(options: SignOptions = {}): Promise<SignedRequest> {
  const body = options.body ?? BODY;
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: options.accessKeyId ?? ACCESS_KEY_ID,
      secretAccessKey: options.secretAccessKey ?? SECRET,
      sessionToken: options.sessionToken,
    },
    region: options.region ?? "us-east-1",
    service: options.service ?? "cognito-idp",
    sha256: Sha256,
    applyChecksum: options.applyChecksum,
  });
  const signed = await signer.sign(
    {
      method: "POST",
      protocol: "http:",
      hostname: "localhost",
      port: 9229,
      path: "/",
      query: {},
      headers: {
        host: "localhost:9229",
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": TARGET,
        ...options.headers,
      },
      body,
    },
    { signingDate: options.date ?? SIGNED_AT, unsignableHeaders: new Set(options.unsigned ?? []) },
  );
  return { method: "POST", path: "/", query: "", headers: lowerCaseKeys(signed.headers), body };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
  return result;
}

function minutes(date: Date, delta: number): Date {
  return new Date(date.getTime() + delta * 60_000);
}

function withHeaders(req: SignedRequest, changes: Record<string, string | undefined>): SignedRequest {
  return { ...req, headers: { ...req.headers, ...changes } };
}

function authorization(req: SignedRequest): string {
  const value = req.headers.authorization;
  assert.equal(typeof value, "string");
  return value as string;
}

function refusal(type: string, message: string | RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${String(error)}`);
    assert.equal(error.type, type);
    assert.equal(error.status, 400);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    assert.ok(!error.message.includes(SECRET), "the secret must never appear in a message");
    return true;
  };
}

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

  it("accepts a request signed by botocore, as the AWS CLI v1 signs it", (t) => {
    const script = [
      "import datetime, json, sys",
      "from unittest import mock",
      "from botocore.auth import SigV4Auth",
      "from botocore.awsrequest import AWSRequest",
      "from botocore.credentials import Credentials",
      "spec = json.loads(sys.argv[1])",
      "req = AWSRequest(method='POST', url=spec['url'], data=spec['body'].encode('utf-8'), headers=spec['headers'])",
      "creds = Credentials(spec['accessKeyId'], spec['secretAccessKey'], spec['sessionToken'])",
      "when = datetime.datetime(2026, 11, 22, 10, 30, 0)",
      "with mock.patch('botocore.auth.get_current_datetime', return_value=when):",
      "    SigV4Auth(creds, 'cognito-idp', spec['region']).add_auth(req)",
      "print(json.dumps(dict(req.headers.items())))",
    ].join("\n");
    const body = JSON.stringify({ UserPoolId: "eu-west-1_Example", Username: "zoë" });
    const spec = {
      url: "http://localhost:9229/",
      body,
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET },
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET,
      sessionToken: "session-token-from-sts",
      region: "eu-west-1",
    };
    const python = spawnSync("python3", ["-c", script, JSON.stringify(spec)], { encoding: "utf8" });
    if (python.error !== undefined || python.status !== 0) {
      t.skip("python3 with botocore is not available");
      return;
    }
    const headers: Record<string, string> = {
      host: "localhost:9229",
      "content-length": String(Buffer.byteLength(body)),
    };
    for (const [name, value] of Object.entries(JSON.parse(python.stdout) as Record<string, string>)) {
      headers[name.toLowerCase()] = value;
    }
    assert.match(
      headers.authorization,
      /SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target/,
    );
    const req: SignedRequest = { method: "POST", path: "/", query: "", headers, body };
    assert.deepEqual(verifySigV4(req, store, minutes(SIGNED_AT, 2)), {
      accessKeyId: ACCESS_KEY_ID,
      region: "eu-west-1",
    });
    assert.throws(
      () => verifySigV4({ ...req, body: body + " " }, store, SIGNED_AT),
      refusal("InvalidSignatureException", MISMATCH),
    );
  });

  it("accepts what the Cognito SDK client actually sends over HTTP", async () => {
    let captured: SignedRequest | undefined;
    const server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const url = request.url ?? "/";
        const question = url.indexOf("?");
        captured = {
          method: request.method ?? "",
          path: question === -1 ? url : url.slice(0, question),
          query: question === -1 ? "" : url.slice(question + 1),
          headers: request.headers,
          body: Buffer.concat(chunks),
        };
        response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        response.end(JSON.stringify({ Username: "alice", UserAttributes: [] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const client = new CognitoIdentityProviderClient({
      region: "ap-southeast-2",
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: "token" },
      maxAttempts: 1,
    });
    try {
      await client.send(new AdminGetUserCommand({ UserPoolId: "ap-southeast-2_Example", Username: "jörg" }));
    } finally {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    assert.ok(captured !== undefined);
    assert.deepEqual(verifySigV4(captured, store, new Date()), {
      accessKeyId: ACCESS_KEY_ID,
      region: "ap-southeast-2",
    });
  });

  it("matches the published SigV4 test vectors", () => {
    const at = new Date("2015-08-30T12:36:00Z");
    const vectorStore = staticCredentialStore([
      { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
    ]);
    // "get-vanilla" from the AWS SigV4 test suite.
    const vanilla: SignedRequest = {
      method: "GET",
      path: "/",
      query: "",
      headers: {
        host: "example.amazonaws.com",
        "x-amz-date": "20150830T123600Z",
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, " +
          "SignedHeaders=host;x-amz-date, " +
          "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
      },
      body: "",
    };
    assert.doesNotThrow(() => verifySigV4(vanilla, vectorStore, at, "service"));
    // The IAM ListUsers example from the SigV4 documentation, with a query string.
    const listUsers: SignedRequest = {
      method: "GET",
      path: "/",
      query: "Version=2010-05-08&Action=ListUsers",
      headers: {
        host: "iam.amazonaws.com",
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        "x-amz-date": "20150830T123600Z",
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, " +
          "SignedHeaders=content-type;host;x-amz-date, " +
          "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
      },
      body: "",
    };
    assert.doesNotThrow(() => verifySigV4(listUsers, vectorStore, at, "iam"));
  });

  it("accepts a Date header in HTTP-date format when there is no X-Amz-Date", () => {
    // "get-vanilla" from the original (2011) SigV4 test suite, which dates requests with "Date".
    const req: SignedRequest = {
      method: "GET",
      path: "/",
      query: "",
      headers: {
        host: "host.foo.com",
        date: "Mon, 09 Sep 2011 23:36:00 GMT",
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, " +
          "SignedHeaders=date;host, " +
          "Signature=b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470",
      },
      body: "",
    };
    const vectorStore = staticCredentialStore([
      { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
    ]);
    const at = new Date("2011-09-09T23:40:00Z");
    assert.doesNotThrow(() => verifySigV4(req, vectorStore, at, "host"));
    assert.throws(
      () => verifySigV4(withHeaders(req, { date: "Tue, 10 Sep 2011 23:36:00 GMT" }), vectorStore, at, "host"),
      refusal(
        "InvalidSignatureException",
        /^Signature not yet current: 20110910T233600Z is still later than/,
      ),
    );
  });
});

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
