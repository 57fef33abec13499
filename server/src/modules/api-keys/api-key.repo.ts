import type { Tx } from "../../db/database.js";
import { prepared } from "../../db/prepared.js";
import type { ApiKeyRow, MemberRow } from "../../db/schema.js";
import { notFound } from "../../errors.js";

/** Stores a new key (its secret only as a hash). */
export async function insertApiKey(tx: Tx, row: ApiKeyRow): Promise<void> {
  await tx.insertInto("api_keys").values(row).execute();
}

/** The team's keys that are not revoked, newest first. */
export function listApiKeys(tx: Tx, teamId: string): Promise<ApiKeyRow[]> {
  return tx.selectFrom("api_keys").selectAll().where("team_id", "=", teamId).where("revoked_at", "is", null).orderBy("created_at", "desc").orderBy("id", "desc").execute();
}

/** A live key of the team; 404 otherwise. */
export async function getApiKey(tx: Tx, teamId: string, keyId: string): Promise<ApiKeyRow> {
  const key = await tx.selectFrom("api_keys").selectAll().where("team_id", "=", teamId).where("id", "=", keyId).where("revoked_at", "is", null).executeTakeFirst();
  if (!key) {
    throw notFound("API key");
  }
  return key;
}

/** Marks a key revoked. */
export async function revokeApiKeyRow(tx: Tx, teamId: string, keyId: string, now: number): Promise<void> {
  await tx.updateTable("api_keys").set({ revoked_at: now }).where("team_id", "=", teamId).where("id", "=", keyId).execute();
}

/** Revokes every key a member created; used when the member is removed. */
export async function revokeApiKeysOfMember(tx: Tx, teamId: string, memberId: string, now: number): Promise<void> {
  await tx.updateTable("api_keys").set({ revoked_at: now }).where("team_id", "=", teamId).where("member_id", "=", memberId).where("revoked_at", "is", null).execute();
}

/** The live key with this secret hash and its active member, in one query. */
/** Every API request runs this: prepared. */
const liveKeyQuery = prepared<{ secretHash: string }, ApiKeyRow & { member_role: string; member_name: string }>((db, param) =>
  db
    .selectFrom("api_keys")
    .innerJoin("members", "members.id", "api_keys.member_id")
    .selectAll("api_keys")
    .select(["members.role as member_role", "members.name as member_name"])
    .where("api_keys.secret_hash", "=", param("secretHash"))
    .where("api_keys.revoked_at", "is", null)
    .where("members.removed_at", "is", null),
);

export async function findLiveKeyWithMember(tx: Tx, secretHash: string): Promise<{ key: ApiKeyRow; member: Pick<MemberRow, "id" | "team_id" | "role" | "name"> } | undefined> {
  const [row] = await liveKeyQuery(tx, { secretHash });
  if (!row) {
    return undefined;
  }
  const { member_role, member_name, ...key } = row;
  return { key, member: { id: key.member_id, team_id: key.team_id, role: member_role, name: member_name } };
}

/** Records when a key was last used. */
export async function touchApiKey(tx: Tx, keyId: string, now: number): Promise<void> {
  await tx.updateTable("api_keys").set({ last_used_at: now }).where("id", "=", keyId).execute();
}
