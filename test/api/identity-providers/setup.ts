/** The server, the SAML metadata server and the helpers the identity provider tests share. */
import { createServer, type Server } from "node:http";
import { after, before } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CreateIdentityProviderCommand,
  type CreateIdentityProviderCommandInput,
  CreateUserPoolCommand,
  DescribeIdentityProviderCommand,
  type IdentityProviderType,
  ListIdentityProvidersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { samlMetadata } from "../../support/federation.ts";
import { startServer, type TestServer } from "../../support/server.ts";

/** Registers the server's start and stop with the enclosing suite, and hands out its helpers. */
export function identityProvidersSuite() {
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  let metadataServer: Server;
  let metadataUrl: string;

  before(async () => {
    // The metadata server below listens on 127.0.0.1: private addresses must be allowed.
    server = await startServer({ env: { LANYARD_ALLOW_PRIVATE_METADATA_URLS: "1" } });
    cognito = server.client();
    // A SAML IdP publishing its metadata, as CreateIdentityProvider's MetadataURL points at.
    metadataServer = createServer((req, res) => {
      if (req.url === "/metadata") {
        res.writeHead(200, { "content-type": "application/samlmetadata+xml" });
        res.end(samlMetadata("urn:example:idp-by-url", "https://sso.example.org"));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => metadataServer.listen(0, "127.0.0.1", resolve));
    const address = metadataServer.address();
    metadataUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/metadata`;
  });
  after(async () => {
    await server.stop();
    await new Promise((resolve) => metadataServer.close(resolve));
  });

  async function newPool(): Promise<string> {
    const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: "idps" }));
    return UserPool!.Id!;
  }

  async function create(
    poolId: string,
    input: Omit<CreateIdentityProviderCommandInput, "UserPoolId">,
  ): Promise<IdentityProviderType> {
    const { IdentityProvider } = await cognito.send(
      new CreateIdentityProviderCommand({ UserPoolId: poolId, ...input }),
    );
    return IdentityProvider!;
  }

  async function describeIdp(poolId: string, name: string): Promise<IdentityProviderType> {
    const { IdentityProvider } = await cognito.send(
      new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: name }),
    );
    return IdentityProvider!;
  }

  async function names(poolId: string): Promise<string[]> {
    const { Providers } = await cognito.send(new ListIdentityProvidersCommand({ UserPoolId: poolId }));
    return Providers!.map((p) => p.ProviderName!);
  }

  return {
    get server() {
      return server;
    },
    get cognito() {
      return cognito;
    },
    get metadataServer() {
      return metadataServer;
    },
    get metadataUrl() {
      return metadataUrl;
    },
    newPool,
    create,
    describeIdp,
    names,
  };
}
