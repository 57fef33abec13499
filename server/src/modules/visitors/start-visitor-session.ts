import type { Tx } from "../../db/database.js";
import type { ContactRow, InboxRow, VisitorRow } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { hashSecret, newSecret } from "../../lib/crypto.js";
import { newId } from "../../lib/ids.js";
import { findContact, insertContact, newContactRow, updateContactRow } from "../contacts/contact.repo.js";
import { findInboxByWebsiteToken, findVisitorByTokenHash, findVisitorSessionRows, insertVisitor, updateVisitorRow } from "./visitor.repo.js";

/** What the widget and the request tell about the visitor's browser and whereabouts. */
export interface VisitorEnvironment {
  pageUrl?: string | null | undefined;
  referrer?: string | null | undefined;
  language?: string | null | undefined;
  timezone?: string | null | undefined;
  userAgent?: string | null | undefined;
  browser?: string | null | undefined;
  os?: string | null | undefined;
  device?: string | null | undefined;
  city?: string | null | undefined;
  country?: string | null | undefined;
  ip?: string | null | undefined;
}

export interface VisitorSession {
  visitor: VisitorRow;
  contact: ContactRow;
  inbox: InboxRow;
  /** Only for a new visitor: the token the browser keeps (shown this once). */
  newToken?: string;
}

/** 404 for a website token no inbox has. */
export function widgetNotFound(): AppError {
  return new AppError(404, "widget_not_found", "No inbox has this website token. Copy the snippet again from the inbox settings.");
}

/**
 * Opens the widget for a browser: the visitor its token names (if it belongs to this inbox), else a new
 * anonymous contact and a new token. Device, location, language and page are recorded each time.
 */
export async function startVisitorSession(tx: Tx, input: { websiteToken: string; visitorToken?: string | undefined; environment: VisitorEnvironment; now: number }): Promise<VisitorSession> {
  const { environment: env, now } = input;
  const inbox = await findInboxByWebsiteToken(tx, input.websiteToken);
  if (!inbox) {
    throw widgetNotFound();
  }
  const known = input.visitorToken ? await findVisitorByTokenHash(tx, hashSecret(input.visitorToken)) : undefined;
  const existing = known && known.inbox_id === inbox.id ? known : undefined;
  const seen = {
    ...(env.browser ? { browser: env.browser } : {}),
    ...(env.os ? { os: env.os } : {}),
    ...(env.device ? { device: env.device } : {}),
    ...(env.city ? { city: env.city } : {}),
    ...(env.country ? { country: env.country } : {}),
    ...(env.language ? { language: env.language } : {}),
    ...(env.timezone ? { timezone: env.timezone } : {}),
    last_seen_at: now,
    updated_at: now,
  };
  const page = { page_url: env.pageUrl ?? null, referrer: env.referrer ?? null, user_agent: env.userAgent?.slice(0, 500) ?? null, ip: env.ip ?? null, last_seen_at: now };
  if (existing) {
    const contact = await findContact(tx, inbox.team_id, existing.contact_id);
    if (contact) {
      await updateVisitorRow(tx, existing.id, page);
      return { visitor: { ...existing, ...page }, contact: await updateContactRow(tx, inbox.team_id, contact.id, seen), inbox };
    }
  }
  const contact = await insertContact(
    tx,
    newContactRow(newId("contact"), inbox.team_id, now, {
      city: env.city ?? null,
      country: env.country ?? null,
      device: env.device ?? null,
      os: env.os ?? null,
      browser: env.browser ?? null,
      language: env.language ?? null,
      timezone: env.timezone ?? null,
    }),
  );
  const token = `vt_${newSecret(32)}`;
  const visitor: VisitorRow = { id: newId("vis"), team_id: inbox.team_id, inbox_id: inbox.id, contact_id: contact.id, token_hash: hashSecret(token), created_at: now, ...page };
  await insertVisitor(tx, visitor);
  return { visitor, contact, inbox, newToken: token };
}

/** The visitor behind a token, with their contact and inbox; 401 when the token is unknown. */
export async function getVisitorSession(tx: Tx, visitorToken: string): Promise<VisitorSession> {
  const session = await findVisitorSessionRows(tx, hashSecret(visitorToken));
  if (!session) {
    throw new AppError(401, "unknown_visitor", "This visitor token is not known; start a new session.");
  }
  return session;
}
