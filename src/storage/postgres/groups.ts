import { page } from "../cursor.ts";
/** PostgreSQL: Groups and their members. */
import type { GroupRecord } from "../records.ts";
import { groupFromRow, userFromRow } from "../rows.ts";
import { DuplicateKeyError, type GroupsRepository } from "../storage.ts";
import { nameOf, PgRepository } from "./db.ts";

export class PostgresGroups extends PgRepository implements GroupsRepository {
  async getGroup(poolId: string, name: string) {
    const r = await this.one(`SELECT * FROM groups WHERE pool_id = $1 AND name = $2${this.lock}`, [
      poolId,
      name,
    ]);
    return r && groupFromRow(r);
  }
  async listGroups(poolId: string, limit: number, after?: string) {
    const rows = await this.rows(
      "SELECT * FROM groups WHERE pool_id = $1 AND name > $2 ORDER BY name LIMIT $3",
      [poolId, nameOf(after), limit + 1],
    );
    return page(rows, limit, groupFromRow, (r) => [r.name as string]);
  }
  async listGroupsForUser(poolId: string, sub: string, limit: number, after?: string) {
    const rows = await this.rows(
      "SELECT g.* FROM group_members m JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name WHERE m.pool_id = $1 AND m.sub = $2 AND m.group_name > $3 ORDER BY m.group_name LIMIT $4",
      [poolId, sub, nameOf(after), limit + 1],
    );
    return page(rows, limit, groupFromRow, (r) => [r.name as string]);
  }
  async listUsersInGroup(poolId: string, groupName: string, limit: number, after?: string) {
    const rows = await this.rows(
      "SELECT u.* FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND u.sub = m.sub WHERE m.pool_id = $1 AND m.group_name = $2 AND m.sub > $3 ORDER BY m.sub LIMIT $4",
      [poolId, groupName, nameOf(after), limit + 1],
      true,
    );
    return page(rows, limit, userFromRow, (r) => [r.sub as string]);
  }
  async insertGroup(g: GroupRecord) {
    const n = await this.run(
      "INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
      [
        g.poolId,
        g.name,
        g.description ?? null,
        g.roleArn ?? null,
        g.precedence ?? null,
        g.createdAt,
        g.updatedAt,
      ],
    );
    if (n === 0) throw new DuplicateKeyError("group exists");
  }
  async updateGroup(g: GroupRecord) {
    await this.run(
      "UPDATE groups SET description = $1, role_arn = $2, precedence = $3, updated_at = $4 WHERE pool_id = $5 AND name = $6",
      [g.description ?? null, g.roleArn ?? null, g.precedence ?? null, g.updatedAt, g.poolId, g.name],
    );
  }
  async deleteGroup(poolId: string, name: string) {
    await this.run("DELETE FROM groups WHERE pool_id = $1 AND name = $2", [poolId, name]);
  }
  async addUserToGroup(poolId: string, groupName: string, sub: string) {
    const n = await this.run(
      "INSERT INTO group_members (pool_id, group_name, sub) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      [poolId, groupName, sub],
    );
    return n > 0;
  }
  async removeUserFromGroup(poolId: string, groupName: string, sub: string) {
    const n = await this.run(
      "DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND sub = $3",
      [poolId, groupName, sub],
    );
    return n > 0;
  }
}
