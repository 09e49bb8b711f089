/**
 * The storage contract, checked on every backend: domains, resource servers, UI customizations and
 * managed login brandings (src/storage/contract/hosting.ts), and the lookups the hosted pages build
 * on (poolOfHost, customScopes, brandingOf of src/domain/hosting/).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { brandingOf, customScopes, poolOfHost } from "../../src/domain/hosting/domains.ts";
import type {
  BrandingRecord,
  DomainRecord,
  ResourceServerRecord,
  UICustomizationRecord,
} from "../../src/storage/records.ts";
import { DuplicateKeyError, type Storage } from "../../src/storage/storage.ts";
import { backends, type Opened } from "./backends.ts";
import { all, newPool as poolIn } from "./conformance.ts";
import * as f from "./fixtures.ts";

function domain(poolId: string, name: string, custom: boolean): DomainRecord {
  const d: DomainRecord = {
    domain: name,
    poolId,
    custom,
    managedLoginVersion: custom ? 2 : 1,
    cloudFront: "d111111abcdef8.cloudfront.net",
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_001,
  };
  if (custom) {
    d.certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
    d.securityPolicy = "TLS_V1_2_2021";
  }
  return d;
}

function server(poolId: string, identifier: string, scopes: string[]): ResourceServerRecord {
  return {
    poolId,
    identifier,
    name: `${identifier} api`,
    scopes: scopes.map((s) => ({ ScopeName: s, ScopeDescription: `the ${s} scope` })),
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_002,
  };
}

function customization(poolId: string, clientId: string): UICustomizationRecord {
  return {
    poolId,
    clientId,
    css: ".banner-customizable { color: red; }",
    image: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString("base64"),
    imageType: "png",
    version: "1700000000000",
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_003,
  };
}

function branding(poolId: string, clientId: string): BrandingRecord {
  return {
    poolId,
    brandingId: crypto.randomUUID(),
    clientId,
    useCognitoProvidedValues: false,
    settings: { categories: { global: { colorSchemeMode: "DARK" } }, n: [1, null, "ü"] },
    assets: [
      { Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: "iVBO", ResourceId: "logo" },
    ],
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_004,
  };
}

for (const backend of backends()) {
  describe(`storage conformance, hosting: ${backend.name}`, () => {
    let db: Opened;
    let s: Storage;
    before(async () => {
      db = await backend.open();
      s = db.storage;
    });
    after(() => db.close());

    const newPool = () => poolIn(s);

    test("domains: unique across pools, listed per pool, updated, deleted with the pool", async () => {
      const { poolId } = await newPool();
      const { poolId: other } = await newPool();
      const prefix = `p-${f.unique()}`;
      const custom = `auth.${f.unique()}.example.com`;
      const a = domain(poolId, prefix, false);
      const b = domain(poolId, custom, true);
      await s.transaction(async (tx) => {
        await tx.hosting.insertDomain(a);
        await tx.hosting.insertDomain(b);
      });
      assert.deepEqual(await s.hosting.getDomain(prefix), a);
      assert.deepEqual(await s.hosting.getDomain(custom), b);
      assert.deepEqual(
        (await s.hosting.domainsOfPool(poolId)).map((d) => d.domain),
        [prefix, custom],
      );
      await assert.rejects(
        s.transaction((tx) => tx.hosting.insertDomain(domain(other, prefix, false))),
        DuplicateKeyError,
      );
      await s.transaction((tx) => tx.hosting.updateDomain({ ...a, managedLoginVersion: 2, updatedAt: 5 }));
      assert.equal((await s.hosting.getDomain(prefix))!.managedLoginVersion, 2);
      await s.transaction((tx) => tx.hosting.deleteDomain(custom));
      assert.equal(await s.hosting.getDomain(custom), undefined);
      await s.transaction((tx) => tx.pools.deletePool(poolId));
      assert.equal(await s.hosting.getDomain(prefix), undefined);
      assert.deepEqual(await s.hosting.domainsOfPool(poolId), []);
    });

    test("poolOfHost: prefix hosts (amazoncognito.com and localhost, in the pool's region), custom names", async () => {
      const { poolId } = await newPool();
      const prefix = `p-${f.unique()}`;
      const custom = `login.${f.unique()}.example.com`;
      await s.transaction(async (tx) => {
        await tx.hosting.insertDomain(domain(poolId, prefix, false));
        await tx.hosting.insertDomain(domain(poolId, custom, true));
      });
      const asPrefix = { poolId, domain: prefix, custom: false, managedLoginVersion: 1 };
      const asCustom = { poolId, domain: custom, custom: true, managedLoginVersion: 2 };
      assert.deepEqual(await poolOfHost(s, `${prefix}.auth.us-east-1.amazoncognito.com`), asPrefix);
      assert.deepEqual(
        await poolOfHost(s, `${prefix.toUpperCase()}.Auth.US-EAST-1.AmazonCognito.com:443`),
        asPrefix,
      );
      assert.deepEqual(await poolOfHost(s, `${prefix}.auth.us-east-1.localhost:8080`), asPrefix);
      assert.equal(
        await poolOfHost(s, `${prefix}.auth.eu-west-1.amazoncognito.com`),
        undefined,
        "another region",
      );
      assert.equal(await poolOfHost(s, `${prefix}.example.com`), undefined);
      assert.equal(await poolOfHost(s, prefix), undefined, "a bare prefix is no host of the pool");
      assert.deepEqual(await poolOfHost(s, custom.toUpperCase()), asCustom);
      assert.deepEqual(await poolOfHost(s, `${custom}:8443`), asCustom);
      assert.deepEqual(await poolOfHost(s, `${custom}.`), asCustom);
      assert.equal(await poolOfHost(s, `x.${custom}`), undefined);
      assert.equal(await poolOfHost(s, "[::1]:9229"), undefined);
    });

    test("resource servers: pages in creation order, counted, unique per pool; customScopes", async () => {
      const { poolId } = await newPool();
      const servers = [server(poolId, "https://api.example.com", ["read", "write"]), server(poolId, "b", [])];
      servers.push(server(poolId, "c", ["x"]));
      await s.transaction(async (tx) => {
        for (const x of servers) await tx.hosting.insertResourceServer(x);
      });
      assert.deepEqual(await s.hosting.getResourceServer(poolId, "b"), servers[1]);
      assert.deepEqual(await all((after) => s.hosting.listResourceServers(poolId, 2, after)), servers);
      assert.equal(await s.hosting.countResourceServers(poolId), 3);
      await assert.rejects(
        s.transaction((tx) => tx.hosting.insertResourceServer(server(poolId, "b", []))),
        DuplicateKeyError,
      );
      assert.deepEqual(await customScopes(s, poolId), [
        "https://api.example.com/read",
        "https://api.example.com/write",
        "c/x",
      ]);
      await s.transaction(async (tx) => {
        await tx.hosting.updateResourceServer({
          ...servers[1]!,
          name: "renamed",
          scopes: [{ ScopeName: "y", ScopeDescription: "d" }],
        });
        await tx.hosting.deleteResourceServer(poolId, "c");
      });
      assert.equal((await s.hosting.getResourceServer(poolId, "b"))!.name, "renamed");
      assert.deepEqual(await customScopes(s, poolId), [
        "https://api.example.com/read",
        "https://api.example.com/write",
        "b/y",
      ]);
      const { poolId: empty } = await newPool();
      assert.deepEqual(await customScopes(s, empty), []);
    });

    test("UI customizations and brandings; brandingOf falls back to the pool's customization", async () => {
      const { poolId, clientId } = await newPool();
      assert.equal(await brandingOf(s, poolId, clientId), undefined, "nothing set");
      const pool = customization(poolId, "ALL");
      await s.transaction((tx) => tx.hosting.putUICustomization(pool));
      assert.deepEqual(await s.hosting.getUICustomization(poolId, "ALL"), pool);
      let seen = await brandingOf(s, poolId, clientId);
      assert.equal(seen!.ui!.css, pool.css);
      assert.deepEqual(seen!.ui!.logo!.bytes, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      assert.equal(seen!.managedLogin, undefined);

      const own: UICustomizationRecord = {
        ...customization(poolId, clientId),
        css: ".label-customizable{}",
        version: "2",
      };
      delete own.image;
      delete own.imageType;
      await s.transaction((tx) => tx.hosting.putUICustomization(own));
      // Put replaces the whole customization.
      await s.transaction((tx) => tx.hosting.putUICustomization({ ...own, version: "3" }));
      assert.deepEqual(await s.hosting.getUICustomization(poolId, clientId), { ...own, version: "3" });
      await s.transaction((tx) => tx.hosting.deleteUICustomization(poolId, clientId));
      assert.equal(await s.hosting.getUICustomization(poolId, clientId), undefined);
      assert.equal((await brandingOf(s, poolId, clientId))!.ui!.css, pool.css, "back to the pool's");
      await s.transaction((tx) => tx.hosting.putUICustomization({ ...own, version: "3" }));

      const b = branding(poolId, clientId);
      await s.transaction((tx) => tx.hosting.insertBranding(b));
      assert.deepEqual(await s.hosting.getBranding(poolId, b.brandingId), b);
      assert.deepEqual(await s.hosting.getBrandingByClient(poolId, clientId), b);
      await assert.rejects(
        s.transaction((tx) => tx.hosting.insertBranding(branding(poolId, clientId))),
        DuplicateKeyError,
        "one style per app client",
      );
      seen = await brandingOf(s, poolId, clientId);
      assert.equal(seen!.ui!.css, ".label-customizable{}");
      assert.equal(seen!.ui!.logo, undefined);
      assert.deepEqual(seen!.managedLogin, {
        brandingId: b.brandingId,
        useCognitoProvidedValues: false,
        settings: b.settings,
        assets: b.assets,
      });

      const plain: BrandingRecord = { ...b, useCognitoProvidedValues: true, assets: [], updatedAt: 9 };
      delete plain.settings;
      await s.transaction((tx) => tx.hosting.updateBranding(plain));
      assert.deepEqual(await s.hosting.getBranding(poolId, b.brandingId), plain);
      await s.transaction((tx) => tx.hosting.deleteBranding(poolId, b.brandingId));
      assert.equal(await s.hosting.getBrandingByClient(poolId, clientId), undefined);

      // A client's style goes with the client; the pool's customizations go with the pool.
      await s.transaction((tx) => tx.hosting.insertBranding(b));
      await s.transaction((tx) => tx.pools.deleteClient(poolId, clientId));
      assert.equal(await s.hosting.getBranding(poolId, b.brandingId), undefined);
      await s.transaction((tx) => tx.pools.deletePool(poolId));
      assert.equal(await s.hosting.getUICustomization(poolId, "ALL"), undefined);
    });
  });
}
