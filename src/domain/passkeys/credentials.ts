/** ListWebAuthnCredentials and DeleteWebAuthnCredential: the signed-in user's own passkeys. */
import type { RequestContext } from "../../context.ts";
import { ResourceNotFoundException } from "../../generated/exceptions.ts";
import type {
  ListWebAuthnCredentialsResponse,
  WebAuthnCredentialDescription,
} from "../../generated/types.ts";
import type { PasskeyRecord } from "../../storage/records.ts";
import type { TokenCaller } from "../caller.ts";
import { wireTime } from "../ids.ts";
import { fromToken, readPage, toToken } from "../pagination.ts";
import { MAX_PASSKEYS } from "./registration.ts";

function describe(p: PasskeyRecord): WebAuthnCredentialDescription {
  const d: WebAuthnCredentialDescription = {
    CredentialId: p.credentialId,
    FriendlyCredentialName: p.friendlyName,
    RelyingPartyId: p.rpId,
    AuthenticatorTransports: p.transports,
    CreatedAt: wireTime(p.createdAt),
  };
  if (p.attachment !== undefined) d.AuthenticatorAttachment = p.attachment;
  return d;
}

export async function listCredentials(
  ctx: RequestContext,
  caller: TokenCaller,
  maxResults: number | undefined,
  nextToken: string | undefined,
): Promise<ListWebAuthnCredentialsResponse> {
  const { pool, user } = caller;
  const scope = `passkeys:${pool.id}:${user.sub}`;
  const page = await readPage(() =>
    ctx.services.storage.passkeys.listPasskeys(
      pool.id,
      user.sub,
      maxResults || MAX_PASSKEYS,
      fromToken(nextToken, scope),
    ),
  );
  const out: ListWebAuthnCredentialsResponse = { Credentials: page.items.map(describe) };
  if (page.next) out.NextToken = toToken(page.next, scope);
  return out;
}

export async function deleteCredential(
  ctx: RequestContext,
  caller: TokenCaller,
  credentialId: string,
): Promise<void> {
  const { pool, user } = caller;
  const deleted = await ctx.services.storage.transaction((tx) =>
    tx.passkeys.deletePasskey(pool.id, user.sub, credentialId),
  );
  if (!deleted) throw new ResourceNotFoundException("The credential was not found.");
}
