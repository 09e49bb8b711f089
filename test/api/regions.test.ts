/**
 * A pool lives in one region: a request for another region (the SigV4 credential scope, or for
 * unsigned operations the regional endpoint it was sent to) does not find it, as in Cognito.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUsersCommand,
  TagResourceCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { poolWithClient } from "../support/pools.ts";
import { startServer, type TestServer } from "../support/server.ts";

/** An unsigned request sent as if to `host` (a regional Cognito endpoint name). */
function unsigned(
  server: TestServer,
  host: string,
  target: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: server.port,
        method: "POST",
        path: "/",
        headers: {
          host,
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `AWSCognitoIdentityProviderService.${target}`,
        },
      },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text || "{}") }));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

describe("regions", () => {
  let server: TestServer;
  let east: CognitoIdentityProviderClient;
  let west: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  before(async () => {
    server = await startServer();
    east = server.client();
    west = server.client(undefined, "eu-west-1");
    ({ poolId, clientId } = await poolWithClient(east, {
      pool: { PoolName: "east" },
      app: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    }));
    await east.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: "ed", MessageAction: "SUPPRESS" }),
    );
  });
  after(() => server.stop());

  test("a us-east-1 pool is not found by requests signed for eu-west-1", async () => {
    assert.match(poolId, /^us-east-1_/);
    const notFound = new RegExp(`^User pool ${poolId} does not exist\\.$`);
    await rejectsWith(
      west.send(new DescribeUserPoolCommand({ UserPoolId: poolId })),
      "ResourceNotFoundException",
      400,
      notFound,
    );
    await rejectsWith(
      west.send(new ListUsersCommand({ UserPoolId: poolId })),
      "ResourceNotFoundException",
      400,
      notFound,
    );
    await rejectsWith(
      west.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "ed" })),
      "ResourceNotFoundException",
      400,
      notFound,
    );
    await rejectsWith(
      west.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId })),
      "ResourceNotFoundException",
      400,
      notFound,
    );
    // The same requests signed for the pool's own region succeed.
    const { UserPool } = await east.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    assert.equal(UserPool?.Id, poolId);
  });

  test("a pool's ARN is refused when signed for another region", async () => {
    const { UserPool } = await east.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    await rejectsWith(
      west.send(new TagResourceCommand({ ResourceArn: UserPool!.Arn!, Tags: { team: "blue" } })),
      "ResourceNotFoundException",
      400,
      new RegExp(`^User pool ${poolId} does not exist\\.$`),
    );
  });

  test("unsigned operations sent to another region's endpoint do not find the app client", async () => {
    const body = {
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "ed", PASSWORD: "whatever-Passw0rd!" },
    };
    const wrong = await unsigned(server, "cognito-idp.eu-west-1.amazonaws.com", "InitiateAuth", body);
    assert.equal(wrong.status, 400);
    assert.deepEqual(wrong.json, {
      __type: "ResourceNotFoundException",
      message: `User pool client ${clientId} does not exist.`,
    });
    const signUp = await unsigned(server, "cognito-idp.eu-west-1.amazonaws.com", "SignUp", {
      ClientId: clientId,
      Username: "newcomer",
      Password: "Newcomer-passw0rd!",
    });
    assert.equal(signUp.json.__type, "ResourceNotFoundException");
    // The pool's own regional endpoint, or an endpoint that names no region, finds it.
    const right = await unsigned(server, "cognito-idp.us-east-1.amazonaws.com", "InitiateAuth", body);
    assert.equal(right.json.__type, "NotAuthorizedException");
    const local = await unsigned(server, `127.0.0.1:${server.port}`, "InitiateAuth", body);
    assert.equal(local.json.__type, "NotAuthorizedException");
  });
});
