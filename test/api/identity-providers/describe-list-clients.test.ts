import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DeleteIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  ListIdentityProvidersCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { GOOGLE_DETAILS, OIDC_DETAILS } from "../../support/federation.ts";
import { identityProvidersSuite } from "./setup.ts";

describe("identity providers", () => {
  const suite = identityProvidersSuite();
  const { newPool, create, describeIdp, names } = suite;
  let cognito: CognitoIdentityProviderClient;
  before(() => {
    ({ cognito } = suite);
  });

  test("DescribeIdentityProvider of an unknown provider: ResourceNotFoundException", async () => {
    const poolId = await newPool();
    await rejectsWith(
      describeIdp(poolId, "Nope"),
      "ResourceNotFoundException",
      400,
      new RegExp(`^Identity provider Nope for tenantId ${poolId} does not exist\\.$`),
    );
    await rejectsWith(
      describeIdp("us-east-1_missing00", "Nope"),
      "ResourceNotFoundException",
      400,
      /User pool/,
    );
  });

  test("ListIdentityProviders pages through names, types and dates, never details", async () => {
    const poolId = await newPool();
    for (const name of ["A", "B", "C"])
      await create(poolId, {
        ProviderName: `Okta${name}`,
        ProviderType: "OIDC",
        ProviderDetails: OIDC_DETAILS,
      });
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cognito.send(
        new ListIdentityProvidersCommand({ UserPoolId: poolId, MaxResults: 2, NextToken }),
      );
      assert.ok(page.Providers!.length <= 2);
      for (const p of page.Providers!) {
        assert.equal(p.ProviderType, "OIDC");
        assert.ok(p.CreationDate instanceof Date && p.LastModifiedDate instanceof Date);
        assert.equal((p as Record<string, unknown>).ProviderDetails, undefined);
        seen.push(p.ProviderName!);
      }
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(seen, ["OktaA", "OktaB", "OktaC"]);
  });

  test("app clients may support the pool's providers; deleting a provider removes it from them", async () => {
    const poolId = await newPool();
    await rejectsWith(
      cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "web",
          SupportedIdentityProviders: ["COGNITO", "Google"],
        }),
      ),
      "InvalidParameterException",
      400,
      new RegExp(`^The provider Google does not exist for User Pool ${poolId}$`),
    );
    await create(poolId, { ProviderName: "Google", ProviderType: "Google", ProviderDetails: GOOGLE_DETAILS });
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "web",
        SupportedIdentityProviders: ["COGNITO", "Google"],
      }),
    );
    const clientId = UserPoolClient!.ClientId!;
    assert.deepEqual(UserPoolClient!.SupportedIdentityProviders, ["COGNITO", "Google"]);
    await cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        SupportedIdentityProviders: ["Google"],
      }),
    );

    await cognito.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: "Google" }));
    assert.deepEqual(await names(poolId), []);
    const described = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    assert.equal(described.UserPoolClient!.SupportedIdentityProviders, undefined);
    await rejectsWith(
      cognito.send(new DeleteIdentityProviderCommand({ UserPoolId: poolId, ProviderName: "Google" })),
      "ResourceNotFoundException",
      400,
    );
  });
});
