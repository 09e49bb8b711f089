/**
 * `callerContext.awsSdkVersion`: the SDK the request's User-Agent names, as Cognito fills it
 * (`aws-sdk-js-<version>` for the AWS SDK for JavaScript v3 the tests use, `aws-sdk-java-2.20.43`
 * for the Java SDK's User-Agent), and `aws-sdk-unknown-unknown` for a request that names none
 * (the AWS CLI's User-Agent, amazon-cognito-identity-js, no User-Agent at all, the managed login
 * page).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type CognitoIdentityProviderClient, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserAttribute, CognitoUserPool } from "amazon-cognito-identity-js";
import type { PreSignUpTriggerEvent } from "aws-lambda";
import { poolWithClient } from "../../support/pools.ts";
import { arn, FIXTURES, startTriggerServer, type TriggerServer } from "../../support/triggers.ts";

const PASSWORD = "Corr3ct-Horse";

describe("callerContext.awsSdkVersion", () => {
  let t: TriggerServer;
  let client: CognitoIdentityProviderClient;
  let clientId: string;
  let poolId: string;

  before(async () => {
    t = await startTriggerServer({ [arn("record")]: { module: join(FIXTURES, "record.ts") } });
    client = t.server.client();
    ({ clientId, poolId } = await poolWithClient(client, {
      pool: { LambdaConfig: { PreSignUp: arn("record") } },
    }));
  });
  after(() => t.stop());

  const versionOf = (username: string) =>
    t.events<PreSignUpTriggerEvent>("PreSignUp_SignUp").find((e) => e.userName === username)!.callerContext
      .awsSdkVersion;

  /** SignUp sent by hand with these headers (it is unsigned). */
  async function rawSignUp(username: string, headers: Record<string, string>): Promise<void> {
    const res = await fetch(`${t.server.url}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.SignUp",
        ...headers,
      },
      body: JSON.stringify({ ClientId: clientId, Username: username, Password: PASSWORD }),
    });
    assert.equal(res.status, 200, await res.text());
  }

  test("the AWS SDK for JavaScript v3: aws-sdk-js-3.<minor>.<patch>", async () => {
    await client.send(new SignUpCommand({ ClientId: clientId, Username: "js-v3", Password: PASSWORD }));
    assert.match(versionOf("js-v3"), /^aws-sdk-js-3\.\d+\.\d+$/);
  });

  test("other SDKs' User-Agent (or a browser's X-Amz-User-Agent)", async () => {
    await rawSignUp("java", {
      "user-agent": "aws-sdk-java/2.20.43 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.6+10-LTS Java/17.0.6",
    });
    assert.equal(versionOf("java"), "aws-sdk-java-2.20.43");
    await rawSignUp("node-v2", { "user-agent": "aws-sdk-nodejs/2.856.0 linux/v14.17.0" });
    assert.equal(versionOf("node-v2"), "aws-sdk-nodejs-2.856.0");
    await rawSignUp("browser", {
      "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0",
      "x-amz-user-agent": "aws-sdk-js/3.241.0 ua/2.0 os/other lang/js md/browser#Chrome_120.0",
    });
    assert.equal(versionOf("browser"), "aws-sdk-js-3.241.0");
  });

  test("a request that names no SDK: aws-sdk-unknown-unknown", async () => {
    await rawSignUp("cli", {
      "user-agent":
        "aws-cli/2.15.0 md/awscrt#0.19.17 ua/2.0 os/linux#6.1 lang/python#3.11.6 command/cognito-idp.sign-up",
    });
    assert.equal(versionOf("cli"), "aws-sdk-unknown-unknown");
    await rawSignUp("none", {});
    assert.equal(versionOf("none"), "aws-sdk-unknown-unknown");
    const pool = new CognitoUserPool({
      UserPoolId: poolId,
      ClientId: clientId,
      endpoint: `${t.server.url}/`,
    });
    await new Promise((resolve, reject) =>
      pool.signUp(
        "identity-js",
        PASSWORD,
        [new CognitoUserAttribute({ Name: "name", Value: "Id" })],
        [],
        (err, r) => (err ? reject(err) : resolve(r)),
      ),
    );
    assert.equal(versionOf("identity-js"), "aws-sdk-unknown-unknown");
  });
});
