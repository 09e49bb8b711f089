import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  DeleteUserPoolClientCommand,
  ListUserPoolClientsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { clientsSuite } from "./setup.ts";

describe("app clients and client secrets", () => {
  const suite = clientsSuite();
  const { newPool, newClient, describe_, clientIds, secretIds } = suite;
  let cognito: CognitoIdentityProviderClient;
  let poolId: string;
  before(() => {
    ({ cognito, poolId } = suite);
  });

  describe("DeleteUserPoolClient", () => {
    test("the client and its secrets are gone", async () => {
      const c = await newClient({ GenerateSecret: true });
      await cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId }));
      await rejectsWith(describe_(c.ClientId!), "ResourceNotFoundException", 400);
      assert.ok(!(await clientIds(poolId)).includes(c.ClientId!));
      await rejectsWith(secretIds(c.ClientId!), "ResourceNotFoundException", 400);
      await rejectsWith(
        cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId })),
        "ResourceNotFoundException",
        400,
        /^User pool client \w+ does not exist\.$/,
      );
    });

    test("an unknown pool is ResourceNotFoundException", async () => {
      await rejectsWith(
        cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: "us-east-1_NoSuchOne", ClientId: "abc" })),
        "ResourceNotFoundException",
        400,
      );
    });
  });

  describe("ListUserPoolClients", () => {
    test("pages through every client with stable tokens", async () => {
      const pool = await newPool();
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push((await newClient({ ClientName: `c${i}` }, pool)).ClientId!);
      const seen: string[] = [];
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const page = await cognito.send(
          new ListUserPoolClientsCommand({ UserPoolId: pool, MaxResults: 2, NextToken }),
        );
        assert.ok((page.UserPoolClients?.length ?? 0) <= 2);
        for (const d of page.UserPoolClients ?? []) {
          assert.equal(d.UserPoolId, pool);
          assert.match(d.ClientName ?? "", /^c\d$/);
          assert.deepEqual(Object.keys(d).sort(), ["ClientId", "ClientName", "UserPoolId"]);
          seen.push(d.ClientId!);
        }
        NextToken = page.NextToken;
        pages++;
      } while (NextToken);
      assert.equal(pages, 3);
      assert.deepEqual(seen, created);
    });

    test("a token of another pool's list is refused", async () => {
      const pool = await newPool();
      await newClient({}, pool);
      await newClient({}, pool);
      const page = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: pool, MaxResults: 1 }));
      assert.ok(page.NextToken);
      await rejectsWith(
        cognito.send(
          new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 1, NextToken: page.NextToken }),
        ),
        "InvalidParameterException",
        400,
      );
    });

    test("ClientType filters: every client is REGULAR, none is DCR", async () => {
      const pool = await newPool();
      const c = await newClient({}, pool);
      const regular = await cognito.send(
        new ListUserPoolClientsCommand({ UserPoolId: pool, ClientType: "REGULAR" }),
      );
      assert.deepEqual(
        regular.UserPoolClients?.map((d) => d.ClientId),
        [c.ClientId],
      );
      const dcr = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: pool, ClientType: "DCR" }));
      assert.deepEqual(dcr.UserPoolClients, []);
    });

    test("an empty pool lists none; an unknown pool is ResourceNotFoundException", async () => {
      const pool = await newPool();
      const { UserPoolClients, NextToken } = await cognito.send(
        new ListUserPoolClientsCommand({ UserPoolId: pool }),
      );
      assert.deepEqual(UserPoolClients, []);
      assert.equal(NextToken, undefined);
      await rejectsWith(
        cognito.send(new ListUserPoolClientsCommand({ UserPoolId: "us-east-1_NoSuchOne" })),
        "ResourceNotFoundException",
        400,
      );
    });
  });
});
