import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  UpdateIdentityProviderCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { GOOGLE_DETAILS, OIDC_DETAILS } from "../../support/federation.ts";
import { identityProvidersSuite } from "./setup.ts";

describe("identity providers", () => {
  const suite = identityProvidersSuite();
  const { newPool, create, describeIdp } = suite;
  let cognito: CognitoIdentityProviderClient;
  before(() => {
    ({ cognito } = suite);
  });

  test("UpdateIdentityProvider keeps what it is not given, clears what it is given empty", async () => {
    const poolId = await newPool();
    await create(poolId, {
      ProviderName: "Okta",
      ProviderType: "OIDC",
      ProviderDetails: OIDC_DETAILS,
      AttributeMapping: { email: "email", username: "sub" },
      IdpIdentifiers: ["keep"],
    });
    const updated = (
      await cognito.send(
        new UpdateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: "Okta",
          ProviderDetails: { ...OIDC_DETAILS, client_id: "new-client" },
        }),
      )
    ).IdentityProvider!;
    assert.equal(updated.ProviderDetails!.client_id, "new-client");
    assert.equal(updated.IdpIdentifiers, undefined, "the response omits identifiers it was not given");
    let described = await describeIdp(poolId, "Okta");
    assert.deepEqual(described.IdpIdentifiers, ["keep"]);
    assert.deepEqual(described.AttributeMapping, { email: "email", username: "sub" });

    const cleared = (
      await cognito.send(
        new UpdateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: "Okta",
          AttributeMapping: {},
          IdpIdentifiers: [],
        }),
      )
    ).IdentityProvider!;
    assert.deepEqual(cleared.IdpIdentifiers, []);
    described = await describeIdp(poolId, "Okta");
    assert.deepEqual(described.AttributeMapping, {});
    assert.deepEqual(described.IdpIdentifiers, []);
    assert.equal(described.ProviderDetails!.client_id, "new-client");
  });

  test("UpdateIdentityProvider: an unknown provider, or bad details, are refused and change nothing", async () => {
    const poolId = await newPool();
    await create(poolId, { ProviderName: "Google", ProviderType: "Google", ProviderDetails: GOOGLE_DETAILS });
    await rejectsWith(
      cognito.send(
        new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: "Nope", AttributeMapping: {} }),
      ),
      "ResourceNotFoundException",
      400,
      new RegExp(`^Identity provider Nope in User Pool ${poolId} does not exist\\.$`),
    );
    await rejectsWith(
      cognito.send(
        new UpdateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: "Google",
          ProviderDetails: { client_id: "only" },
          AttributeMapping: { email: "email" },
        }),
      ),
      "InvalidParameterException",
      400,
      /required idp details/,
    );
    const described = await describeIdp(poolId, "Google");
    assert.equal(described.ProviderDetails!.client_id, GOOGLE_DETAILS.client_id);
    assert.deepEqual(described.AttributeMapping, { username: "sub" });
    // A description sent back as the update changes nothing.
    await cognito.send(
      new UpdateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: "Google",
        ProviderDetails: described.ProviderDetails!,
      }),
    );
    assert.deepEqual((await describeIdp(poolId, "Google")).ProviderDetails, described.ProviderDetails);
  });
});
