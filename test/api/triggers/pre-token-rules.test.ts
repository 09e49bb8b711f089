/**
 * PreTokenGeneration's rules on what a function may change, as the developer guide's "Claims and
 * scopes reference" gives them, for V2_0 (and V1_0 where they apply): a claim both added and
 * suppressed is suppressed; no `cognito:` claim is added or changed, and `cognito:groups` alone can
 * be suppressed (taking `cognito:roles` and `cognito:preferred_role` with it); `dev:` attributes
 * cannot be added; `aud` can be added to the access token with the app client's id only;
 * groupOverrideDetails replaces the group configuration whole (an empty one leaves no groups).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminAddUserToGroupCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  InitiateAuthCommand,
  type LambdaConfigType,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt, type JWTPayload } from "jose";
import { confirmedUser, poolWithClient } from "../../support/pools.ts";
import { arn, FIXTURES, startTriggerServer, type TriggerServer } from "../../support/triggers.ts";

const PASSWORD = "Corr3ct-Horse";
const ADMIN_ROLE = "arn:aws:iam::123456789012:role/admin";
const READER_ROLE = "arn:aws:iam::123456789012:role/reader";

describe("PreTokenGeneration: what a function may change", () => {
  let t: TriggerServer;
  let client: CognitoIdentityProviderClient;

  before(async () => {
    t = await startTriggerServer({ [arn("rules")]: { module: join(FIXTURES, "pre-token-rules.ts") } });
    client = t.server.client();
  });
  after(() => t.stop());

  /** A pool with the function and the user `name`, in groups admins (with a role) and readers. */
  async function tokensOf(lambda: LambdaConfigType, name: string) {
    const { poolId, clientId } = await poolWithClient(client, {
      pool: { LambdaConfig: lambda },
      app: { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    await confirmedUser(client, poolId, name, PASSWORD, [{ Name: "email", Value: `${name}@example.com` }]);
    for (const [GroupName, RoleArn, Precedence] of [
      ["admins", ADMIN_ROLE, 1],
      ["readers", READER_ROLE, 2],
    ] as const) {
      await client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName, RoleArn, Precedence }));
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: name, GroupName }));
    }
    const out = await client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: name, PASSWORD },
      }),
    );
    const id: JWTPayload = decodeJwt(out.AuthenticationResult!.IdToken!);
    const access: JWTPayload = decodeJwt(out.AuthenticationResult!.AccessToken!);
    return { id, access, clientId };
  }
  const V2: LambdaConfigType = {
    PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn("rules") },
  };
  const V1: LambdaConfigType = {
    PreTokenGenerationConfig: { LambdaVersion: "V1_0", LambdaArn: arn("rules") },
  };

  test("the groups as issued without a group override", async () => {
    const { id, access } = await tokensOf(V2, "plain");
    assert.deepEqual(id["cognito:groups"], ["admins", "readers"]);
    assert.deepEqual(id["cognito:roles"], [ADMIN_ROLE, READER_ROLE]);
    assert.equal(id["cognito:preferred_role"], ADMIN_ROLE);
    assert.deepEqual(access["cognito:groups"], ["admins", "readers"]);
  });

  test("a claim both added and suppressed is suppressed (V2_0 and V1_0)", async () => {
    for (const lambda of [V2, V1]) {
      const { id, access } = await tokensOf(lambda, "suppress-wins");
      assert.equal(id.tenant, undefined);
      assert.equal(id.nickname, "n");
      assert.equal(access.tenant, undefined);
    }
  });

  test("no cognito: claim is added or changed; dev: attributes cannot be added", async () => {
    const { id, access } = await tokensOf(V2, "prefixes");
    assert.equal(id["cognito:foo"], undefined);
    assert.equal(access["cognito:foo"], undefined);
    assert.equal(id["dev:custom:secret"], undefined);
    assert.deepEqual(id["cognito:groups"], ["admins", "readers"]);
    assert.equal(id["cognito:username"], "prefixes");
    // cognito:preferred_role is suppressed only with cognito:groups, not alone.
    assert.equal(id["cognito:preferred_role"], ADMIN_ROLE);
  });

  test("suppressing cognito:groups takes the roles with it, in that token only", async () => {
    const { id, access } = await tokensOf(V2, "suppress-groups");
    assert.equal(id["cognito:groups"], undefined);
    assert.equal(id["cognito:roles"], undefined);
    assert.equal(id["cognito:preferred_role"], undefined);
    assert.deepEqual(access["cognito:groups"], ["admins", "readers"]);
  });

  test("aud: added to the access token with the app client's id only, never to the ID token", async () => {
    const added = await tokensOf(V2, "aud");
    assert.equal(added.access.aud, added.clientId);
    assert.equal(added.id.aud, added.clientId, "the ID token's aud stays the app client");
    const other = await tokensOf(V2, "aud-other");
    assert.equal(other.access.aud, undefined);
  });

  test("groupOverrideDetails replaces the group configuration whole (V2_0 and V1_0)", async () => {
    for (const lambda of [V2, V1]) {
      const empty = await tokensOf(lambda, "empty-groups");
      for (const token of [empty.id, empty.access]) {
        assert.equal(token["cognito:groups"], undefined);
        assert.equal(token["cognito:roles"], undefined);
        assert.equal(token["cognito:preferred_role"], undefined);
      }
      const partial = await tokensOf(lambda, "partial-groups");
      assert.deepEqual(partial.id["cognito:groups"], ["readers"]);
      assert.equal(partial.id["cognito:roles"], undefined);
      assert.equal(partial.id["cognito:preferred_role"], undefined);
      assert.deepEqual(partial.access["cognito:groups"], ["readers"]);
      assert.equal(partial.access["cognito:roles"], undefined);
    }
  });
});
