import type { Insertable } from "kysely";
import type { Tx } from "../../server/src/db/database.js";
import type { ApiKeysTable, ContactsTable, DB, InboxesTable, InboxMembersTable, MembersTable, TeamsTable, VisitorsTable } from "../../server/src/db/schema.js";
import { hashSecret } from "../../server/src/lib/crypto.js";
import { newContactRow } from "../../server/src/modules/contacts/contact.repo.js";
import { defaultInboxSettings } from "../../server/src/modules/inboxes/inbox-settings.js";
import type { Prng } from "./prng.js";

// Rows made the way the product's use cases make them (createTeam, insertNewInbox, createApiKey, start a
// visitor session), but generated from a seeded stream and written in bulk.

/** Largest number of bound values in one statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

/** Inserts rows in as few statements as the parameter limits allow. */
export async function insertRows<T extends keyof DB>(tx: Tx, table: T, rows: Insertable<DB[T]>[]): Promise<void> {
  const first = rows[0];
  if (!first) {
    return;
  }
  const per = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(first).length));
  for (let i = 0; i < rows.length; i += per) {
    // Kysely's types cannot follow a table name chosen at run time; the rows are typed by the caller.
    await tx
      .insertInto(table)
      .values(rows.slice(i, i + per))
      .execute();
  }
}

export function teamRow(id: string, name: string, now: number): Insertable<TeamsTable> {
  return { id, name, plan: "enterprise", event_seq: 0, conversation_seq: 0, created_at: now, updated_at: now };
}

export function inboxRow(prng: Prng, teamId: string, name: string, isDefault: boolean, now: number): Insertable<InboxesTable> {
  return {
    id: prng.id("inbox"),
    team_id: teamId,
    name,
    name_key: name.toLowerCase(),
    description: null,
    email: null,
    is_default: isDefault ? 1 : 0,
    color: "#3B82F6",
    icon: "inbox",
    settings: JSON.stringify(defaultInboxSettings()),
    forward_local: `inbox-${prng.token(12).toLowerCase()}`,
    website_token: prng.token(24),
    identity_secret: prng.token(43),
    created_at: now,
    updated_at: now,
  };
}

export function memberRow(prng: Prng, teamId: string, role: string, name: string, email: string, passwordHash: string | null, now: number): Insertable<MembersTable> {
  return {
    id: prng.id("member"),
    team_id: teamId,
    email,
    name,
    role,
    availability: "available",
    password_hash: passwordHash,
    invite_token_hash: null,
    invite_expires_at: null,
    created_at: now,
    updated_at: now,
    removed_at: null,
  };
}

export function inboxMemberRow(teamId: string, inboxId: string, memberId: string, role: "agent" | "admin", now: number): Insertable<InboxMembersTable> {
  return { team_id: teamId, inbox_id: inboxId, member_id: memberId, role, created_at: now };
}

/** An API key row and its secret, shaped like createApiKey's. */
export function apiKeyRow(prng: Prng, teamId: string, memberId: string, role: string, now: number): { row: Insertable<ApiKeysTable>; secret: string } {
  const prefix = `pk_${prng.token(8)}`;
  const secret = `${prefix}_${prng.token(32)}`;
  return {
    secret,
    row: { id: prng.id("key"), team_id: teamId, member_id: memberId, name: "bench", role, prefix, secret_hash: hashSecret(secret), created_at: now, last_used_at: null, revoked_at: null },
  };
}

export function contactRow(id: string, teamId: string, fields: Partial<Insertable<ContactsTable>>, now: number): Insertable<ContactsTable> {
  return newContactRow(id, teamId, now, fields);
}

/** A widget visitor (a browser's token tied to a contact), shaped like startVisitorSession's. */
export function visitorRow(prng: Prng, teamId: string, inboxId: string, contactId: string, now: number): { row: Insertable<VisitorsTable>; token: string } {
  const token = `vt_${prng.token(43)}`;
  return {
    token,
    row: { id: prng.id("vis"), team_id: teamId, inbox_id: inboxId, contact_id: contactId, token_hash: hashSecret(token), page_url: null, referrer: null, user_agent: "parley-bench", ip: "127.0.0.1", created_at: now, last_seen_at: now },
  };
}
