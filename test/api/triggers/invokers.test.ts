/**
 * The three invokers behind a server, through the AWS SDK: an HTTP endpoint (the event POSTed as
 * JSON, its answer read back, its failures mapped), the Lambda Invoke API at a configured endpoint
 * (a stand-in for it on 127.0.0.1, signed with the configured credentials), and the module
 * invoker's isolation: a function that loops forever does not stall another pool's sign-ups.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { PreSignUpTriggerEvent } from "aws-lambda";
import { poolWithClient } from "../../support/pools.ts";
import {
  arn,
  failsWith,
  FIXTURES,
  type LocalEndpoint,
  localEndpoint,
  startTriggerServer,
  type TriggerServer,
} from "../../support/triggers.ts";

const PASSWORD = "Corr3ct-Horse";

/** Confirms users whose name starts with "auto"; refuses those starting with "deny" as Lambda's error shape. */
function answer(event: Record<string, unknown>): {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
} {
  const e = event as unknown as PreSignUpTriggerEvent;
  if (e.userName.startsWith("deny"))
    return { status: 500, body: { errorMessage: "no thanks", errorType: "Error" } };
  if (e.userName.startsWith("auto")) e.response.autoConfirmUser = true;
  return { status: 200, body: e };
}

describe("the trigger invokers", () => {
  let t: TriggerServer;
  let client: CognitoIdentityProviderClient;
  let http: LocalEndpoint;
  let lambda: LocalEndpoint;

  before(async () => {
    http = await localEndpoint((event) => answer(event));
    lambda = await localEndpoint((event) => {
      const out = answer(event);
      // The Invoke API answers 200 and flags a function's own failure in a header.
      if (out.status !== 200)
        return { status: 200, body: out.body, headers: { "x-amz-function-error": "Unhandled" } };
      return out;
    });
    t = await startTriggerServer({
      [arn("over-http")]: { url: `${http.url}/invoke` },
      [arn("down")]: { url: "http://127.0.0.1:9/invoke" },
      "arn:aws:lambda:eu-west-1:*": {
        lambda: {
          endpoint: lambda.url,
          credentials: { accessKeyId: "AKIATRIGGERTEST", secretAccessKey: "trigger-test-secret-key" },
        },
      },
      [arn("named")]: {
        lambda: {
          endpoint: lambda.url,
          region: "us-west-2",
          functionName: "other-name",
          credentials: { accessKeyId: "AKIATRIGGERTEST2", secretAccessKey: "trigger-test-secret-key" },
        },
      },
      [arn("loops")]: { module: join(FIXTURES, "loops.ts") },
      [arn("record")]: { module: join(FIXTURES, "record.ts") },
    });
    client = t.server.client();
  });
  after(async () => {
    await t.stop();
    await http.close();
    await lambda.close();
  });

  const poolFor = (fn: string) => poolWithClient(client, { pool: { LambdaConfig: { PreSignUp: fn } } });
  const signUp = (clientId: string, username: string) =>
    client.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD }));
  const status = async (poolId: string, username: string) =>
    (await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;

  test("HTTP: the event is POSTed as JSON and the answer takes effect", async () => {
    const { poolId, clientId } = await poolFor(arn("over-http"));
    const out = await signUp(clientId, "auto-alice");
    assert.equal(out.UserConfirmed, true);
    assert.equal(await status(poolId, "auto-alice"), "CONFIRMED");
    const request = http.requests.at(-1)!;
    assert.equal(request.path, "/invoke");
    assert.match(String(request.headers["content-type"]), /^application\/json/);
    assert.equal(request.event.triggerSource, "PreSignUp_SignUp");
    assert.equal(request.event.userPoolId, poolId);
  });

  test("HTTP: an error answer with errorMessage is the function's failure", async () => {
    const { clientId } = await poolFor(arn("over-http"));
    await failsWith(
      signUp(clientId, "deny-bob"),
      "UserLambdaValidationException",
      "PreSignUp failed with error no thanks.",
    );
  });

  test("HTTP: an endpoint that does not answer is an UnexpectedLambdaException", async () => {
    const { clientId } = await poolFor(arn("down"));
    await failsWith(
      signUp(clientId, "carol"),
      "UnexpectedLambdaException",
      "PreSignUp invocation failed due to error Unable to reach the function's endpoint.",
    );
  });

  test("Lambda Invoke API: the function the ARN names, in its region, signed with the configured key", async () => {
    const fn = "arn:aws:lambda:eu-west-1:123456789012:function:pre-sign-up";
    const { poolId, clientId } = await poolFor(fn);
    assert.equal((await signUp(clientId, "auto-dave")).UserConfirmed, true);
    assert.equal(await status(poolId, "auto-dave"), "CONFIRMED");
    const request = lambda.requests.at(-1)!;
    assert.equal(request.path, `/2015-03-31/functions/${encodeURIComponent(fn)}/invocations`);
    assert.match(
      String(request.headers.authorization),
      /^AWS4-HMAC-SHA256 Credential=AKIATRIGGERTEST\/\d{8}\/eu-west-1\/lambda\/aws4_request/,
    );
    assert.equal(request.headers["x-amz-invocation-type"], "RequestResponse");
    assert.equal(request.event.userName, "auto-dave");
  });

  test("Lambda Invoke API: FunctionError is the function's failure", async () => {
    const { clientId } = await poolFor("arn:aws:lambda:eu-west-1:123456789012:function:pre-sign-up");
    await failsWith(
      signUp(clientId, "deny-erin"),
      "UserLambdaValidationException",
      "PreSignUp failed with error no thanks.",
    );
  });

  test("Lambda Invoke API: a configured function name and region", async () => {
    const { clientId } = await poolFor(arn("named"));
    await signUp(clientId, "frank");
    const request = lambda.requests.at(-1)!;
    assert.equal(request.path, "/2015-03-31/functions/other-name/invocations");
    assert.match(
      String(request.headers.authorization),
      /Credential=AKIATRIGGERTEST2\/\d{8}\/us-west-2\/lambda\//,
    );
  });

  test("a module that loops forever stalls no other request", async () => {
    const looping = await poolFor(arn("loops"));
    const other = await poolFor(arn("record"));
    const started = Date.now();
    const stuck = signUp(looping.clientId, "grace").then(
      () => "answered",
      (e: Error) => e.name,
    );
    for (let i = 0; i < 5; i++) await signUp(other.clientId, `heidi-${i}`);
    assert.ok(Date.now() - started < 3000, "the other sign-ups waited for the looping function");
    assert.equal(await stuck, "UnexpectedLambdaException");
    assert.equal(await status(other.poolId, "heidi-4"), "UNCONFIRMED");
  });
});
