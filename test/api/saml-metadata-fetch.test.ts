/**
 * Fetching a SAML provider's MetadataURL: private addresses only when allowed by configuration
 * (by literal and by resolved name), a size cap, a few redirects at most, and one error for every
 * failure so that the fetch cannot be used to probe hosts and ports.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CreateIdentityProviderCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startServer, type TestServer } from "../support/server.ts";

function metadata(entityId: string): string {
  return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://sso.example.org/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

let idp: Server;
let base: string;
let closedPort: number;

before(async () => {
  idp = createServer((req, res) => {
    const url = req.url ?? "/";
    if (url === "/metadata") {
      res.writeHead(200, { "content-type": "application/samlmetadata+xml" });
      res.end(metadata("urn:example:fetched"));
    } else if (url.startsWith("/hop/")) {
      // /hop/N redirects to /hop/N-1, and /hop/0 to the metadata.
      const n = Number(url.slice(5));
      res.writeHead(302, { location: n > 0 ? `/hop/${n - 1}` : "/metadata" }).end();
    } else if (url === "/huge") {
      res.writeHead(200, { "content-type": "application/xml" });
      res.end(`${metadata("urn:example:huge")}<!--${"x".repeat(2 * 1024 * 1024)}-->`);
    } else if (url === "/to-file") {
      res.writeHead(302, { location: "file:///etc/passwd" }).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => idp.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  // A port nothing listens on: take one, then free it.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
});
after(() => new Promise((r) => idp.close(r)));

async function createSaml(cognito: CognitoIdentityProviderClient, metadataUrl: string): Promise<unknown> {
  const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: "saml-fetch" }));
  return cognito.send(
    new CreateIdentityProviderCommand({
      UserPoolId: UserPool!.Id!,
      ProviderName: "Corp",
      ProviderType: "SAML",
      ProviderDetails: { MetadataURL: metadataUrl },
    }),
  );
}

async function refused(cognito: CognitoIdentityProviderClient, metadataUrl: string): Promise<void> {
  await assert.rejects(
    createSaml(cognito, metadataUrl),
    (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, "InvalidParameterException", `${metadataUrl}: ${e.message}`);
      assert.equal(e.$metadata?.httpStatusCode, 400);
      assert.equal(e.message, `Unable to retrieve the SAML metadata from ${metadataUrl}.`);
      return true;
    },
  );
}

describe("MetadataURL on a private address, by default", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test("a loopback address is refused, by literal and by a name resolving to it", async () => {
    const cognito = server.client();
    const port = new URL(base).port;
    await refused(cognito, `${base}/metadata`);
    await refused(cognito, `http://localhost:${port}/metadata`);
    await refused(cognito, `http://[::1]:${port}/metadata`);
    await refused(cognito, `http://[::ffff:127.0.0.1]:${port}/metadata`);
  });

  test("private and link-local addresses are refused without being contacted", async () => {
    const cognito = server.client();
    const started = Date.now();
    for (const url of [
      "http://10.1.2.3/m",
      "http://169.254.169.254/latest/meta-data/",
      "http://192.168.0.1/m",
    ])
      await refused(cognito, url);
    assert.ok(Date.now() - started < 4000, "the refusal waited for a connection");
  });
});

describe("MetadataURL with allowPrivateMetadataUrls", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { LANYARD_ALLOW_PRIVATE_METADATA_URLS: "1" } });
  });
  after(() => server.stop());

  test("metadata on 127.0.0.1 is fetched, through up to three redirects", async () => {
    const out = (await createSaml(server.client(), `${base}/hop/2`)) as {
      IdentityProvider: { ProviderDetails: Record<string, string> };
    };
    assert.equal(out.IdentityProvider.ProviderDetails.SSORedirectBindingURI, "https://sso.example.org/sso");
  });

  test("every failure reads the same: HTTP error, closed port, too large, too many redirects, other schemes", async () => {
    const cognito = server.client();
    await refused(cognito, `${base}/missing`);
    await refused(cognito, `http://127.0.0.1:${closedPort}/metadata`);
    await refused(cognito, `${base}/huge`);
    await refused(cognito, `${base}/hop/3`);
    await refused(cognito, `${base}/to-file`);
  });
});
