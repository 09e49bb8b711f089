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
