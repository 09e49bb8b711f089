/** The MetadataURL fetcher's address policy, checked on every redirect hop, and its time limit. */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import {
  fetchSamlMetadata,
  isPublicAddress,
  METADATA_LIMITS,
  MetadataFetchError,
} from "../../src/domain/federation/saml-metadata.ts";

describe("isPublicAddress", () => {
  it("refuses loopback, private, link-local, reserved and mapped forms of them", () => {
    for (const a of [
      "127.0.0.1",
      "127.9.9.9",
      "10.0.0.1",
      "172.16.5.5",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "fe80::1",
      "fd00::1",
      "64:ff9b::a00:1",
      "2002:a00:1::",
      "not an address",
    ])
      assert.equal(isPublicAddress(a), false, a);
  });

  it("accepts public addresses", () => {
    for (const a of ["8.8.8.8", "1.1.1.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
      assert.equal(isPublicAddress(a), true, a);
  });
});

describe("fetchSamlMetadata", () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === "/metadata") res.end("<EntityDescriptor/>");
      else if (req.url === "/away") res.writeHead(302, { location: "http://10.20.30.40/metadata" }).end();
      else if (req.url === "/silent")
        req.resume(); // never answers
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise((r) => server.close(r));
  });

  it("checks the address of every hop of a redirect before connecting", async () => {
    const asked: string[] = [];
    const policy = (address: string) => {
      asked.push(address);
      return address === "127.0.0.1";
    };
    assert.equal(
      await fetchSamlMetadata(`${base}/metadata`, { allowPrivate: false, isAllowedAddress: policy }),
      "<EntityDescriptor/>",
    );
    asked.length = 0;
    await assert.rejects(
      fetchSamlMetadata(`${base}/away`, { allowPrivate: false, isAllowedAddress: policy }),
      MetadataFetchError,
    );
    assert.deepEqual(asked, ["127.0.0.1", "10.20.30.40"]);
  });

  it("gives up after the time limit with the same error", async () => {
    const started = Date.now();
    await assert.rejects(fetchSamlMetadata(`${base}/silent`, { allowPrivate: true }), (e: Error) => {
      assert.ok(e instanceof MetadataFetchError);
      assert.equal(e.message, "the metadata could not be fetched");
      return true;
    });
    const elapsed = Date.now() - started;
    assert.ok(
      elapsed >= METADATA_LIMITS.timeoutMs - 100 && elapsed < METADATA_LIMITS.timeoutMs + 2000,
      `${elapsed} ms`,
    );
  });
});
