import type { Tx } from "../../db/database.js";
import { prepared } from "../../db/prepared.js";
import type { InboxRow, VisitorRow } from "../../db/schema.js";

/** Inserts a visitor (a browser's token, stored hashed). */
export async function insertVisitor(tx: Tx, row: VisitorRow): Promise<void> {
  await tx.insertInto("visitors").values(row).execute();
}

/** The visitor holding this token hash, if any. */
export async function findVisitorByTokenHash(tx: Tx, tokenHash: string): Promise<VisitorRow | undefined> {
  const [row] = await visitorByTokenQuery(tx, { tokenHash });
  return row;
}

/** Every widget request and socket starts here: prepared. */
const visitorByTokenQuery = prepared<{ tokenHash: string }, VisitorRow>((db, param) => db.selectFrom("visitors").selectAll().where("token_hash", "=", param("tokenHash")));


/** Updates a visitor. */
export async function updateVisitorRow(tx: Tx, visitorId: string, patch: Partial<VisitorRow>): Promise<void> {
  await tx.updateTable("visitors").set(patch).where("id", "=", visitorId).execute();
}

/** Points every visitor of one contact at another (when an anonymous visitor turns out to be a known user). */
export async function moveVisitors(tx: Tx, teamId: string, fromContactId: string, toContactId: string): Promise<void> {
  await tx.updateTable("visitors").set({ contact_id: toContactId }).where("team_id", "=", teamId).where("contact_id", "=", fromContactId).execute();
}

/** The inbox a widget's website token belongs to. */
export function findInboxByWebsiteToken(tx: Tx, websiteToken: string): Promise<InboxRow | undefined> {
  return tx.selectFrom("inboxes").selectAll().where("website_token", "=", websiteToken).executeTakeFirst();
}
