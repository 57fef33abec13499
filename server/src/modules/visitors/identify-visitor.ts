import { recordEvent, type Tx } from "../../db/database.js";
import type { ContactRow } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { hmacHex, safeEqual } from "../../lib/crypto.js";
import { findContactByEmail, updateContactRow } from "../contacts/contact.repo.js";
import { parseInboxSettings } from "../inboxes/inbox-settings.js";
import type { VisitorSession } from "./start-visitor-session.js";
import { moveVisitors } from "./visitor.repo.js";

export interface IdentifyInput {
  userId: string;
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  hash?: string | undefined;
}

/** The identity hash a site computes for a user id: HMAC-SHA256(inbox identity secret, userId), hex. */
export function identityHash(secret: string, userId: string): string {
  return hmacHex(secret, userId);
}

/**
 * `Parley.setUser(id, { name, email, phone, hash })`. With identity verification on, the hash must match;
 * then the browser is linked to that user's contact (their history follows them across devices) and what it
 * wrote anonymously joins it. Without verification nobody can be linked to an existing user's history: the
 * details only fill in the current contact, so a visitor can never read another visitor's conversations.
 */
export async function identifyVisitor(tx: Tx, session: VisitorSession, input: IdentifyInput, now: number): Promise<ContactRow> {
  const { inbox, visitor } = session;
  let contact = session.contact;
  const verification = parseInboxSettings(inbox.settings).widget.identityVerification;
  const verified = input.hash !== undefined && safeEqual(input.hash.toLowerCase(), identityHash(inbox.identity_secret, input.userId));
  if (verification && !verified) {
    throw new AppError(403, "identity_not_verified", "setUser needs a valid hash for this inbox: HMAC-SHA256 of the user id with the inbox's identity secret.");
  }
  const owner = await tx.selectFrom("contacts").selectAll().where("team_id", "=", inbox.team_id).where("external_id", "=", input.userId).executeTakeFirst();
  if (verification && owner && owner.id !== contact.id) {
    // The same person, proven: this browser's anonymous conversations join their contact.
    await tx.updateTable("conversations").set({ contact_id: owner.id, updated_at: now }).where("team_id", "=", inbox.team_id).where("contact_id", "=", contact.id).execute();
    await moveVisitors(tx, inbox.team_id, contact.id, owner.id);
    if (contact.external_id === null && contact.email === null) {
      await tx.deleteFrom("contacts").where("id", "=", contact.id).execute();
    }
    contact = owner;
    recordEvent(tx, { name: "contact.merged", teamId: inbox.team_id, payload: { contactId: owner.id, mergedContactId: session.contact.id, visitorId: visitor.id } });
  }
  const claimExternalId = contact.external_id === null && (!owner || owner.id === contact.id);
  const emailFree = input.email !== undefined && input.email !== contact.email && !(await findContactByEmail(tx, inbox.team_id, input.email));
  const updated = await updateContactRow(tx, inbox.team_id, contact.id, {
    ...(claimExternalId ? { external_id: input.userId } : {}),
    ...(input.name ? { name: input.name } : {}),
    ...(emailFree ? { email: input.email ?? null } : {}),
    ...(input.phone ? { phone: input.phone } : {}),
    updated_at: now,
  });
  recordEvent(tx, { name: "contact.updated", teamId: inbox.team_id, payload: { contactId: updated.id } });
  return updated;
}
