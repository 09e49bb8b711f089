/**
 * The import CSV file's columns and rows: the header GetCSVHeader gives (the pool's schema), the
 * check of an uploaded file's header, and one row turned into a user to import, with the checks
 * Cognito's guide lists for import files (on top of AdminCreateUser's, which bulk-import.ts makes).
 */
import type { PoolRecord } from "../../storage/records.ts";
import type { ImportUser } from "../users/bulk-import.ts";

export const USERNAME_COLUMN = "cognito:username";
export const MFA_COLUMN = "cognito:mfa_enabled";
/** Schema attributes that are no column of the file: Cognito sets them itself. */
const NOT_IMPORTED: ReadonlySet<string> = new Set(["sub", "identities"]);

/**
 * The pool's attributes in schema order (standard ones, then custom ones), then
 * `cognito:mfa_enabled` and `cognito:username`, as Cognito's GetCSVHeader lists them.
 */
export function csvHeader(pool: PoolRecord): string[] {
  const names = (pool.settings.SchemaAttributes ?? [])
    .map((a) => a.Name ?? "")
    .filter((n) => n !== "" && !NOT_IMPORTED.has(n));
  return [...names, MFA_COLUMN, USERNAME_COLUMN];
}

/** Why an uploaded file's header is not the pool's, or undefined when it is (in any order). */
export function headerProblem(pool: PoolRecord, header: readonly string[]): string | undefined {
  const expected = new Set(csvHeader(pool));
  const seen = new Set<string>();
  for (const raw of header) {
    const name = raw.trim();
    if (seen.has(name)) return `The column ${name} appears twice in the CSV header.`;
    seen.add(name);
    if (!expected.has(name))
      return `The CSV header has the column ${name}, which is not in the user pool's schema.`;
  }
  const missing = [...expected].filter((n) => !seen.has(n));
  if (missing.length > 0) return `The CSV header lacks the column(s) ${missing.join(", ")}.`;
  return undefined;
}

/** A row read: the user to import, or why the row fails before AdminCreateUser's checks. */
export type RowReading = { user: ImportUser; mfa: boolean } | { failure: string };

const BOOLEAN_COLUMNS: ReadonlySet<string> = new Set(["email_verified", "phone_number_verified"]);

/**
 * One row of the file (its fields in the header's order) as a user: no password, so
 * RESET_REQUIRED, as Cognito imports every user. Empty fields are absent attributes.
 */
export function readRow(pool: PoolRecord, header: readonly string[], fields: readonly string[]): RowReading {
  if (fields.length !== header.length)
    return {
      failure: `The line has ${fields.length} values; the CSV header has ${header.length} columns.`,
    };
  const attributes: Record<string, string> = {};
  let username = "";
  let mfa = "";
  for (let i = 0; i < header.length; i++) {
    const name = header[i]!.trim();
    const value = fields[i]!;
    if (name === USERNAME_COLUMN) username = value;
    else if (name === MFA_COLUMN) mfa = value.trim().toLowerCase();
    else if (value !== "") attributes[name] = BOOLEAN_COLUMNS.has(name) ? value.trim().toLowerCase() : value;
  }
  if (username === "") return { failure: "The user record has no value for cognito:username." };
  if (mfa !== "true" && mfa !== "false")
    return { failure: "The value of cognito:mfa_enabled must be true or false." };
  const autoVerified = pool.settings.AutoVerifiedAttributes ?? [];
  if (!autoVerified.some((a) => attributes[`${a}_verified`] === "true"))
    return {
      failure:
        "The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).",
    };
  if (attributes.email_verified === "true" && attributes.email === undefined)
    return { failure: "email_verified is true but the user record has no email." };
  if (attributes.phone_number_verified === "true" && attributes.phone_number === undefined)
    return { failure: "phone_number_verified is true but the user record has no phone_number." };
  const missing = (pool.settings.SchemaAttributes ?? [])
    .filter((a) => a.Required && a.Name && !NOT_IMPORTED.has(a.Name) && attributes[a.Name] === undefined)
    .map((a) => a.Name!);
  if (missing.length > 0)
    return { failure: `The user record lacks the required attribute(s) ${missing.join(", ")}.` };
  if (mfa === "true" && attributes.phone_number === undefined)
    return { failure: "cognito:mfa_enabled is true but the user record has no phone_number." };
  return { user: { username, attributes, status: "RESET_REQUIRED" }, mfa: mfa === "true" };
}
