import { recordEvent, type Tx } from "../../db/database.js";
import type { ContactRow } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { findContactByEmail, updateContactRow } from "../contacts/contact.repo.js";
import { ensureTags } from "../tags/tag.repo.js";
import type { VisitorSession } from "./start-visitor-session.js";

export interface ProfileInput {
  name?: string | undefined;
  email?: string | undefined;
  attributes?: Record<string, string | number | boolean> | undefined;
  tags?: string[] | undefined;
}

/**
 * The pre-chat form, `Parley.setAttributes()` and `Parley.setTags()`: fills in the visitor's own contact.
 * An email address already belonging to another contact is refused (409) rather than merged, since the
 * visitor has not proven it is theirs.
 */
export async function updateVisitorProfile(tx: Tx, session: VisitorSession, input: ProfileInput, now: number): Promise<ContactRow> {
  const { contact, inbox } = session;
  if (input.email !== undefined && input.email !== contact.email) {
    const other = await findContactByEmail(tx, inbox.team_id, input.email);
    if (other && other.id !== contact.id) {
      throw new AppError(409, "email_taken", "This email address is already known; we will reach you there.");
    }
  }
  let tags = contact.tags;
  if (input.tags) {
    const rows = await ensureTags(tx, inbox.team_id, input.tags, now);
    const merged = [...new Set([...(JSON.parse(contact.tags) as string[]), ...rows.map((tag) => tag.id)])];
    tags = JSON.stringify(merged);
    await tx.deleteFrom("contact_tags").where("contact_id", "=", contact.id).execute();
    if (merged.length > 0) {
      await tx
        .insertInto("contact_tags")
        .values(merged.map((tagId) => ({ team_id: inbox.team_id, contact_id: contact.id, tag_id: tagId })))
        .execute();
    }
  }
  const updated = await updateContactRow(tx, inbox.team_id, contact.id, {
    ...(input.name ? { name: input.name } : {}),
    ...(input.email ? { email: input.email } : {}),
    ...(input.attributes ? { attributes: JSON.stringify({ ...(JSON.parse(contact.attributes) as object), ...input.attributes }) } : {}),
    tags,
    updated_at: now,
  });
  recordEvent(tx, { name: "contact.updated", teamId: inbox.team_id, payload: { contactId: contact.id } });
  return updated;
}
