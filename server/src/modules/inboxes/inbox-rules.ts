import type { Tx } from "../../db/database.js";
import { conflict, invalidField } from "../../errors.js";
import { findMember } from "../members/member.repo.js";
import { findInboxByEmail, findInboxByNameKey } from "./inbox.repo.js";

/** The comparison key of an inbox name: names are unique in a team regardless of case and spacing. */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/** 409 when another inbox of the team has the name, or any inbox anywhere has the email address. */
export async function assertInboxFieldsFree(tx: Tx, teamId: string, fields: { nameKey?: string; email?: string | null }, exceptInboxId?: string): Promise<void> {
  if (fields.nameKey !== undefined) {
    const sameName = await findInboxByNameKey(tx, teamId, fields.nameKey);
    if (sameName && sameName.id !== exceptInboxId) {
      throw conflict("name_taken", "Another inbox of this team already has this name.");
    }
  }
  if (fields.email) {
    const sameEmail = await findInboxByEmail(tx, fields.email);
    if (sameEmail && sameEmail.id !== exceptInboxId) {
      throw conflict("email_taken", "This email address is already used by another inbox.");
    }
  }
}

/** 400 unless the fallback (when set) is an active member of the team. */
export async function assertFallbackMember(tx: Tx, teamId: string, fallbackUserId: string | null): Promise<void> {
  if (fallbackUserId !== null && !(await findMember(tx, teamId, fallbackUserId))) {
    throw invalidField("assignmentRules.fallbackUserId", "no member of this team has this id");
  }
}
