/**
 * The `identities` attribute: the external identities a user signs in with, as Cognito keeps it, a
 * JSON array of `{"userId", "providerName", "providerType", "issuer", "primary", "dateCreated"}`.
 * `primary` is true for the identity a federated user was created from and false for identities
 * linked to the user afterwards (AdminLinkProviderForUser); `issuer` is the SAML IdP's entityID,
 * null for the other providers; `dateCreated` is epoch milliseconds.
 */
import type { UserRecord } from "../../storage/records.ts";

export interface Identity {
  userId: string;
  providerName: string;
  providerType: string;
  issuer: string | null;
  primary: boolean;
  dateCreated: number;
}

export function identitiesOf(user: UserRecord): Identity[] {
  const raw = user.attributes.identities;
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed as Identity[]) : [];
  } catch {
    return [];
  }
}

/** The user with `identities` replaced (removed when the list is empty). */
export function withIdentities(user: UserRecord, list: readonly Identity[], now: number): UserRecord {
  const attributes = { ...user.attributes };
  if (list.length > 0) attributes.identities = JSON.stringify(list);
  else delete attributes.identities;
  return { ...user, attributes, updatedAt: now };
}

export function sameIdentity(
  a: Pick<Identity, "providerName" | "userId">,
  providerName: string,
  userId: string,
) {
  return a.providerName === providerName && a.userId === userId;
}
