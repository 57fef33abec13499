import { sql, type SqlBool } from "kysely";
import { isPostgres, type Tx } from "../../db/database.js";
import { prepared } from "../../db/prepared.js";
import type { ContactRow, ConversationRow, NewContact } from "../../db/schema.js";
import { notFound } from "../../errors.js";
import { conversationColumns } from "../conversations/conversation.repo.js";

/** Inserts a contact row. */
/** A contact row as a new contact starts: nothing known but what `fields` says, first and last seen now. */
export function newContactRow(id: string, teamId: string, now: number, fields: Partial<Omit<NewContact, "id" | "team_id">> = {}): NewContact {
  return {
    id,
    team_id: teamId,
    name: null,
    email: null,
    phone: null,
    attributes: "{}",
    tags: "[]",
    city: null,
    country: null,
    device: null,
    os: null,
    browser: null,
    language: null,
    timezone: null,
    blocked: 0,
    first_seen_at: now,
    last_seen_at: now,
    created_at: now,
    updated_at: now,
    ...fields,
  };
}

export function insertContact(tx: Tx, row: NewContact): Promise<ContactRow> {
  return tx.insertInto("contacts").values(row).returningAll().executeTakeFirstOrThrow();
}

/** A contact of the team, or undefined. */
export async function findContact(tx: Tx, teamId: string, contactId: string): Promise<ContactRow | undefined> {
  const [row] = await contactQuery(tx, { teamId, contactId });
  return row;
}

const contactQuery = prepared<{ teamId: string; contactId: string }, ContactRow>((db, param) => db.selectFrom("contacts").selectAll().where("team_id", "=", param("teamId")).where("id", "=", param("contactId")));

/** A contact of the team; 404 otherwise. */
export async function getContact(tx: Tx, teamId: string, contactId: string): Promise<ContactRow> {
  const contact = await findContact(tx, teamId, contactId);
  if (!contact) {
    throw notFound("Contact");
  }
  return contact;
}

/** The team's contact with this (lowercased) email address, if any. */
export function findContactByEmail(tx: Tx, teamId: string, email: string): Promise<ContactRow | undefined> {
  return tx.selectFrom("contacts").selectAll().where("team_id", "=", teamId).where("email", "=", email).executeTakeFirst();
}

/** The team's oldest contact with this phone number, if any. */
export function findContactByPhone(tx: Tx, teamId: string, phone: string): Promise<ContactRow | undefined> {
  return tx.selectFrom("contacts").selectAll().where("team_id", "=", teamId).where("phone", "=", phone).orderBy("created_at").limit(1).executeTakeFirst();
}

/** Updates a contact of the team and returns the new row. */
export function updateContactRow(tx: Tx, teamId: string, contactId: string, patch: Partial<ContactRow>): Promise<ContactRow> {
  return tx.updateTable("contacts").set(patch).where("team_id", "=", teamId).where("id", "=", contactId).returningAll().executeTakeFirstOrThrow();
}

/** Contacts of the team by id, in one query. */
export function findContactsByIds(tx: Tx, teamId: string, ids: string[]): Promise<ContactRow[]> {
  if (ids.length === 0) {
    return Promise.resolve([]);
  }
  return tx.selectFrom("contacts").selectAll().where("team_id", "=", teamId).where("id", "in", ids).execute();
}

/** Inserts a contact unless the team already has one with its email address; undefined then. */
export function insertContactUnlessEmailTaken(tx: Tx, row: NewContact): Promise<ContactRow | undefined> {
  return tx
    .insertInto("contacts")
    .values(row)
    .onConflict((oc) => oc.columns(["team_id", "email"]).where("email", "is not", null).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Deletes a contact row; its tag join rows cascade. Its conversations must be gone first. */
export async function deleteContactRow(tx: Tx, teamId: string, contactId: string): Promise<void> {
  await tx.deleteFrom("contacts").where("team_id", "=", teamId).where("id", "=", contactId).execute();
}

/** Replaces a contact's tags (ids) in its join rows. */
export async function replaceContactTags(tx: Tx, teamId: string, contactId: string, tagIds: string[]): Promise<void> {
  await tx.deleteFrom("contact_tags").where("team_id", "=", teamId).where("contact_id", "=", contactId).execute();
  if (tagIds.length > 0) {
    await tx
      .insertInto("contact_tags")
      .values(tagIds.map((tagId) => ({ team_id: teamId, contact_id: contactId, tag_id: tagId })))
      .execute();
  }
}

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * A column folded to lower case the way both databases can: SQLite's lower() folds ASCII only, so PostgreSQL
 * folds ASCII only too (translate) and a search finds the same rows on either.
 */
function foldCase(tx: Tx, column: "name" | "email" | "phone") {
  const ref = sql.ref(`contacts.${column}`);
  return isPostgres(tx) ? sql<string>`translate(${ref}, ${UPPER}, ${UPPER.toLowerCase()})` : sql<string>`lower(${ref})`;
}

/** A LIKE pattern matching `text` anywhere, its wildcards escaped with a backslash; ASCII letters lowercased. */
export function containsPattern(text: string): string {
  const folded = text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  return `%${folded.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export interface ContactListQuery {
  teamId: string;
  /** Case-insensitive substring of name, email or phone. */
  search?: string | undefined;
  blocked?: boolean | undefined;
  tagId?: string | undefined;
  email?: string | undefined;
  /** Keyset position: rows strictly after (seen earlier than) this one. */
  after?: { at: number; id: string } | undefined;
  limit: number;
}

/** A page of the team's contacts, last seen first, by keyset (never OFFSET). */
export function listContactRows(tx: Tx, q: ContactListQuery): Promise<ContactRow[]> {
  let query = tx.selectFrom("contacts").selectAll("contacts").where("contacts.team_id", "=", q.teamId);
  if (q.search !== undefined) {
    const pattern = containsPattern(q.search);
    const like = (column: "name" | "email" | "phone") => sql<SqlBool>`${foldCase(tx, column)} like ${pattern} escape '\\'`;
    query = query.where((eb) => eb.or([like("name"), like("email"), like("phone")]));
  }
  if (q.blocked !== undefined) {
    query = query.where("contacts.blocked", "=", q.blocked ? 1 : 0);
  }
  if (q.email !== undefined) {
    query = query.where("contacts.email", "=", q.email);
  }
  const tagId = q.tagId;
  if (tagId !== undefined) {
    query = query.where((eb) => eb.exists(eb.selectFrom("contact_tags").select("contact_tags.tag_id").whereRef("contact_tags.contact_id", "=", "contacts.id").where("contact_tags.tag_id", "=", tagId)));
  }
  const after = q.after;
  if (after) {
    query = query.where((eb) => eb.or([eb("contacts.last_seen_at", "<", after.at), eb.and([eb("contacts.last_seen_at", "=", after.at), eb("contacts.id", "<", after.id)])]));
  }
  return query.orderBy("contacts.last_seen_at", "desc").orderBy("contacts.id", "desc").limit(q.limit).execute();
}

/** Every conversation of a contact, oldest first (for blocking and deleting, which touch them all). */
export function listConversationsOfContact(tx: Tx, teamId: string, contactId: string): Promise<ConversationRow[]> {
  return tx.selectFrom("conversations").select(conversationColumns).where("team_id", "=", teamId).where("contact_id", "=", contactId).orderBy("created_at").orderBy("id").execute();
}

/** Deletes every conversation of a contact; their messages, tags, read state and attachments cascade. */
export async function deleteConversationsOfContact(tx: Tx, teamId: string, contactId: string): Promise<void> {
  await tx.deleteFrom("conversations").where("team_id", "=", teamId).where("contact_id", "=", contactId).execute();
}

export type ContactConversationRow = Pick<ConversationRow, "id" | "number" | "inbox_id" | "channel" | "status" | "subject" | "created_at" | "closed_at" | "last_message_at">;

export interface ContactConversationQuery {
  teamId: string;
  contactId: string;
  /** Only these inboxes; undefined means all of the team's. */
  inboxIds: string[] | undefined;
  /** Keyset position: rows strictly after (started before) this one. */
  after?: { at: number; id: string } | undefined;
  limit: number;
}

/** A page of a contact's conversations, newest start first, by keyset (index conversations_contact). */
export function listContactConversationRows(tx: Tx, q: ContactConversationQuery): Promise<ContactConversationRow[]> {
  let query = tx
    .selectFrom("conversations")
    .select(["id", "number", "inbox_id", "channel", "status", "subject", "created_at", "closed_at", "last_message_at"])
    .where("team_id", "=", q.teamId)
    .where("contact_id", "=", q.contactId);
  if (q.inboxIds) {
    query = query.where("inbox_id", "in", q.inboxIds);
  }
  const after = q.after;
  if (after) {
    query = query.where((eb) => eb.or([eb("created_at", "<", after.at), eb.and([eb("created_at", "=", after.at), eb("id", "<", after.id)])]));
  }
  return query.orderBy("created_at", "desc").orderBy("id", "desc").limit(q.limit).execute();
}
