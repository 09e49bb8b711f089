/** The server and helpers the user administration tests share. */
import { after, before } from "node:test";
import {
  type AttributeType,
  type CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { startServer, type TestServer } from "../../support/server.ts";

export const attr = (list: AttributeType[] | undefined, name: string) =>
  list?.find((a) => a.Name === name)?.Value;

/** Registers the server's start and stop with the enclosing suite, and hands out its helpers. */
export function usersSuite() {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  const pool = async (extra: Partial<CreateUserPoolCommandInput> = {}) =>
    (await client.send(new CreateUserPoolCommand({ PoolName: "users", ...extra }))).UserPool!.Id!;
  before(async () => {
    server = await startServer();
    client = server.client();
  });
  after(() => server.stop());

  return {
    get server() {
      return server;
    },
    get client() {
      return client;
    },
    pool,
  };
}
