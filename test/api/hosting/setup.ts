/** The server and the helpers the hosting tests (domains, resource servers, branding) share. */
import { randomBytes } from "node:crypto";
import { after, before } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startServer, type TestServer } from "../../support/server.ts";

/** A prefix no other test of the run uses (prefixes are unique across the server). */
export function uniquePrefix(label = "app"): string {
  return `${label}-${randomBytes(5).toString("hex")}`;
}

export const CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

export function hostingSuite() {
  const suite = {
    server: undefined as unknown as TestServer,
    cognito: undefined as unknown as CognitoIdentityProviderClient,
    async newPool(): Promise<string> {
      const { UserPool } = await suite.cognito.send(new CreateUserPoolCommand({ PoolName: "hosting" }));
      return UserPool!.Id!;
    },
    async newClient(poolId: string, secret = false): Promise<string> {
      const { UserPoolClient } = await suite.cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "web", GenerateSecret: secret }),
      );
      return UserPoolClient!.ClientId!;
    },
    /** A pool with a prefix domain (SetUICustomization needs one). */
    async poolWithDomain(): Promise<{ poolId: string; prefix: string }> {
      const poolId = await suite.newPool();
      const prefix = uniquePrefix();
      await suite.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
      return { poolId, prefix };
    },
  };
  before(async () => {
    suite.server = await startServer();
    suite.cognito = suite.server.client();
  });
  after(() => suite.server.stop());
  return suite;
}
