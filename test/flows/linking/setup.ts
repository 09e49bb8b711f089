/**
 * Federated users and account linking, one test per rule of the API reference pages of
 * AdminLinkProviderForUser, AdminDisableProviderForUser and AdminDisableUser, in one file per
 * operation. This module holds the server, pool, identity providers, app client and helpers they share.
 * Identities sign in through the test-only federated sign-in endpoint, which runs the same code as
 * the OAuth2 and SAML endpoints once a provider has vouched for a user.
 */
import { after, before } from "node:test";
import {
  AdminDisableProviderForUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  type CognitoIdentityProviderClient,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  type ProviderUserIdentifierType,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  AMAZON_DETAILS,
  FACEBOOK_DETAILS,
  GOOGLE_DETAILS,
  OIDC_DETAILS,
  samlMetadata,
} from "../../support/federation.ts";
import { confirmedUser } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

export const PASSWORD = "Sup3r-secret!";
export const SAML_EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";

export interface Identity {
  userId: string;
  providerName: string;
  providerType: string;
  issuer: string | null;
  primary: boolean;
  dateCreated: number;
}

/** Registers the server's start and stop with the enclosing suite, and hands out its helpers. */
export function linkingSuite() {
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let n = 0;

  before(async () => {
    server = await startServer({ args: ["--memory", "--enable-test-federation"] });
    cognito = server.client();
    poolId = (
      await cognito.send(
        new CreateUserPoolCommand({
          PoolName: "linking",
          Schema: [{ Name: "badge", AttributeDataType: "String", Mutable: false }],
        }),
      )
    ).UserPool!.Id!;
    const idp = (
      name: string,
      type: string,
      details: Record<string, string>,
      mapping?: Record<string, string>,
    ) =>
      cognito.send(
        new CreateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: name,
          ProviderType: type as "OIDC",
          ProviderDetails: details,
          AttributeMapping: mapping,
        }),
      );
    await idp("Google", "Google", GOOGLE_DETAILS, { username: "sub", email: "email", name: "name" });
    await idp("Facebook", "Facebook", FACEBOOK_DETAILS);
    await idp("LoginWithAmazon", "LoginWithAmazon", AMAZON_DETAILS);
    await idp("Okta", "OIDC", OIDC_DETAILS);
    await idp("Corp", "SAML", { MetadataFile: samlMetadata("urn:corp:idp") }, { email: SAML_EMAIL });
    clientId = (
      await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "app",
          ExplicitAuthFlows: [
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
          ],
          SupportedIdentityProviders: ["COGNITO", "Google", "Facebook", "LoginWithAmazon", "Okta", "Corp"],
        }),
      )
    ).UserPoolClient!.ClientId!;
  });
  after(() => server.stop());

  const unique = (prefix: string) => `${prefix}${++n}${Date.now() % 100000}`;

  /** A confirmed native user with a password. */
  async function nativeUser(attrs: { Name: string; Value: string }[] = []): Promise<string> {
    const username = unique("native");
    await confirmedUser(cognito, poolId, username, PASSWORD, attrs);
    return username;
  }

  const passwordSignIn = (username: string) =>
    cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );

  const link = (destination: ProviderUserIdentifierType, source: ProviderUserIdentifierType) =>
    cognito.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: poolId,
        DestinationUser: destination,
        SourceUser: source,
      }),
    );

  const native = (username: string): ProviderUserIdentifierType => ({
    ProviderName: "Cognito",
    ProviderAttributeValue: username,
  });
  const social = (provider: string, subject: string): ProviderUserIdentifierType => ({
    ProviderName: provider,
    ProviderAttributeName: "Cognito_Subject",
    ProviderAttributeValue: subject,
  });

  const disable = (user: ProviderUserIdentifierType) =>
    cognito.send(new AdminDisableProviderForUserCommand({ UserPoolId: poolId, User: user }));

  async function getUser(username: string) {
    const out = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    const attrs = Object.fromEntries(out.UserAttributes!.map((a) => [a.Name!, a.Value!]));
    const identities = attrs.identities ? (JSON.parse(attrs.identities) as Identity[]) : [];
    return { ...out, attrs, identities };
  }

  async function exists(username: string): Promise<boolean> {
    try {
      await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
      return true;
    } catch (e) {
      if ((e as Error).name === "UserNotFoundException") return false;
      throw e;
    }
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
    get clientId() {
      return clientId;
    },
    get n() {
      return n;
    },
    unique,
    nativeUser,
    passwordSignIn,
    link,
    native,
    social,
    disable,
    getUser,
    exists,
  };
}
