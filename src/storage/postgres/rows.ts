/**
 * What the PostgreSQL backend sends with its statements: parameters, and the users columns as
 * parameters. The rows come back to records through the shared mappers (../rows.ts).
 */
import type { UserRecord } from "../records.ts";
import { USER_COLUMNS, userColumnValues } from "../user-row.ts";

export type { Row } from "../rows.ts";
export type Param = string | number | null | readonly (string | null)[];

export { USER_COLUMNS };

export function userParams(u: UserRecord): Param[] {
  const values = userColumnValues(u);
  return USER_COLUMNS.map((c) => values[c]);
}
