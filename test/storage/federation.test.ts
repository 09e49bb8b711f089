/** The storage contract, checked on every backend: Identity providers and identity links (src/storage/contract/federation.ts). */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DuplicateKeyError, type Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { all, insertUsers, newPool as poolIn } from "./conformance.ts";
import * as f from "./fixtures.ts";

for (const backend of backends()) {
  describe(`storage conformance, federation: ${backend.name}`, () => {
    let db: Opened;
    let s: Storage;
    before(async () => {
      db = await backend.open();
      s = db.storage;
    });
    after(() => db.close());

    /** A new pool (with one app client) for one test. */
    const newPool = () => poolIn(s);

    describe("round trips", () => {
      test("identity providers and identity links", async () => {
        const { poolId } = await newPool();
        const u = f.user(poolId, "linked");
        await insertUsers(s, [u]);
        const a = f.identityProvider(poolId, "Corp", ["corp.example", "corp"]);
        const b = f.identityProvider(poolId, "Other", []);
        delete b.acrMapping;
        delete b.samlMetadata;
        await s.transaction(async (tx) => {
          await tx.federation.insertIdentityProvider(a);
          await tx.federation.insertIdentityProvider(b);
        });
        assert.deepEqual(await s.federation.getIdentityProvider(poolId, "Corp"), a);
        assert.deepEqual(await s.federation.getIdentityProvider(poolId, "Other"), b);
        assert.deepEqual(await s.federation.getIdentityProviderByIdentifier(poolId, "corp"), a);
        assert.deepEqual(
          (await all((after) => s.federation.listIdentityProviders(poolId, 1, after))).map(
            (p) => p.providerName,
          ),
          ["Corp", "Other"],
        );
        await assert.rejects(
          s.transaction((tx) =>
            tx.federation.insertIdentityProvider(f.identityProvider(poolId, "Third", ["corp"])),
          ),
          DuplicateKeyError,
        );
        await assert.rejects(
          s.transaction((tx) =>
            tx.federation.updateIdentityProvider({ ...b, idpIdentifiers: ["corp.example"] }),
          ),
          DuplicateKeyError,
        );
        await s.transaction((tx) =>
          tx.federation.updateIdentityProvider({ ...a, idpIdentifiers: ["corp2"], updatedAt: 1 }),
        );
        assert.deepEqual((await s.federation.getIdentityProvider(poolId, "Corp"))!.idpIdentifiers, ["corp2"]);
        assert.equal(await s.federation.getIdentityProviderByIdentifier(poolId, "corp"), undefined);

        const link = {
          poolId,
          providerName: "Corp",
          attributeName: "Cognito_Subject",
          attributeValue: "idp-sub-1",
          sub: u.sub,
          createdAt: 5,
        };
        await s.transaction((tx) => tx.federation.insertIdentityLink(link));
        await assert.rejects(
          s.transaction((tx) => tx.federation.insertIdentityLink({ ...link })),
          DuplicateKeyError,
        );
        assert.deepEqual(
          await s.federation.getIdentityLink(poolId, "Corp", "Cognito_Subject", "idp-sub-1"),
          link,
        );
        assert.deepEqual(await s.federation.identityLinksOfUser(poolId, u.sub), [link]);
        assert.equal(
          await s.transaction((tx) =>
            tx.federation.deleteIdentityLink(poolId, "Corp", "Cognito_Subject", "idp-sub-1"),
          ),
          true,
        );
        await s.transaction((tx) => tx.federation.insertIdentityLink(link));
        await s.transaction((tx) => tx.federation.deleteIdentityProvider(poolId, "Corp"));
        assert.equal(await s.federation.getIdentityProvider(poolId, "Corp"), undefined);
        assert.deepEqual(
          await s.federation.identityLinksOfUser(poolId, u.sub),
          [],
          "links go with their provider",
        );
      });
    });
  });
}
