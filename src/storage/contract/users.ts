/** Users. */
import type { UserRecord } from "../records.ts";
import { type Page, type UserFilter, repository } from "./common.ts";

export interface UsersReader {
  /** By the pool's normalised username key (see domain/users/users.ts usernameKey). */
  getUser(poolId: string, usernameKey: string): Promise<UserRecord | undefined>;
  getUserBySub(poolId: string, sub: string): Promise<UserRecord | undefined>;
  /** Users whose attribute (email, phone_number or preferred_username, by its normalised value) equals value. */
  findUsersByAlias(
    poolId: string,
    attribute: "email" | "phone_number" | "preferred_username",
    value: string,
  ): Promise<UserRecord[]>;
  listUsers(poolId: string, limit: number, filter?: UserFilter, after?: string): Promise<Page<UserRecord>>;
}

export interface UsersRepository extends UsersReader {
  /** Throws DuplicateKeyError when the username key or sub is taken in the pool. */
  insertUser(user: UserRecord): Promise<void>;
  /**
   * Several users of one pool at once, in order (bulk import): as insertUser for each, in fewer
   * round trips. Throws DuplicateKeyError when any username key or sub is taken (in the pool or
   * among them); some of them may be inserted by then, so the caller ends the transaction by
   * throwing.
   */
  insertUsers(users: readonly UserRecord[]): Promise<void>;
  updateUser(user: UserRecord): Promise<void>;
  deleteUser(poolId: string, userId: string): Promise<void>;
}

export const USERS = repository<UsersReader, UsersRepository>({
  getUser: true,
  getUserBySub: true,
  findUsersByAlias: true,
  listUsers: true,
});
