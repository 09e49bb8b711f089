/** SQLite: Groups and their members. */
import { decodeCursor, page } from "../cursor.ts";
import type { GroupRecord } from "../records.ts";
import { groupFromRow, userFromRow } from "../rows.ts";
import { DuplicateKeyError, type GroupsRepository } from "../storage.ts";
import { isUniqueViolation, type Row, SqliteRepository } from "./sql.ts";

export class SqliteGroups extends SqliteRepository implements GroupsRepository {
  async getGroup(poolId: string, name: string) {
    const r = this.q("SELECT * FROM groups WHERE pool_id = ? AND name = ?").get(poolId, name) as
      Row | undefined;
    return r && groupFromRow(r);
  }
  async listGroups(poolId: string, limit: number, after?: string) {
    const last = after ? String(decodeCursor(after, 1)[0]) : "";
    const rows = this.q("SELECT * FROM groups WHERE pool_id = ? AND name > ? ORDER BY name LIMIT ?").all(
      poolId,
      last,
      limit + 1,
    ) as Row[];
    return page(rows, limit, groupFromRow, (r) => [r.name as string]);
  }
  async listGroupsForUser(poolId: string, sub: string, limit: number, after?: string) {
    const last = after ? String(decodeCursor(after, 1)[0]) : "";
    const rows = this.q(
      "SELECT g.* FROM group_members m JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name WHERE m.pool_id = ? AND m.sub = ? AND m.group_name > ? ORDER BY m.group_name LIMIT ?",
    ).all(poolId, sub, last, limit + 1) as Row[];
    return page(rows, limit, groupFromRow, (r) => [r.name as string]);
  }
  async listUsersInGroup(poolId: string, groupName: string, limit: number, after?: string) {
    const last = after ? String(decodeCursor(after, 1)[0]) : "";
    const rows = this.q(
      "SELECT u.* FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND u.sub = m.sub WHERE m.pool_id = ? AND m.group_name = ? AND m.sub > ? ORDER BY m.sub LIMIT ?",
    ).all(poolId, groupName, last, limit + 1) as Row[];
    return page(rows, limit, userFromRow, (r) => [r.sub as string]);
  }
  async insertGroup(g: GroupRecord) {
    try {
      this.q(
        "INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ).run(
        g.poolId,
        g.name,
        g.description ?? null,
        g.roleArn ?? null,
        g.precedence ?? null,
        g.createdAt,
        g.updatedAt,
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError("group exists");
      throw e;
    }
  }
  async updateGroup(g: GroupRecord) {
    this.q(
      "UPDATE groups SET description = ?, role_arn = ?, precedence = ?, updated_at = ? WHERE pool_id = ? AND name = ?",
    ).run(g.description ?? null, g.roleArn ?? null, g.precedence ?? null, g.updatedAt, g.poolId, g.name);
  }
  async deleteGroup(poolId: string, name: string) {
    this.q("DELETE FROM groups WHERE pool_id = ? AND name = ?").run(poolId, name);
  }
  async addUserToGroup(poolId: string, groupName: string, sub: string) {
    const r = this.q("INSERT OR IGNORE INTO group_members (pool_id, group_name, sub) VALUES (?, ?, ?)").run(
      poolId,
      groupName,
      sub,
    );
    return Number(r.changes) > 0;
  }
  async removeUserFromGroup(poolId: string, groupName: string, sub: string) {
    const r = this.q("DELETE FROM group_members WHERE pool_id = ? AND group_name = ? AND sub = ?").run(
      poolId,
      groupName,
      sub,
    );
    return Number(r.changes) > 0;
  }
}
