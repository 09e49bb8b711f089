/** The app client as the unauthenticated operations see it: found by id, its secret, its flows. */
import { safeEqual, secretHash } from "../../crypto/secret-hash.ts";
import { NotAuthorizedException } from "../../generated/exceptions.ts";
import type { ExplicitAuthFlowsType } from "../../generated/types.ts";
import type { ClientRecord } from "../../storage/records.ts";
import type { Reader } from "../../storage/storage.ts";
import { DEFAULT_AUTH_FLOWS } from "../clients/settings.ts";

/**
 * Checks SECRET_HASH for clients that have a secret (any of the client's secrets, so secrets can
 * be rotated). Clients without a secret ignore it. `username` may list several names the hash may
 * have been computed with.
 */
export async function checkSecretHash(
  db: Reader,
  client: ClientRecord,
  username: string | readonly string[] | undefined,
  given: string | undefined,
): Promise<void> {
  const secrets = await db.pools.listClientSecrets(client.poolId, client.clientId);
  if (secrets.length === 0) return;
  if (given === undefined || given === "")
    throw new NotAuthorizedException(
      `Client ${client.clientId} is configured for secret but secret was not received`,
    );
  const names = typeof username === "string" || username === undefined ? [username ?? ""] : username;
  const ok = secrets.some((s) =>
    names.some((name) => safeEqual(secretHash(s.secret, name, client.clientId), given)),
  );
  if (!ok) throw new NotAuthorizedException(`Unable to verify secret hash for client ${client.clientId}`);
}

/**
 * Checks a client secret given as is (GetTokensFromRefreshToken's ClientSecret, GetClientToken's
 * Secret): any of the client's secrets matches. A client without secrets passes, unless the
 * operation needs one (`required`): then it is refused the same way.
 */
export async function checkClientSecret(
  db: Reader,
  client: ClientRecord,
  given: string | undefined,
  required = false,
): Promise<void> {
  const secrets = await db.pools.listClientSecrets(client.poolId, client.clientId);
  if (secrets.length === 0 && !required) return;
  if (!secrets.some((s) => safeEqual(s.secret, given ?? "")))
    throw new NotAuthorizedException(`Unable to verify secret for client ${client.clientId}`);
}

const LEGACY_EQUIVALENT: Partial<Record<ExplicitAuthFlowsType, ExplicitAuthFlowsType>> = {
  ADMIN_NO_SRP_AUTH: "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  USER_PASSWORD_AUTH: "ALLOW_USER_PASSWORD_AUTH",
  CUSTOM_AUTH_FLOW_ONLY: "ALLOW_CUSTOM_AUTH",
};

/** The ALLOW_* flows a client permits (legacy values imply SRP and refresh, as they did in Cognito). */
export function allowedFlows(client: ClientRecord): ReadonlySet<ExplicitAuthFlowsType> {
  const configured = client.settings.ExplicitAuthFlows;
  if (!configured || configured.length === 0) return new Set(DEFAULT_AUTH_FLOWS);
  const out = new Set<ExplicitAuthFlowsType>();
  let legacy = false;
  for (const f of configured) {
    const mapped = LEGACY_EQUIVALENT[f];
    if (mapped) {
      legacy = true;
      out.add(mapped);
    } else out.add(f);
  }
  if (legacy) {
    out.add("ALLOW_USER_SRP_AUTH");
    out.add("ALLOW_REFRESH_TOKEN_AUTH");
  }
  return out;
}
