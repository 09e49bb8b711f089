/** PostgreSQL: users' MFA settings. */
import type { UserMfaRecord } from "../records.ts";
import { USER_MFA_COLUMNS, userMfaColumns, userMfaFromRow } from "../rows.ts";
import type { MfaRepository } from "../storage.ts";
import { PgRepository } from "./db.ts";

const UPSERT = `INSERT INTO user_mfa (${USER_MFA_COLUMNS.join(", ")}) VALUES (${USER_MFA_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})
  ON CONFLICT (pool_id, sub) DO UPDATE SET ${USER_MFA_COLUMNS.slice(2)
    .map((c) => `${c} = excluded.${c}`)
    .join(", ")}`;

export class PostgresMfa extends PgRepository implements MfaRepository {
  async getUserMfa(poolId: string, sub: string) {
    const r = await this.one(`SELECT * FROM user_mfa WHERE pool_id = $1 AND sub = $2${this.lock}`, [
      poolId,
      sub,
    ]);
    return r && userMfaFromRow(r);
  }
  async putUserMfa(m: UserMfaRecord) {
    await this.run(UPSERT, userMfaColumns(m));
  }
  async deleteUserMfa(poolId: string, sub: string) {
    await this.run("DELETE FROM user_mfa WHERE pool_id = $1 AND sub = $2", [poolId, sub]);
  }
  async acceptTotpStep(poolId: string, sub: string, step: number, now: number) {
    // A concurrent UPDATE of the row waits for the first and re-checks the condition.
    const n = await this.run(
      "UPDATE user_mfa SET totp_last_step = $1, updated_at = $2 WHERE pool_id = $3 AND sub = $4 AND (totp_last_step IS NULL OR totp_last_step < $1)",
      [step, now, poolId, sub],
    );
    return n > 0;
  }
}
