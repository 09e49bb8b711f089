/** What every repository of the storage contract shares. */

export class DuplicateKeyError extends Error {}

/** One page of a list, with the cursor of the next page when there is one. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** A searchable attribute of ListUsers' Filter, mapped to an indexed column by the backend. */
export type SearchableAttribute =
  | "username"
  | "email"
  | "phone_number"
  | "name"
  | "given_name"
  | "family_name"
  | "preferred_username"
  | "cognito:user_status"
  | "status"
  | "sub";

export interface UserFilter {
  attribute: SearchableAttribute;
  /** "=" exact match; "^=" prefix match. */
  op: "=" | "^=";
  value: string;
}

/**
 * The names of a repository's reads (every one of them: a missing or extra name fails to
 * compile). The storage builds its reader outside transactions from them (storage/readers.ts).
 */
export type ReadNames<R> = Readonly<Record<keyof R, true>>;

/**
 * One repository of the contract: the names of its reads, and (as types only) its reader `R` and
 * its whole repository `W` (reads and writes). storage.ts lists the repositories; the storage's
 * `Reader` and `Transaction` types, and each backend's list of classes, follow from that list.
 */
export interface RepositoryContract<R, W extends R> {
  readonly reads: ReadNames<R>;
  /** Carries the types only; never set. */
  readonly types?: { reader: R; repository: W };
}

export function repository<R, W extends R>(reads: ReadNames<R>): RepositoryContract<R, W> {
  return { reads };
}
