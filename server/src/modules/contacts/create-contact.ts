import type { z } from "zod";
import type { createContactBody } from "../../../../protocol/contact.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { ContactRow } from "../../db/schema.js";
import { newId } from "../../lib/ids.js";
import type { Actor } from "../members/actor.js";
import { loadTagNames } from "../tags/tag.repo.js";
import { presentContact } from "./contact.presenter.js";
import { insertContactUnlessEmailTaken, newContactRow, updateContactRow } from "./contact.repo.js";
import { assertEmailFree, emailTaken } from "./contact-email.js";
import { setContactTags } from "./contact-tags.js";

interface CreateContactInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  body: z.infer<typeof createContactBody>;
  now: number;
}

/** Creates a contact by hand (any member); 409 email_taken when another contact of the team has the address. */
export async function createContact({ tx, actor, teamId, body, now }: CreateContactInput): Promise<ContactRow> {
  if (body.email !== undefined) {
    await assertEmailFree(tx, teamId, body.email);
  }
  const id = newId("contact");
  let contact = await insertContactUnlessEmailTaken(
    tx,
    newContactRow(id, teamId, now, {
      name: body.name ?? null,
      email: body.email ?? null,
      phone: body.phone ?? null,
      attributes: JSON.stringify(body.attributes ?? {}),
      city: body.location?.city ?? null,
      country: body.location?.country ?? null,
      language: body.language ?? null,
      timezone: body.timezone ?? null,
    }),
  );
  if (!contact) {
    // A channel created a contact with this address meanwhile (it does not take the lock).
    throw emailTaken();
  }
  if (body.tags !== undefined && body.tags.length > 0) {
    contact = await updateContactRow(tx, teamId, id, { tags: await setContactTags(tx, teamId, id, body.tags, now) });
  }
  recordEvent(tx, { name: "contact.created", teamId, payload: { contact: presentContact(contact, await loadTagNames(tx, teamId)), actorId: actor.memberId } });
  return contact;
}
