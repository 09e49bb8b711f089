/** The server, pool and helpers the app client tests share. */
import assert from "node:assert/strict";
import { after, before } from "node:test";
import {
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DescribeUserPoolClientCommand,
  ListUserPoolClientSecretsCommand,
  ListUserPoolClientsCommand,
  type UserPoolClientType,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { startServer, type TestServer } from "../../support/server.ts";

export type Settings = Partial<CreateUserPoolClientCommandInput>;
/** A refused request: what it tries, the extra input, and the message expected. */
export type Case = [string, Settings, RegExp];

/** Registers the server's start and stop with the enclosing suite, and hands out its helpers. */
export function clientsSuite() {
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  let poolId: string;

  before(async () => {
    server = await startServer();
    cognito = server.client();
    poolId = await newPool();
  });
  after(() => server.stop());

  async function newPool(input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
    const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: "clients", ...input }));
    return UserPool!.Id!;
  }

  async function newClient(
    extra: Partial<CreateUserPoolClientCommandInput> = {},
    pool = poolId,
  ): Promise<UserPoolClientType> {
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: "app", ...extra }),
    );
    return UserPoolClient!;
  }

  async function describe_(clientId: string, pool = poolId): Promise<UserPoolClientType> {
    const { UserPoolClient } = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: pool, ClientId: clientId }),
    );
    return UserPoolClient!;
  }

  async function clientIds(pool: string): Promise<string[]> {
    const ids: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cognito.send(
        new ListUserPoolClientsCommand({ UserPoolId: pool, MaxResults: 60, NextToken }),
      );
      ids.push(...(page.UserPoolClients ?? []).map((c) => c.ClientId!));
      NextToken = page.NextToken;
    } while (NextToken);
    return ids;
  }

  async function secretIds(clientId: string, pool = poolId): Promise<string[]> {
    const { ClientSecrets } = await cognito.send(
      new ListUserPoolClientSecretsCommand({ UserPoolId: pool, ClientId: clientId }),
    );
    return (ClientSecrets ?? []).map((s) => s.ClientSecretId!);
  }

  /** Asserts that a refused create left the pool's client list as it was. */
  async function refusedCreate(
    extra: Partial<CreateUserPoolClientCommandInput>,
    name: string,
    message?: RegExp,
    pool = poolId,
  ): Promise<void> {
    const before_ = await clientIds(pool);
    await rejectsWith(newClient(extra, pool), name, 400, message);
    assert.deepEqual(await clientIds(pool), before_);
  }

  return {
    get server() {
      return server;
    },
    get cognito() {
      return cognito;
    },
    get poolId() {
      return poolId;
    },
    newPool,
    newClient,
    describe_,
    clientIds,
    secretIds,
    refusedCreate,
  };
}
