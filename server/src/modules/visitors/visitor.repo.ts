import type { Tx } from "../../db/database.js";
import { prepared } from "../../db/prepared.js";
import { sql } from "kysely";
import type { ContactRow, InboxRow, VisitorRow } from "../../db/schema.js";

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

// Every column of each row, so that one joined row can be split back into the three (the compiler checks
// that no column of the row types is missing here, nor any extra).
const visitorColumns: Record<keyof VisitorRow, true> = { id: true, team_id: true, inbox_id: true, contact_id: true, token_hash: true, page_url: true, referrer: true, user_agent: true, ip: true, created_at: true, last_seen_at: true };
const inboxColumns: Record<keyof InboxRow, true> = { id: true, team_id: true, name: true, name_key: true, description: true, email: true, is_default: true, color: true, icon: true, settings: true, forward_local: true, website_token: true, identity_secret: true, created_at: true, updated_at: true };
const contactColumns: Record<keyof ContactRow, true> = {
  id: true,
  team_id: true,
  name: true,
  email: true,
  phone: true,
  attributes: true,
  tags: true,
  city: true,
  country: true,
  device: true,
  os: true,
  browser: true,
  language: true,
  timezone: true,
  blocked: true,
  external_id: true,
  first_seen_at: true,
  last_seen_at: true,
  created_at: true,
  updated_at: true,
};

interface Part {
  table: "visitors" | "inboxes" | "contacts";
  /** Each column with the name it carries in the joined row (`<v|i|c>_<column>`), worked out once. */
  columns: { column: string; alias: string }[];
}

const part = (table: Part["table"], prefix: string, columns: object): Part => ({ table, columns: Object.keys(columns).map((column) => ({ column, alias: `${prefix}_${column}` })) });
const visitorPart = part("visitors", "v", visitorColumns);
const inboxPart = part("inboxes", "i", inboxColumns);
const contactPart = part("contacts", "c", contactColumns);

/** The visitor of a token with their inbox and contact (all of the team's), in one statement: each column of a row comes as `<v|i|c>_<column>`. */
const visitorSessionQuery = prepared<{ tokenHash: string }, Record<string, unknown>>((db, param) =>
  db
    .selectFrom("visitors")
    .innerJoin("inboxes", (join) => join.onRef("inboxes.id", "=", "visitors.inbox_id").onRef("inboxes.team_id", "=", "visitors.team_id"))
    .innerJoin("contacts", (join) => join.onRef("contacts.id", "=", "visitors.contact_id").onRef("contacts.team_id", "=", "visitors.team_id"))
    .select([visitorPart, inboxPart, contactPart].flatMap(({ table, columns }) => columns.map(({ column, alias }) => sql.ref(`${table}.${column}`).as(alias))))
    .where("visitors.token_hash", "=", param("tokenHash")),
);

function pick<R>(row: Record<string, unknown>, { columns }: Part): R {
  const picked: Record<string, unknown> = {};
  for (const { column, alias } of columns) {
    picked[column] = row[alias];
  }
  return picked as R;
}

/** The visitor holding this token hash with their inbox and contact, read in one statement; undefined if any of the three is gone. */
export async function findVisitorSessionRows(tx: Tx, tokenHash: string): Promise<{ visitor: VisitorRow; inbox: InboxRow; contact: ContactRow } | undefined> {
  const [row] = await visitorSessionQuery(tx, { tokenHash });
  if (!row) {
    return undefined;
  }
  return { visitor: pick(row, visitorPart), inbox: pick(row, inboxPart), contact: pick(row, contactPart) };
}


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
