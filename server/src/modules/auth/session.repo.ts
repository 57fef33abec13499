import type { Tx } from "../../db/database.js";
import { prepared } from "../../db/prepared.js";
import type { MemberRow, SessionRow } from "../../db/schema.js";

/** Stores a new session under the hash of its token. */
export async function insertSession(tx: Tx, row: SessionRow): Promise<void> {
  await tx.insertInto("sessions").values(row).execute();
}

/** A session joined with its member: the member's columns as they are, the session's creation renamed. */
type SessionMemberRow = Omit<SessionRow, "created_at"> & { session_created_at: number } & Omit<MemberRow, "team_id">;

/** Every dashboard request runs this: prepared. */
const sessionQuery = prepared<{ tokenHash: string; now: number }, SessionMemberRow>((db, param) =>
  db
    .selectFrom("sessions")
    .innerJoin("members", "members.id", "sessions.member_id")
    .select([
      "sessions.token_hash",
      "sessions.team_id",
      "sessions.member_id",
      "sessions.created_at as session_created_at",
      "sessions.last_seen_at",
      "sessions.expires_at",
      "sessions.user_agent",
      "sessions.ip",
    ])
    .select(["members.id", "members.email", "members.name", "members.role", "members.availability", "members.password_hash", "members.invite_token_hash", "members.invite_expires_at", "members.created_at", "members.updated_at", "members.removed_at"])
    .where("sessions.token_hash", "=", param("tokenHash"))
    .where("sessions.expires_at", ">", param("now"))
    .where("members.removed_at", "is", null),
);

/** The unexpired session and its active member, in one query. */
export async function findSessionWithMember(tx: Tx, tokenHash: string, now: number): Promise<{ session: SessionRow; member: MemberRow } | undefined> {
  const [row] = await sessionQuery(tx, { tokenHash, now });
  if (!row) {
    return undefined;
  }
  const session: SessionRow = {
    token_hash: row.token_hash,
    team_id: row.team_id,
    member_id: row.member_id,
    created_at: row.session_created_at,
    last_seen_at: row.last_seen_at,
    expires_at: row.expires_at,
    user_agent: row.user_agent,
    ip: row.ip,
  };
  const member: MemberRow = {
    id: row.id,
    team_id: row.team_id,
    email: row.email,
    name: row.name,
    role: row.role,
    availability: row.availability,
    password_hash: row.password_hash,
    invite_token_hash: row.invite_token_hash,
    invite_expires_at: row.invite_expires_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
    removed_at: row.removed_at,
  };
  return { session, member };
}

/** Slides a session's expiry forward. */
export async function touchSession(tx: Tx, tokenHash: string, now: number, expiresAt: number): Promise<void> {
  await tx.updateTable("sessions").set({ last_seen_at: now, expires_at: expiresAt }).where("token_hash", "=", tokenHash).execute();
}

/** Ends one session. */
export async function deleteSession(tx: Tx, tokenHash: string): Promise<void> {
  await tx.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
}

/** Ends every session of a member, except the one given. */
export async function deleteSessionsOfMember(tx: Tx, memberId: string, keepTokenHash?: string): Promise<void> {
  let query = tx.deleteFrom("sessions").where("member_id", "=", memberId);
  if (keepTokenHash) {
    query = query.where("token_hash", "!=", keepTokenHash);
  }
  await query.execute();
}

/** Drops expired sessions; housekeeping. */
export async function deleteExpiredSessions(tx: Tx, now: number): Promise<void> {
  await tx.deleteFrom("sessions").where("expires_at", "<=", now).execute();
}
