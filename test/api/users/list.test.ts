import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { usersSuite } from "./setup.ts";

describe("users", () => {
  const suite = usersSuite();
  const { pool } = suite;
  let client: CognitoIdentityProviderClient;
  before(() => {
    ({ client } = suite);
  });

  test("ListUsers: filters, AttributesToGet, Limit and stable pagination", async () => {
    const id = await pool();
    const names = ["maria", "mark", "martin", "nina", "oscar", "mary"];
    for (const n of names) {
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: id,
          Username: n,
          UserAttributes: [
            { Name: "email", Value: `${n}@example.com` },
            { Name: "given_name", Value: n.toUpperCase() },
          ],
          MessageAction: "SUPPRESS",
        }),
      );
    }
    const exact = await client.send(
      new ListUsersCommand({ UserPoolId: id, Filter: 'email = "nina@example.com"' }),
    );
    assert.deepEqual(
      exact.Users?.map((u) => u.Username),
      ["nina"],
    );
    const prefix = await client.send(new ListUsersCommand({ UserPoolId: id, Filter: 'username ^= "mar"' }));
    assert.deepEqual(prefix.Users?.map((u) => u.Username).sort(), ["maria", "mark", "martin", "mary"]);
    const status = await client.send(
      new ListUsersCommand({ UserPoolId: id, Filter: 'cognito:user_status = "FORCE_CHANGE_PASSWORD"' }),
    );
    assert.equal(status.Users?.length, names.length);
    const some = await client.send(
      new ListUsersCommand({ UserPoolId: id, AttributesToGet: ["email"], Limit: 1 }),
    );
    assert.deepEqual(
      some.Users?.[0]?.Attributes?.map((a) => a.Name),
      ["email"],
    );

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListUsersCommand({ UserPoolId: id, Filter: 'email ^= "ma"', Limit: 2, PaginationToken: token }),
      );
      assert.ok((page.Users?.length ?? 0) <= 2);
      seen.push(...(page.Users?.map((u) => u.Username!) ?? []));
      token = page.PaginationToken;
    } while (token);
    assert.deepEqual(seen.sort(), ["maria", "mark", "martin", "mary"]);

    await rejectsWith(
      client.send(new ListUsersCommand({ UserPoolId: id, Filter: "email = nina" })),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      client.send(new ListUsersCommand({ UserPoolId: id, Filter: 'nickname = "x"' })),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      client.send(new ListUsersCommand({ UserPoolId: id, PaginationToken: "bogus" })),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      client.send(new ListUsersCommand({ UserPoolId: "us-east-1_missing00" })),
      "ResourceNotFoundException",
      400,
    );
  });
});
