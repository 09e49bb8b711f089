/** The server, pools, users and helpers the self-service tests share. */
import { after, before } from "node:test";
import {
  AdminGetUserCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  GetUserCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { confirmedUser } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

export const PASSWORD = "Sup3r-secret!";

/** Registers the server's start and stop with the enclosing suite, and hands out its helpers. */
export function selfServiceSuite() {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox", "--enable-test-clock"] });
    client = server.client();
  });
  after(() => server.stop());

  const pool = async (extra: Partial<CreateUserPoolCommandInput> = {}) =>
    (await client.send(new CreateUserPoolCommand({ PoolName: "self-service", ...extra }))).UserPool!.Id!;
  const appClient = async (poolId: string, extra: Partial<CreateUserPoolClientCommandInput> = {}) =>
    (
      await client.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "app",
          ExplicitAuthFlows: [
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
          ],
          ...extra,
        }),
      )
    ).UserPoolClient!.ClientId!;
  const user = (poolId: string, username: string, attributes: AttributeType[] = []) =>
    confirmedUser(client, poolId, username, PASSWORD, attributes);
  const signIn = (clientId: string, username: string, password = PASSWORD) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
  const accessToken = async (clientId: string, username: string, password = PASSWORD) =>
    (await signIn(clientId, username, password)).AuthenticationResult!.AccessToken!;
  /** A pool, an app client and a signed-in user. */
  const signedIn = async (
    attributes: AttributeType[] = [],
    poolExtra: Partial<CreateUserPoolCommandInput> = {},
    clientExtra: Partial<CreateUserPoolClientCommandInput> = {},
  ) => {
    const poolId = await pool(poolExtra);
    const clientId = await appClient(poolId, clientExtra);
    await user(poolId, "ann", attributes);
    return { poolId, clientId, token: await accessToken(clientId, "ann") };
  };
  const attrs = (list: AttributeType[] | undefined) =>
    Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]));
  const adminAttrs = async (poolId: string, username: string) =>
    attrs(
      (await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserAttributes,
    );
  const getUser = (token: string) => client.send(new GetUserCommand({ AccessToken: token }));
  const update = (token: string, list: AttributeType[]) =>
    client.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: list }));
  const verifiedEmail = (email: string): AttributeType[] => [
    { Name: "email", Value: email },
    { Name: "email_verified", Value: "true" },
  ];

  return {
    get server() {
      return server;
    },
    get client() {
      return client;
    },
    pool,
    appClient,
    user,
    signIn,
    accessToken,
    signedIn,
    attrs,
    adminAttrs,
    getUser,
    update,
    verifiedEmail,
  };
}
