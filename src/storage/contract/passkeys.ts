/** Users' WebAuthn credentials (passkeys). Removed with their user (and so with their pool). */
import type { PasskeyRecord } from "../records.ts";
import { type Page, repository } from "./common.ts";

export interface PasskeysReader {
  /** The credential of this id in the pool, whoever holds it. */
  getPasskey(poolId: string, credentialId: string): Promise<PasskeyRecord | undefined>;
  /** One user's credentials, in credential id order. */
  listPasskeys(poolId: string, sub: string, limit: number, after?: string): Promise<Page<PasskeyRecord>>;
}

export interface PasskeysRepository extends PasskeysReader {
  /** DuplicateKeyError when the pool already has a credential of this id. */
  insertPasskey(passkey: PasskeyRecord): Promise<void>;
  /**
   * Moves the signature counter from `from` to `to`; false when it no longer is `from` (another
   * sign-in with the same credential got there first), so of concurrent uses of one assertion
   * exactly one succeeds.
   */
  updatePasskeySignCount(poolId: string, credentialId: string, from: number, to: number): Promise<boolean>;
  /** Removes the user's credential; false when the user has none of this id. */
  deletePasskey(poolId: string, sub: string, credentialId: string): Promise<boolean>;
}

export const PASSKEYS = repository<PasskeysReader, PasskeysRepository>({
  getPasskey: true,
  listPasskeys: true,
});
