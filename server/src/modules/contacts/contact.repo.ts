import type { Tx } from "../../db/database.js";
import type { ContactRow } from "../../db/schema.js";
import { notFound } from "../../errors.js";

/** Inserts a contact row. */
export function insertContact(tx: Tx, row: ContactRow): Promise<ContactRow> {
  return tx.insertInto("contacts").values(row).returningAll().executeTakeFirstOrThrow();
}

/** A contact of the team, or undefined. */
export function findContact(tx: Tx, teamId: string, contactId: string): Promise<ContactRow | undefined> {
  return tx.selectFrom("contacts").selectAll().where("team_id", "=", teamId).where("id", "=", contactId).executeTakeFirst();
}

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
