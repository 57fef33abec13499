import type { z } from "zod";
import type { updateContactBody } from "../../../../protocol/contact.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { ContactRow } from "../../db/schema.js";
import { invalidField } from "../../errors.js";
import type { Actor } from "../members/actor.js";
import { loadTagNames } from "../tags/tag.repo.js";
import { presentContact } from "./contact.presenter.js";
import { getContact, updateContactRow } from "./contact.repo.js";
import { assertEmailFree } from "./contact-email.js";
import { setContactTags } from "./contact-tags.js";

export type UpdateContactBody = z.infer<typeof updateContactBody>;

interface UpdateContactInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  contactId: string;
  body: UpdateContactBody;
  now: number;
}

const MAX_ATTRIBUTES = 100;

/** The contact's attributes with the patch applied key by key: a value sets that key, null removes it. */
export function mergeAttributes(current: Record<string, unknown>, patch: Record<string, string | number | boolean | null>): Record<string, unknown> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete merged[key];
    } else {
      merged[key] = value;
    }
  }
  return merged;
}

/**
 * PATCH /contacts/:id (any member): null clears a field, attributes merge key by key, tags replace the list
 * (creating unknown tags). Everything is checked before anything is written.
 */
export async function updateContact({ tx, actor, teamId, contactId, body, now }: UpdateContactInput): Promise<ContactRow> {
  const before = await getContact(tx, teamId, contactId);
  const patch: Partial<ContactRow> = {};
  for (const [field, column] of [
    ["name", "name"],
    ["email", "email"],
    ["phone", "phone"],
    ["language", "language"],
    ["timezone", "timezone"],
  ] as const) {
    const value = body[field];
    if (value !== undefined && value !== before[column]) {
      patch[column] = value;
    }
  }
  if (body.location?.city !== undefined && body.location.city !== before.city) {
    patch.city = body.location.city;
  }
  if (body.location?.country !== undefined && body.location.country !== before.country) {
    patch.country = body.location.country;
  }
  if (body.attributes !== undefined) {
    const merged = mergeAttributes(JSON.parse(before.attributes) as Record<string, unknown>, body.attributes);
    if (Object.keys(merged).length > MAX_ATTRIBUTES) {
      throw invalidField("attributes", `a contact has at most ${MAX_ATTRIBUTES} attributes`);
    }
    const json = JSON.stringify(merged);
    if (json !== before.attributes) {
      patch.attributes = json;
    }
  }
  if (patch.email != null) {
    await assertEmailFree(tx, teamId, patch.email, contactId);
  }
  if (body.tags !== undefined) {
    const tags = await setContactTags(tx, teamId, contactId, body.tags, now);
    if (tags !== before.tags) {
      patch.tags = tags;
    }
  }
  const changed = Object.keys(patch);
  if (changed.length === 0) {
    return before;
  }
  const after = await updateContactRow(tx, teamId, contactId, { ...patch, updated_at: now });
  recordEvent(tx, { name: "contact.updated", teamId, payload: { contact: presentContact(after, await loadTagNames(tx, teamId)), changed, actorId: actor.memberId } });
  return after;
}
