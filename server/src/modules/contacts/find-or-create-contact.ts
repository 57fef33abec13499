import type { Tx } from "../../db/database.js";
import { lockName } from "../../db/locks.js";
import type { ContactRow } from "../../db/schema.js";
import { invalidField } from "../../errors.js";
import { newId } from "../../lib/ids.js";
import { findContact, findContactByEmail, findContactByPhone, insertContact, newContactRow, updateContactRow } from "./contact.repo.js";

export interface ContactIdentity {
  id?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  name?: string | undefined;
  attributes?: Record<string, string | number | boolean> | undefined;
}

/**
 * The contact a channel names: found by id, then email, then phone, or created. A found contact gains the
 * name it lacked and the attributes given (given values win); last seen moves to now.
 */
export async function findOrCreateContact(tx: Tx, teamId: string, identity: ContactIdentity, now: number): Promise<{ contact: ContactRow; created: boolean }> {
  let found: ContactRow | undefined;
  if (identity.id) {
    found = await findContact(tx, teamId, identity.id);
    if (!found) {
      throw invalidField("contact.id", "no contact of this team has this id");
    }
  }
  if (identity.email) {
    // The same lock as creating or changing a contact's email, so concurrent requests agree on who has it.
    await lockName(tx, `contact-email:${teamId}:${identity.email}`);
  }
  found ??= identity.email ? await findContactByEmail(tx, teamId, identity.email) : undefined;
  found ??= identity.phone ? await findContactByPhone(tx, teamId, identity.phone) : undefined;
  if (found) {
    const attributes = identity.attributes ? JSON.stringify({ ...(JSON.parse(found.attributes) as object), ...identity.attributes }) : found.attributes;
    // An email address is filled in only when no other contact of the team has it.
    const fillEmail = !found.email && identity.email !== undefined && !(await findContactByEmail(tx, teamId, identity.email));
    const contact = await updateContactRow(tx, teamId, found.id, {
      name: found.name ?? identity.name ?? null,
      email: fillEmail ? (identity.email ?? null) : found.email,
      phone: found.phone ?? identity.phone ?? null,
      attributes,
      last_seen_at: now,
      updated_at: now,
    });
    return { contact, created: false };
  }
  const contact = await insertContact(
    tx,
    newContactRow(newId("contact"), teamId, now, {
      name: identity.name ?? null,
      email: identity.email ?? null,
      phone: identity.phone ?? null,
      attributes: JSON.stringify(identity.attributes ?? {}),
    }),
  );
  return { contact, created: true };
}
