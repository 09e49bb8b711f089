/**
 * The preambles most API and flow tests start with: a user pool with an app client, and a confirmed
 * user with a permanent password.
 */
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  type UserPoolClientType,
  type UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";

export interface PoolWithClient {
  poolId: string;
  clientId: string;
  pool: UserPoolType;
  app: UserPoolClientType;
}

/** Creates a user pool (PoolName "test" unless given) and an app client of it (ClientName "app"). */
export async function poolWithClient(
  client: CognitoIdentityProviderClient,
  options: {
    pool?: Partial<CreateUserPoolCommandInput>;
    app?: Partial<CreateUserPoolClientCommandInput>;
  } = {},
): Promise<PoolWithClient> {
  const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: "test", ...options.pool }));
  const poolId = UserPool!.Id!;
  const { UserPoolClient } = await client.send(
    new CreateUserPoolClientCommand({ ClientName: "app", ...options.app, UserPoolId: poolId }),
  );
  return { poolId, clientId: UserPoolClient!.ClientId!, pool: UserPool!, app: UserPoolClient! };
}

/**
 * Creates a user without a welcome message (AdminCreateUser with MessageAction SUPPRESS) and gives
 * it a permanent password, so it is CONFIRMED and can sign in.
 */
export async function confirmedUser(
  client: CognitoIdentityProviderClient,
  poolId: string,
  username: string,
  password: string,
  attributes?: AttributeType[],
): Promise<void> {
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: "SUPPRESS",
      UserAttributes: attributes,
    }),
  );
  await client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: username,
      Password: password,
      Permanent: true,
    }),
  );
}
