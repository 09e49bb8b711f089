/**
 * Multi-Region replication: CreateUserPoolReplica, ListUserPoolReplicas, UpdateUserPoolReplica and
 * DeleteUserPoolReplica with their documented errors and status transitions, and the replica's region
 * serving the same pool and users: admins while INACTIVE, end users too once ACTIVE, through clients
 * configured for that region (SigV4 scope, regional endpoint), with the same token issuer.
 */
import assert from "node:assert/strict";
import { Agent } from "node:http";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolReplicaCommand,
  DeleteUserPoolReplicaCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUserPoolReplicasCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolReplicaCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import { rejectsWith } from "../../support/assert.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const PASSWORD = "Replica-passw0rd!";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("user pool replicas", () => {
  let server: TestServer;
  let east: CognitoIdentityProviderClient;
  let west: CognitoIdentityProviderClient;
  /** Unsigned requests sent to Cognito's regional endpoint of eu-west-1 (resolved to Lanyard). */
  let westEndpoint: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startServer();
    east = server.client();
    west = server.client(undefined, "eu-west-1");
    westEndpoint = new CognitoIdentityProviderClient({
      region: "eu-west-1",
      endpoint: `http://cognito-idp.eu-west-1.amazonaws.com:${server.port}`,
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
      maxAttempts: 1,
      requestHandler: {
        httpAgent: new Agent({
          lookup: (_host, _options, cb) => cb(null, [{ address: "127.0.0.1", family: 4 }]),
        }),
      },
    });
    poolId = (await east.send(new CreateUserPoolCommand({ PoolName: "replicated" }))).UserPool!.Id!;
    clientId = (
      await east.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "app",
          ExplicitAuthFlows: [
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
          ],
        }),
      )
    ).UserPoolClient!.ClientId!;
    await east.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: "rosa", MessageAction: "SUPPRESS" }),
    );
    await east.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "rosa",
        Password: PASSWORD,
        Permanent: true,
      }),
    );
  });
  after(async () => {
    westEndpoint?.destroy();
    await server.stop();
  });

  const signInWest = () =>
    westEndpoint.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "rosa", PASSWORD },
      }),
    );

  test("before a replica, the other region does not find the pool", async () => {
    await rejectsWith(
      west.send(new DescribeUserPoolCommand({ UserPoolId: poolId })),
      "ResourceNotFoundException",
      400,
      new RegExp(`^User pool ${poolId} does not exist\\.$`),
    );
    await rejectsWith(
      signInWest(),
      "ResourceNotFoundException",
      400,
      /^User pool client .* does not exist\.$/,
    );
  });

  test("CreateUserPoolReplica: a SECONDARY replica, CREATING, then INACTIVE", async () => {
    const { UserPoolReplica } = await east.send(
      new CreateUserPoolReplicaCommand({
        UserPoolId: poolId,
        RegionName: "eu-west-1",
        UserPoolTags: { team: "blue" },
      }),
    );
    assert.deepEqual(UserPoolReplica, {
      RegionName: "eu-west-1",
      Status: "CREATING",
      Role: "SECONDARY",
      UserPoolArn: `arn:aws:cognito-idp:eu-west-1:000000000000:userpool/${poolId}`,
    });
    await sleep(1100);
    const { UserPoolReplicas, NextToken } = await east.send(
      new ListUserPoolReplicasCommand({ UserPoolId: poolId }),
    );
    assert.equal(NextToken, undefined);
    assert.deepEqual(UserPoolReplicas, [
      {
        RegionName: "eu-west-1",
        Status: "INACTIVE",
        Role: "SECONDARY",
        UserPoolArn: `arn:aws:cognito-idp:eu-west-1:000000000000:userpool/${poolId}`,
      },
      {
        RegionName: "us-east-1",
        Status: "ACTIVE",
        Role: "PRIMARY",
        UserPoolArn: `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${poolId}`,
      },
    ]);
  });

  test("the documented errors of CreateUserPoolReplica", async () => {
    await rejectsWith(
      east.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "us-east-1" })),
      "InvalidParameterException",
      400,
      /primary Region/,
    );
    await rejectsWith(
      east.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "xx-nowhere-1" })),
      "InvalidParameterException",
      400,
      /^xx-nowhere-1 is not a valid AWS Region\.$/,
    );
    await rejectsWith(
      east.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "eu-west-1" })),
      "InvalidParameterException",
      400,
      /already has a replica in eu-west-1/,
    );
    await rejectsWith(
      east.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "ap-south-1" })),
      "LimitExceededException",
      400,
      /the limit is 1/,
    );
    await rejectsWith(
      east.send(
        new CreateUserPoolReplicaCommand({ UserPoolId: "us-east-1_nothere00", RegionName: "eu-west-1" }),
      ),
      "ResourceNotFoundException",
      400,
      /^User pool us-east-1_nothere00 does not exist\.$/,
    );
    const lite = (await east.send(new CreateUserPoolCommand({ PoolName: "lite", UserPoolTier: "LITE" })))
      .UserPool!.Id!;
    await rejectsWith(
      east.send(new CreateUserPoolReplicaCommand({ UserPoolId: lite, RegionName: "eu-west-1" })),
      "FeatureUnavailableInTierException",
      400,
    );
    // Only the primary region creates replicas.
    await rejectsWith(
      west.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "eu-central-1" })),
      "OperationNotEnabledException",
      400,
    );
    await rejectsWith(
      east.send(new ListUserPoolReplicasCommand({ UserPoolId: poolId, NextToken: "bogus" })),
      "InvalidParameterException",
      400,
    );
  });

  test("an INACTIVE replica serves administrators, not end users", async () => {
    const { UserPool } = await west.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    assert.equal(UserPool?.Id, poolId);
    const listed = await west.send(new ListUserPoolReplicasCommand({ UserPoolId: poolId }));
    assert.equal(listed.UserPoolReplicas?.length, 2);
    await rejectsWith(signInWest(), "OperationNotEnabledException", 400, /INACTIVE/);
    await rejectsWith(
      west.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "rosa", PASSWORD },
        }),
      ),
      "OperationNotEnabledException",
      400,
      /INACTIVE/,
    );
  });

  test("UpdateUserPoolReplica activates it; an ACTIVE replica's region signs users in, same issuer", async () => {
    await rejectsWith(
      east.send(
        new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "us-east-1", Status: "INACTIVE" }),
      ),
      "InvalidParameterException",
      400,
      /primary Region/,
    );
    await rejectsWith(
      east.send(
        new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "ap-south-1", Status: "ACTIVE" }),
      ),
      "ResourceNotFoundException",
      400,
      /has no replica in ap-south-1/,
    );
    // The request can be made in the secondary region too.
    const { UserPoolReplica } = await west.send(
      new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "eu-west-1", Status: "ACTIVE" }),
    );
    assert.equal(UserPoolReplica?.Status, "ACTIVE");
    assert.equal(UserPoolReplica?.Role, "SECONDARY");

    const west1 = (await signInWest()).AuthenticationResult!;
    const east1 = (
      await east.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "rosa", PASSWORD },
        }),
      )
    ).AuthenticationResult!;
    const jwks = createLocalJWKSet(
      (await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json()) as JSONWebKeySet,
    );
    const [w, e] = await Promise.all([jwtVerify(west1.IdToken!, jwks), jwtVerify(east1.IdToken!, jwks)]);
    assert.equal(w.payload.iss, e.payload.iss);
    assert.equal(w.payload.sub, e.payload.sub);
    // The same user, served in the replica's region.
    const me = await westEndpoint.send(new GetUserCommand({ AccessToken: west1.AccessToken! }));
    assert.equal(me.Username, "rosa");
    const admin = await west.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "rosa", PASSWORD },
      }),
    );
    assert.ok(admin.AuthenticationResult?.AccessToken);
  });

  test("a secondary region creates no users and changes no profiles", async () => {
    await rejectsWith(
      westEndpoint.send(new SignUpCommand({ ClientId: clientId, Username: "newbie", Password: PASSWORD })),
      "OperationNotEnabledException",
      400,
      /SignUp is not supported in the secondary Region eu-west-1/,
    );
    await rejectsWith(
      west.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: "newbie", MessageAction: "SUPPRESS" }),
      ),
      "OperationNotEnabledException",
      400,
    );
    const token = (await signInWest()).AuthenticationResult!.AccessToken!;
    await rejectsWith(
      westEndpoint.send(
        new UpdateUserAttributesCommand({
          AccessToken: token,
          UserAttributes: [{ Name: "name", Value: "Rosa" }],
        }),
      ),
      "OperationNotEnabledException",
      400,
    );
    // A region without a replica still does not find the pool.
    await rejectsWith(
      server.client(undefined, "ap-south-1").send(new DescribeUserPoolCommand({ UserPoolId: poolId })),
      "ResourceNotFoundException",
      400,
    );
  });

  test("DeleteUserPoolReplica: only INACTIVE, only from the primary region; DELETING, then gone", async () => {
    await rejectsWith(
      east.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "eu-west-1" })),
      "InvalidParameterException",
      400,
      /only an INACTIVE replica can be deleted/,
    );
    await east.send(
      new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "eu-west-1", Status: "INACTIVE" }),
    );
    await rejectsWith(
      west.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "eu-west-1" })),
      "OperationNotEnabledException",
      400,
    );
    await rejectsWith(
      east.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "us-east-1" })),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      east.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "ap-south-1" })),
      "ResourceNotFoundException",
      400,
    );
    const { UserPoolReplica } = await east.send(
      new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "eu-west-1" }),
    );
    assert.equal(UserPoolReplica?.Status, "DELETING");
    await sleep(1100);
    const { UserPoolReplicas } = await east.send(new ListUserPoolReplicasCommand({ UserPoolId: poolId }));
    assert.deepEqual(
      UserPoolReplicas?.map((r) => r.Role),
      ["PRIMARY"],
    );
    await rejectsWith(
      west.send(new DescribeUserPoolCommand({ UserPoolId: poolId })),
      "ResourceNotFoundException",
      400,
    );
    // And the pool may be replicated again.
    const again = await east.send(
      new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: "ap-south-1" }),
    );
    assert.equal(again.UserPoolReplica?.Status, "CREATING");
  });
});
