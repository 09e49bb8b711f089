/** Terms documents through the AWS SDK: CreateTerms, Describe(ByClient), ListTerms, UpdateTerms, DeleteTerms. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CreateTermsCommand,
  type CreateTermsCommandInput,
  CreateUserPoolClientCommand,
  DeleteTermsCommand,
  DeleteUserPoolClientCommand,
  DescribeTermsByClientCommand,
  DescribeTermsCommand,
  ListTermsCommand,
  UpdateTermsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { poolWithClient } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MISSING = "0b6c2f3e-1d4a-4c5b-9e8f-7a6b5c4d3e2f";

describe("terms documents", () => {
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  before(async () => {
    server = await startServer();
    cognito = server.client();
  });
  after(() => server.stop());

  const terms = (poolId: string, clientId: string, over: Partial<CreateTermsCommandInput> = {}) =>
    new CreateTermsCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      TermsName: "terms-of-use",
      TermsSource: "LINK",
      Enforcement: "NONE",
      Links: {
        "cognito:default": "https://example.com/terms",
        "cognito:spanish": "https://example.com/es/terms",
      },
      ...over,
    });

  test("created, described by id and by client, listed, updated and deleted", async () => {
    const { poolId, clientId } = await poolWithClient(cognito);
    const { Terms: created } = await cognito.send(terms(poolId, clientId));
    assert.match(created!.TermsId!, UUID);
    assert.equal(created!.UserPoolId, poolId);
    assert.equal(created!.ClientId, clientId);
    assert.equal(created!.TermsName, "terms-of-use");
    assert.equal(created!.TermsSource, "LINK");
    assert.equal(created!.Enforcement, "NONE");
    assert.deepEqual(created!.Links, {
      "cognito:default": "https://example.com/terms",
      "cognito:spanish": "https://example.com/es/terms",
    });
    assert.ok(created!.CreationDate instanceof Date);
    assert.ok(created!.LastModifiedDate instanceof Date);
    const id = created!.TermsId!;

    const byId = await cognito.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: id }));
    assert.deepEqual(byId.Terms, created);
    const byClient = await cognito.send(
      new DescribeTermsByClientCommand({ UserPoolId: poolId, ClientId: clientId, TermsName: "terms-of-use" }),
    );
    assert.deepEqual(byClient.Terms, created);

    const { Terms: privacy } = await cognito.send(
      terms(poolId, clientId, {
        TermsName: "privacy-policy",
        Links: { "cognito:default": "https://example.com/p" },
      }),
    );
    const listed = await cognito.send(new ListTermsCommand({ UserPoolId: poolId }));
    assert.deepEqual(
      listed.Terms!.map((t) => [t.TermsId, t.TermsName, t.Enforcement]),
      [
        [id, "terms-of-use", "NONE"],
        [privacy!.TermsId, "privacy-policy", "NONE"],
      ],
    );
    assert.ok(listed.Terms![0]!.CreationDate instanceof Date);
    assert.equal(listed.NextToken, undefined);

    await new Promise((r) => setTimeout(r, 1100));
    const { Terms: updated } = await cognito.send(
      new UpdateTermsCommand({
        UserPoolId: poolId,
        TermsId: id,
        Links: { "cognito:french": "https://example.com/fr/terms" },
      }),
    );
    assert.deepEqual(
      updated!.Links,
      { "cognito:french": "https://example.com/fr/terms" },
      "Links replaced whole",
    );
    assert.equal(updated!.TermsName, "terms-of-use", "what the update leaves out stays");
    assert.ok(updated!.LastModifiedDate! > created!.LastModifiedDate!);
    assert.deepEqual(updated!.CreationDate, created!.CreationDate);

    await cognito.send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: id }));
    await rejectsWith(
      cognito.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: id })),
      "ResourceNotFoundException",
      400,
    );
    await rejectsWith(
      cognito.send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: id })),
      "ResourceNotFoundException",
      400,
    );
    const after = await cognito.send(new ListTermsCommand({ UserPoolId: poolId }));
    assert.deepEqual(
      after.Terms!.map((t) => t.TermsId),
      [privacy!.TermsId],
    );
  });

  test("one document of each name per app client: TermsExistsException", async () => {
    const { poolId, clientId } = await poolWithClient(cognito);
    await cognito.send(terms(poolId, clientId));
    await rejectsWith(
      cognito.send(terms(poolId, clientId, { Links: { "cognito:default": "https://other.example" } })),
      "TermsExistsException",
      400,
    );
    // Another client of the pool has its own.
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "other" }),
    );
    await cognito.send(terms(poolId, UserPoolClient!.ClientId!));
    // Renaming to a name the client has is refused too.
    const { Terms: privacy } = await cognito.send(terms(poolId, clientId, { TermsName: "privacy-policy" }));
    await rejectsWith(
      cognito.send(
        new UpdateTermsCommand({ UserPoolId: poolId, TermsId: privacy!.TermsId!, TermsName: "terms-of-use" }),
      ),
      "TermsExistsException",
      400,
    );
  });

  test("the documented constraints", async () => {
    const { poolId, clientId } = await poolWithClient(cognito);
    await rejectsWith(
      cognito.send(terms(poolId, clientId, { TermsName: "cookies" })),
      "InvalidParameterException",
      400,
      /termsName/,
    );
    await rejectsWith(
      cognito.send(terms(poolId, clientId, { TermsSource: "FILE" as "LINK" })),
      "InvalidParameterException",
      400,
      /termsSource/,
    );
    await rejectsWith(
      cognito.send(terms(poolId, clientId, { Enforcement: "REQUIRED" as "NONE" })),
      "InvalidParameterException",
      400,
      /enforcement/,
    );
    await rejectsWith(
      cognito.send(terms(poolId, clientId, { Links: { "cognito:klingon": "https://example.com" } })),
      "InvalidParameterException",
      400,
      /links/,
    );
    await rejectsWith(
      cognito.send(terms(poolId, clientId, { Links: {} })),
      "InvalidParameterException",
      400,
      /links/,
    );
    await rejectsWith(
      cognito.send(terms(poolId, clientId, { Links: undefined })),
      "InvalidParameterException",
      400,
      /Links/,
    );
    await rejectsWith(
      cognito.send(terms(poolId, clientId, { Links: { "cognito:default": "javascript:alert(1)" } })),
      "InvalidParameterException",
      400,
      /http/,
    );
    await rejectsWith(
      cognito.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: "not-a-uuid" })),
      "InvalidParameterException",
      400,
      /termsId/,
    );
    await rejectsWith(
      cognito.send(new ListTermsCommand({ UserPoolId: poolId, MaxResults: 61 })),
      "InvalidParameterException",
      400,
      /maxResults/,
    );
    await rejectsWith(
      cognito.send(new ListTermsCommand({ UserPoolId: poolId, NextToken: "bogus" })),
      "InvalidParameterException",
      400,
    );
  });

  test("unknown pool, client and terms: ResourceNotFoundException", async () => {
    const { poolId, clientId } = await poolWithClient(cognito);
    await rejectsWith(
      cognito.send(terms("us-east-1_Nowhere00", clientId)),
      "ResourceNotFoundException",
      400,
      /User pool us-east-1_Nowhere00 does not exist/,
    );
    await rejectsWith(
      cognito.send(terms(poolId, "nosuchclient")),
      "ResourceNotFoundException",
      400,
      /nosuchclient/,
    );
    await rejectsWith(
      cognito.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: MISSING })),
      "ResourceNotFoundException",
      400,
    );
    await rejectsWith(
      cognito.send(
        new UpdateTermsCommand({ UserPoolId: poolId, TermsId: MISSING, TermsName: "privacy-policy" }),
      ),
      "ResourceNotFoundException",
      400,
    );
    await rejectsWith(
      cognito.send(
        new DescribeTermsByClientCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          TermsName: "terms-of-use",
        }),
      ),
      "ResourceNotFoundException",
      400,
    );
    await rejectsWith(
      cognito.send(new ListTermsCommand({ UserPoolId: "us-east-1_Nowhere00" })),
      "ResourceNotFoundException",
      400,
    );
  });

  test("ListTerms pages with NextToken; 40 documents per pool, then LimitExceededException", async () => {
    const { poolId } = await poolWithClient(cognito);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { UserPoolClient } = await cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: `c${i}` }),
      );
      const clientId = UserPoolClient!.ClientId!;
      for (const name of ["terms-of-use", "privacy-policy"])
        ids.push((await cognito.send(terms(poolId, clientId, { TermsName: name }))).Terms!.TermsId!);
    }
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "one-too-many" }),
    );
    await rejectsWith(
      cognito.send(terms(poolId, UserPoolClient!.ClientId!)),
      "LimitExceededException",
      400,
      /40/,
    );
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cognito.send(
        new ListTermsCommand({ UserPoolId: poolId, MaxResults: 15, NextToken }),
      );
      assert.ok(page.Terms!.length <= 15);
      seen.push(...page.Terms!.map((t) => t.TermsId!));
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(seen, ids);
  });

  test("deleting the app client deletes its terms", async () => {
    const { poolId, clientId } = await poolWithClient(cognito);
    const { Terms } = await cognito.send(terms(poolId, clientId));
    await cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    await rejectsWith(
      cognito.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: Terms!.TermsId! })),
      "ResourceNotFoundException",
      400,
    );
  });
});
