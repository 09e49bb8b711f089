import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  DeleteResourceServerCommand,
  DescribeResourceServerCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { rawRequest } from "../../support/server.ts";
import { hostingSuite } from "./setup.ts";

const READ = { ScopeName: "read", ScopeDescription: "Read the data" };
const WRITE = { ScopeName: "write", ScopeDescription: "Write the data" };

describe("resource servers", () => {
  const suite = hostingSuite();

  test("created, described, updated, listed page by page, deleted", async () => {
    const { cognito } = suite;
    const poolId = await suite.newPool();
    const { ResourceServer: created } = await cognito.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: "https://api.example.com",
        Name: "Example API",
        Scopes: [READ, WRITE],
      }),
    );
    assert.deepEqual(created, {
      UserPoolId: poolId,
      Identifier: "https://api.example.com",
      Name: "Example API",
      Scopes: [READ, WRITE],
    });
    const { ResourceServer: described } = await cognito.send(
      new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: "https://api.example.com" }),
    );
    assert.deepEqual(described, created);

    const { ResourceServer: updated } = await cognito.send(
      new UpdateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: "https://api.example.com",
        Name: "Renamed",
        Scopes: [WRITE],
      }),
    );
    assert.equal(updated!.Name, "Renamed");
    assert.deepEqual(updated!.Scopes, [WRITE]);

    for (const id of ["b", "c", "d"])
      await cognito.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: id, Name: id }));
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cognito.send(
        new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 3, NextToken }),
      );
      assert.ok(page.ResourceServers!.length <= 3);
      seen.push(...page.ResourceServers!.map((s) => s.Identifier!));
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(seen, ["https://api.example.com", "b", "c", "d"]);
    await rejectsWith(
      cognito.send(
        new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 2, NextToken: "bogus.token" }),
      ),
      "InvalidParameterException",
      400,
      /^Invalid pagination token\.$/,
    );

    await cognito.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: "b" }));
    await rejectsWith(
      cognito.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: "b" })),
      "ResourceNotFoundException",
      400,
      /^Resource server b does not exist\.$/,
    );
  });

  test("the errors of the reference: duplicates, unknown servers and pools, the per-pool limit", async () => {
    const { cognito } = suite;
    const poolId = await suite.newPool();
    await cognito.send(
      new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: "api", Name: "api" }),
    );
    await rejectsWith(
      cognito.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: "api", Name: "again" })),
      "InvalidParameterException",
      400,
      new RegExp(`^api already exists in user pool ${poolId}\\.$`),
    );
    for (const send of [
      () =>
        cognito.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: "none", Name: "x" })),
      () => cognito.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: "none" })),
    ])
      await rejectsWith(send(), "ResourceNotFoundException", 400, /^Resource server none does not exist\.$/);
    await rejectsWith(
      cognito.send(new ListResourceServersCommand({ UserPoolId: "us-east-1_nothere00", MaxResults: 5 })),
      "ResourceNotFoundException",
      400,
      /^User pool us-east-1_nothere00 does not exist\.$/,
    );
    await rejectsWith(
      cognito.send(
        new CreateResourceServerCommand({
          UserPoolId: poolId,
          Identifier: "dups",
          Name: "dups",
          Scopes: [READ, { ...READ, ScopeDescription: "again" }],
        }),
      ),
      "InvalidParameterException",
      400,
    );
    for (let i = 1; i < 25; i++)
      await cognito.send(
        new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: `s${i}`, Name: "n" }),
      );
    await rejectsWith(
      cognito.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: "s25", Name: "n" })),
      "LimitExceededException",
      400,
    );
  });

  test("bad input gets AWS's validation errors", async () => {
    const { cognito, server } = suite;
    const poolId = await suite.newPool();
    const create = (input: Record<string, unknown>) =>
      cognito.send(
        new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: "ok", Name: "ok", ...input }),
      );
    await rejectsWith(create({ Identifier: "has space" }), "InvalidParameterException", 400, /identifier/);
    await rejectsWith(
      create({ Identifier: "x".repeat(257) }),
      "InvalidParameterException",
      400,
      /length less than or equal to 256/,
    );
    await rejectsWith(create({ Name: "bad/name" }), "InvalidParameterException", 400, /name/);
    await rejectsWith(
      create({ Scopes: [{ ScopeName: "has/slash", ScopeDescription: "d" }] }),
      "InvalidParameterException",
      400,
      /scopes\.1\.member\.scopeName/,
    );
    await rejectsWith(
      create({ Scopes: [{ ScopeName: "s", ScopeDescription: "d".repeat(257) }] }),
      "InvalidParameterException",
      400,
      /scopeDescription/,
    );
    await rejectsWith(
      create({
        Scopes: Array.from({ length: 101 }, (_, i) => ({ ScopeName: `s${i}`, ScopeDescription: "d" })),
      }),
      "InvalidParameterException",
      400,
      /length less than or equal to 100/,
    );
    await rejectsWith(
      cognito.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 51 })),
      "InvalidParameterException",
      400,
      /maxResults/,
    );
    const wrongType = await rawRequest(
      server.url,
      "CreateResourceServer",
      JSON.stringify({ UserPoolId: poolId, Identifier: "t", Name: "t", Scopes: "read" }),
    );
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.json.__type, "SerializationException");
  });

  test("app clients allow the pool's custom scopes and refuse unknown ones", async () => {
    const { cognito } = suite;
    const poolId = await suite.newPool();
    await cognito.send(
      new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: "api", Name: "api", Scopes: [READ] }),
    );
    const oauth = {
      UserPoolId: poolId,
      ClientName: "web",
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code" as const],
      CallbackURLs: ["https://app.example.com/cb"],
    };
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({ ...oauth, AllowedOAuthScopes: ["openid", "email", "api/read"] }),
    );
    assert.deepEqual(UserPoolClient!.AllowedOAuthScopes, ["openid", "email", "api/read"]);
    await rejectsWith(
      cognito.send(
        new CreateUserPoolClientCommand({ ...oauth, AllowedOAuthScopes: ["openid", "api/write"] }),
      ),
      "ScopeDoesNotExistException",
      400,
      /^Invalid scope requested: api\/write$/,
    );
    await rejectsWith(
      cognito.send(
        new UpdateUserPoolClientCommand({
          ...oauth,
          ClientId: UserPoolClient!.ClientId!,
          AllowedOAuthScopes: ["other/read"],
        }),
      ),
      "ScopeDoesNotExistException",
      400,
      /^Invalid scope requested: other\/read$/,
    );
    // Machine-to-machine clients take custom scopes (and only those).
    const m2m = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "m2m",
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["client_credentials"],
        AllowedOAuthScopes: ["api/read"],
      }),
    );
    assert.deepEqual(m2m.UserPoolClient!.AllowedOAuthScopes, ["api/read"]);
    // Once its server is gone, a scope can no longer be given to a client.
    await cognito.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: "api" }));
    await rejectsWith(
      cognito.send(new CreateUserPoolClientCommand({ ...oauth, AllowedOAuthScopes: ["api/read"] })),
      "ScopeDoesNotExistException",
      400,
      /^Invalid scope requested: api\/read$/,
    );
  });
});
