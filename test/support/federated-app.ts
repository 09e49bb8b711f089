/**
 * The preamble of the federation tests: a pool (with the native user `alice`), an OIDC identity
 * provider of it, and an app client that supports COGNITO and that provider.
 */
import {
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  type CreateIdentityProviderCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { CALLBACK, type OAuthApp, oauthApp } from "./oauth.ts";
import type { TestServer } from "./server.ts";

export interface FederatedApp extends OAuthApp {
  providerName: string;
}

export async function federatedApp(
  server: TestServer,
  provider: Partial<CreateIdentityProviderCommandInput> & { ProviderDetails: Record<string, string> },
  options: { callback?: string; cognito?: boolean } = {},
): Promise<FederatedApp> {
  const callback = options.callback ?? CALLBACK;
  const base = await oauthApp(server, { CallbackURLs: [callback] });
  const sdk = server.client();
  const providerName = provider.ProviderName ?? "Corp";
  await sdk.send(
    new CreateIdentityProviderCommand({
      ProviderType: "OIDC",
      AttributeMapping: { email: "email" },
      ...provider,
      ProviderName: providerName,
      UserPoolId: base.poolId,
    }),
  );
  const { UserPoolClient } = await sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: base.poolId,
      ClientName: "federated",
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email", "profile"],
      CallbackURLs: [callback],
      SupportedIdentityProviders: [...(options.cognito === false ? [] : ["COGNITO"]), providerName],
    }),
  );
  return { ...base, clientId: UserPoolClient!.ClientId!, providerName };
}
