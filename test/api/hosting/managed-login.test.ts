import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CreateManagedLoginBrandingCommand,
  DeleteManagedLoginBrandingCommand,
  DeleteUserPoolClientCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeManagedLoginBrandingCommand,
  UpdateManagedLoginBrandingCommand,
  type UpdateManagedLoginBrandingCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { rawRequest } from "../../support/server.ts";
import { hostingSuite } from "./setup.ts";

const SETTINGS = {
  components: { primaryButton: { lightMode: { defaults: { backgroundColor: "0972d3ff" } } } },
  categories: { global: { colorSchemeMode: "LIGHT", pageHeader: { enabled: false } } },
  list: [1, 2.5, null, true, "ünïcode"],
};
const LOGO = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe("managed login branding", () => {
  const suite = hostingSuite();

  test("created, described by id and by client, updated, deleted", async () => {
    const { cognito } = suite;
    const poolId = await suite.newPool();
    const clientId = await suite.newClient(poolId);
    const { ManagedLoginBranding: created } = await cognito.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        Settings: SETTINGS,
        Assets: [{ Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: LOGO }],
      }),
    );
    const id = created!.ManagedLoginBrandingId!;
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(created!.UserPoolId, poolId);
    assert.equal(created!.UseCognitoProvidedValues, false);
    assert.deepEqual(created!.Settings, SETTINGS, "Settings comes back unchanged");
    assert.equal(created!.Assets!.length, 1);
    assert.deepEqual(created!.Assets![0]!.Bytes, LOGO);
    assert.ok(created!.CreationDate instanceof Date);

    for (const merged of [false, true]) {
      const byId = await cognito.send(
        new DescribeManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ManagedLoginBrandingId: id,
          ReturnMergedResources: merged,
        }),
      );
      assert.deepEqual(byId.ManagedLoginBranding!.Settings, SETTINGS);
    }
    const byClient = await cognito.send(
      new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    assert.equal(byClient.ManagedLoginBranding!.ManagedLoginBrandingId, id);

    const { ManagedLoginBranding: updated } = await cognito.send(
      new UpdateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ManagedLoginBrandingId: id,
        Settings: { categories: { global: { colorSchemeMode: "DARK" } } },
      }),
    );
    assert.deepEqual(updated!.Settings, { categories: { global: { colorSchemeMode: "DARK" } } });
    assert.equal(updated!.Assets!.length, 1, "assets the update leaves out stay");

    const { ManagedLoginBranding: defaults } = await cognito.send(
      new UpdateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ManagedLoginBrandingId: id,
        UseCognitoProvidedValues: true,
      }),
    );
    assert.equal(defaults!.UseCognitoProvidedValues, true);
    assert.equal(defaults!.Settings, undefined);
    assert.deepEqual(defaults!.Assets, []);

    await cognito.send(
      new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id }),
    );
    await rejectsWith(
      cognito.send(
        new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id }),
      ),
      "ResourceNotFoundException",
      400,
    );
    await rejectsWith(
      cognito.send(
        new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId }),
      ),
      "ResourceNotFoundException",
      400,
    );
  });

  test("one style per app client; Cognito's values exclude Settings and Assets", async () => {
    const { cognito } = suite;
    const poolId = await suite.newPool();
    const clientId = await suite.newClient(poolId);
    const { ManagedLoginBranding: b } = await cognito.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        UseCognitoProvidedValues: true,
      }),
    );
    assert.equal(b!.UseCognitoProvidedValues, true);
    assert.equal(b!.Settings, undefined);
    await rejectsWith(
      cognito.send(
        new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, Settings: {} }),
      ),
      "ManagedLoginBrandingExistsException",
      400,
    );
    const other = await suite.newClient(poolId);
    await rejectsWith(
      cognito.send(
        new CreateManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ClientId: other,
          UseCognitoProvidedValues: true,
          Settings: SETTINGS,
        }),
      ),
      "InvalidParameterException",
      400,
    );
    // Deleting the app client deletes its style: a new style can be made for another client.
    await cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    await rejectsWith(
      cognito.send(
        new DescribeManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ManagedLoginBrandingId: b!.ManagedLoginBrandingId!,
        }),
      ),
      "ResourceNotFoundException",
      400,
    );
  });

  test("the errors of the reference and bad input", async () => {
    const { cognito, server } = suite;
    const poolId = await suite.newPool();
    const clientId = await suite.newClient(poolId);
    await rejectsWith(
      cognito.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: "nosuchclient" })),
      "ResourceNotFoundException",
      400,
      /^User pool client nosuchclient does not exist\.$/,
    );
    await rejectsWith(
      cognito.send(
        new DescribeManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ManagedLoginBrandingId: "8f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b",
        }),
      ),
      "ResourceNotFoundException",
      400,
    );
    await rejectsWith(
      cognito.send(
        new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: "not-a-uuid" }),
      ),
      "InvalidParameterException",
      400,
      /managedLoginBrandingId/,
    );
    await rejectsWith(
      cognito.send(new UpdateManagedLoginBrandingCommand({ UserPoolId: poolId, Settings: {} })),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      cognito.send(
        new CreateManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          Assets: [
            { Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: LOGO },
            { Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: LOGO },
          ],
        }),
      ),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      cognito.send(
        new CreateManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          Assets: [{ Category: "FAVICON_ICO", ColorMode: "LIGHT", Extension: "PNG", Bytes: LOGO }],
        }),
      ),
      "InvalidParameterException",
      400,
    );
    // A document nested beyond reason is refused, not a server error.
    let tooDeep: NonNullable<UpdateManagedLoginBrandingCommandInput["Settings"]> = {};
    for (let i = 0; i < 70; i++) tooDeep = { a: tooDeep };
    const nested = await rawRequest(
      server.url,
      "CreateManagedLoginBranding",
      `{"UserPoolId":"${poolId}","ClientId":"${clientId}","Settings":${"[".repeat(5000)}${"]".repeat(5000)}}`,
    );
    assert.equal(nested.status, 400);
    assert.equal(nested.json.__type, "InvalidParameterException");
    await rejectsWith(
      cognito.send(
        new UpdateManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ManagedLoginBrandingId: "8f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b",
          Settings: tooDeep,
        }),
      ),
      "InvalidParameterException",
      400,
      /nested/,
    );
    const badEnum = await rawRequest(
      server.url,
      "CreateManagedLoginBranding",
      JSON.stringify({
        UserPoolId: poolId,
        ClientId: clientId,
        Assets: [{ Category: "NOPE", ColorMode: "LIGHT", Extension: "PNG" }],
      }),
    );
    assert.equal(badEnum.status, 400);
    assert.match(String(badEnum.json.message), /assets\.1\.member\.category/);
  });
});
