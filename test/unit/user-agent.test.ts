/** callerContext.awsSdkVersion from a User-Agent, as in the trigger events Cognito sends. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { awsSdkVersion } from "../../src/protocol/user-agent.ts";

test("the AWS SDKs' product token, as aws-sdk-<language>-<version>", () => {
  const cases: [string, string][] = [
    [
      "aws-sdk-js/3.893.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#24.2.0 api/cognito-identity-provider#3.893.0",
      "aws-sdk-js-3.893.0",
    ],
    ["aws-sdk-nodejs/2.856.0 linux/v14.17.0 exec-env/AWS_Lambda_nodejs14.x", "aws-sdk-nodejs-2.856.0"],
    ["aws-sdk-js/2.1639.0 promise", "aws-sdk-js-2.1639.0"],
    [
      "aws-sdk-java/2.20.43 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.6+10-LTS Java/17.0.6",
      "aws-sdk-java-2.20.43",
    ],
    [
      "aws-sdk-java/1.11.93 Mac_OS_X/10.12.3 Java_HotSpot(TM)_64-Bit_Server_VM/25.112-b16/1.8.0_112",
      "aws-sdk-java-1.11.93",
    ],
    ["aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22 md/GOOS#linux", "aws-sdk-go-v2-1.30.3"],
    ["Mozilla/5.0 (X11) aws-sdk-js/3.241.0", "aws-sdk-js-3.241.0"],
  ];
  for (const [ua, expected] of cases) assert.equal(awsSdkVersion(ua), expected, ua);
});

test("no SDK named: undefined (the event says aws-sdk-unknown-unknown)", () => {
  for (const ua of [
    undefined,
    "",
    "aws-cli/2.15.0 md/awscrt#0.19.17 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.6",
    "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 Botocore/1.34.0",
    "aws-amplify/6.0.0 auth/1 framework/0",
    "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0",
    "my-aws-sdk-js/3.0.0",
  ])
    assert.equal(awsSdkVersion(ua), undefined, ua);
});
