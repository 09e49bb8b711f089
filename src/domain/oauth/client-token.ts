/**
 * GetClientToken: the client credentials grant through the user pools API. The app client names
 * itself with its ClientId and one of its secrets, and must have ALLOW_CLIENT_TOKEN_AUTH (its only
 * flow, a rule of the client's settings); the scopes follow the grant's rules and the token comes
 * from the same issuer, so a GetClientToken token and a client_credentials token are alike.
 */
import type { RequestContext } from "../../context.ts";
import { InvalidParameterException, NotAuthorizedException } from "../../generated/exceptions.ts";
import type { ClientAuthenticationResultType } from "../../generated/types.ts";
import { allowedFlows, checkClientSecret } from "../auth/app-client.ts";
import type { ClientCaller } from "../caller.ts";
import { issueClientToken } from "../tokens/issuer.ts";
import { clientTokenScopes } from "./scopes.ts";

export async function getClientToken(
  ctx: RequestContext,
  caller: ClientCaller,
  secret: string,
  scopes: readonly string[] | undefined,
  clientMetadata?: Record<string, string>,
): Promise<ClientAuthenticationResultType> {
  const { pool, client } = caller;
  // A client without a secret cannot use the operation; the secret is checked before the flow so
  // that the client's configuration is told only to its holder.
  await checkClientSecret(ctx.services.storage, client, secret, true);
  if (!allowedFlows(client).has("ALLOW_CLIENT_TOKEN_AUTH"))
    throw new NotAuthorizedException(
      `ALLOW_CLIENT_TOKEN_AUTH flow not enabled for client ${client.clientId}`,
    );
  const result = clientTokenScopes(client, scopes ?? []);
  if ("refused" in result)
    throw new InvalidParameterException(
      result.refused.kind === "none"
        ? `Client ${client.clientId} has no custom scopes to authorize.`
        : `Invalid scope requested: ${result.refused.scope}`,
    );
  const { accessToken, expiresIn } = await issueClientToken(
    ctx,
    pool,
    client,
    result.granted.join(" "),
    clientMetadata,
  );
  return { AccessToken: accessToken, ExpiresIn: expiresIn, TokenType: "Bearer" };
}
