/** SQLite: users' MFA settings. */
import type { UserMfaRecord } from "../records.ts";
import { USER_MFA_COLUMNS, userMfaColumns, userMfaFromRow } from "../rows.ts";
import type { MfaRepository } from "../storage.ts";
import { type Row, SqliteRepository } from "./sql.ts";

const UPSERT = `INSERT INTO user_mfa (${USER_MFA_COLUMNS.join(", ")}) VALUES (${USER_MFA_COLUMNS.map(() => "?").join(", ")})
  ON CONFLICT (pool_id, sub) DO UPDATE SET ${USER_MFA_COLUMNS.slice(2)
    .map((c) => `${c} = excluded.${c}`)
    .join(", ")}`;

export class SqliteMfa extends SqliteRepository implements MfaRepository {
  async getUserMfa(poolId: string, sub: string) {
    const r = this.q("SELECT * FROM user_mfa WHERE pool_id = ? AND sub = ?").get(poolId, sub) as
      Row | undefined;
    return r && userMfaFromRow(r);
  }
  async putUserMfa(m: UserMfaRecord) {
    this.q(UPSERT).run(...userMfaColumns(m));
  }
  async deleteUserMfa(poolId: string, sub: string) {
    this.q("DELETE FROM user_mfa WHERE pool_id = ? AND sub = ?").run(poolId, sub);
  }
  async acceptTotpStep(poolId: string, sub: string, step: number, now: number) {
    const r = this.q(
      "UPDATE user_mfa SET totp_last_step = ?, updated_at = ? WHERE pool_id = ? AND sub = ? AND (totp_last_step IS NULL OR totp_last_step < ?)",
    ).run(step, now, poolId, sub, step);
    return Number(r.changes) > 0;
  }
}
