import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { type SignedRequest, staticCredentialStore, verifySigV4 } from "../../../src/protocol/sigv4.ts";
import {
  ACCESS_KEY_ID,
  SECRET,
  store,
  SIGNED_AT,
  TARGET,
  MISMATCH,
  minutes,
  withHeaders,
  refusal,
} from "./setup.ts";

describe("verifySigV4: requests signed by AWS signers", () => {
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
