/**
 * Client authentication at the token and revocation endpoints: `client_secret_basic` (the
 * Authorization header) or `client_secret_post` (client_id and client_secret in the body), never
 * both; a public client names itself with client_id alone. Either of a client's secrets works.
 */
import { safeEqual } from "../../crypto/secret-hash.ts";
import type { RequestContext } from "../../context.ts";
import type { ClientRecord, PoolRecord } from "../../storage/records.ts";
import type { Params } from "./authorize.ts";
import { findClient } from "./authorize.ts";
import { OAuthError } from "./errors.ts";

export interface BasicCredentials {
  clientId: string;
  secret: string;
}

/** `Authorization: Basic base64(client_id:client_secret)` (RFC 6749 §2.3.1: each part form-encoded). */
export function parseBasic(header: string | undefined): BasicCredentials | undefined | "malformed" {
  if (header === undefined) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return "malformed";
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return "malformed";
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")),
    };
  } catch {
    return "malformed";
  }
}

export interface AuthenticatedClient {
  pool: PoolRecord;
  client: ClientRecord;
  /** The secret it authenticated with (confidential clients). */
  secret?: string;
}

export async function authenticateClient(
  ctx: RequestContext,
  form: Params,
  authorization: string | undefined,
): Promise<AuthenticatedClient> {
  const basic = parseBasic(authorization);
  if (basic === "malformed") throw new OAuthError("invalid_client");
  if (basic && form.client_secret !== undefined)
    throw new OAuthError("invalid_request", "Use one client authentication method.");
  if (basic && form.client_id !== undefined && form.client_id !== basic.clientId)
    throw new OAuthError("invalid_request", "The client_id does not match the Authorization header.");
  const clientId = basic?.clientId ?? form.client_id;
  if (clientId === undefined) throw new OAuthError("invalid_request", "The client_id is missing.");
  const found = await findClient(ctx, clientId);
  if (!found) throw new OAuthError("invalid_client");
  const given = basic?.secret ?? form.client_secret;
  const secrets = await ctx.services.storage.pools.listClientSecrets(found.pool.id, found.client.clientId);
  if (secrets.length === 0) {
    if (given !== undefined && given !== "") throw new OAuthError("invalid_client");
    return found;
  }
  if (given === undefined || !secrets.some((s) => safeEqual(s.secret, given)))
    throw new OAuthError("invalid_client");
  return { ...found, secret: given };
}
