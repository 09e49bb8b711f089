/**
 * ListUsers' Filter grammar: `AttributeName Filter-Type "AttributeValue"`, Filter-Type `=` (exact)
 * or `^=` (starts with), quotes inside the value escaped with a backslash. The attribute name may
 * itself be in double quotes (the API reference's example is `"email"^="testuser"`), and spaces
 * around the name, the operator and the value are ignored. An empty filter lists everyone.
 */
import { InvalidParameterException } from "../../generated/exceptions.ts";
import type { PoolRecord } from "../../storage/records.ts";
import type { SearchableAttribute, UserFilter } from "../../storage/storage.ts";
import { usernameKey } from "./users.ts";

const SEARCHABLE: ReadonlySet<string> = new Set<SearchableAttribute>([
  "username",
  "email",
  "phone_number",
  "name",
  "given_name",
  "family_name",
  "preferred_username",
  "cognito:user_status",
  "status",
  "sub",
]);

const GRAMMAR = /^\s*(?:"([A-Za-z_:]+)"|([A-Za-z_:]+))\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/s;

export function parseFilter(pool: PoolRecord, filter: string | undefined): UserFilter | undefined {
  if (filter === undefined || filter.trim() === "") return undefined;
  const m = GRAMMAR.exec(filter);
  if (!m) throw new InvalidParameterException("Error while parsing filter.");
  const attribute = (m[1] ?? m[2])!;
  if (!SEARCHABLE.has(attribute))
    throw new InvalidParameterException(`Invalid search attribute: ${attribute}`);
  let value = m[4]!.replace(/\\(.)/gs, "$1");
  if (attribute === "username") value = usernameKey(pool, value);
  if (attribute === "cognito:user_status") value = value.toUpperCase();
  return { attribute: attribute as SearchableAttribute, op: m[3] as "=" | "^=", value };
}
