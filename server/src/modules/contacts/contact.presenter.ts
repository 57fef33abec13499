import type { Contact, ContactSummary } from "../../../../protocol/contact.js";
import type { Channel, ConversationStatus } from "../../../../protocol/conversation.js";
import type { ContactRow } from "../../db/schema.js";
import { iso, isoOrNull } from "../../lib/time.js";
import type { ContactConversationRow } from "./contact.repo.js";
import type { ContactConversation } from "./contacts.schema.js";

/** Tag ids → names for one request; tags are stored by id so renaming one touches one row. */
export type TagNames = ReadonlyMap<string, string>;

/** Tag names of a JSON array of tag ids, skipping any deleted meanwhile. */
export function tagNamesOf(json: string, tagNames: TagNames): string[] {
  return (JSON.parse(json) as string[]).map((id) => tagNames.get(id)).filter((name): name is string => name !== undefined);
}

/** A contact with everything the details panel shows. */
export function presentContact(row: ContactRow, tagNames: TagNames): Contact {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    attributes: JSON.parse(row.attributes) as Contact["attributes"],
    tags: tagNamesOf(row.tags, tagNames),
    location: { city: row.city, country: row.country },
    device: row.device,
    os: row.os,
    browser: row.browser,
    language: row.language,
    timezone: row.timezone,
    blocked: row.blocked === 1,
    firstSeenAt: iso(row.first_seen_at),
    lastSeenAt: iso(row.last_seen_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** The few contact fields a conversation carries. */
export function presentContactSummary(row: Pick<ContactRow, "id" | "name" | "email" | "phone" | "blocked">): ContactSummary {
  return { id: row.id, name: row.name, email: row.email, phone: row.phone, blocked: row.blocked === 1 };
}

/** One of the contact's conversations as the details panel lists it: when, how long, in what state. */
export function presentContactConversation(row: ContactConversationRow): ContactConversation {
  const ended = row.status === "closed" ? row.closed_at : null;
  return {
    id: row.id,
    number: row.number,
    inboxId: row.inbox_id,
    channel: row.channel as Channel,
    status: row.status as ConversationStatus,
    subject: row.subject,
    startedAt: iso(row.created_at),
    endedAt: isoOrNull(ended),
    durationSeconds: ended === null ? null : Math.max(0, Math.round((ended - row.created_at) / 1000)),
    lastMessageAt: isoOrNull(row.last_message_at),
  };
}
