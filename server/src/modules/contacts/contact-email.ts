import type { Tx } from "../../db/database.js";
import { lockName } from "../../db/locks.js";
import { conflict } from "../../errors.js";
import { findContactByEmail } from "./contact.repo.js";

/** The 409 for an email address another contact of the team already has. */
export function emailTaken() {
  return conflict("email_taken", "Another contact of this team already has this email address.");
}

/**
 * Refuses an email address another contact of the team has (addresses are stored lowercased, so this is
 * case-insensitive). The named lock holds until commit, so two concurrent writers of one address on
 * PostgreSQL are ordered and the second gets email_taken rather than a bare unique-index error.
 */
export async function assertEmailFree(tx: Tx, teamId: string, email: string, exceptContactId?: string): Promise<void> {
  await lockName(tx, `contact-email:${teamId}:${email}`);
  const holder = await findContactByEmail(tx, teamId, email);
  if (holder && holder.id !== exceptContactId) {
    throw emailTaken();
  }
}
