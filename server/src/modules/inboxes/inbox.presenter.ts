import type { Availability, InboxRole } from "../../../../protocol/enums.js";
import type { Inbox, InboxMember } from "../../../../protocol/inbox.js";
import type { InboxRow } from "../../db/schema.js";
import { iso } from "../../lib/time.js";
import type { InboxMemberWithMember } from "./inbox.repo.js";
import { parseInboxSettings } from "./inbox-settings.js";

interface PresentOptions {
  mailDomain: string;
  /** Include the identity-verification secret (inbox and team admins only). */
  withSecrets: boolean;
}

/** The inbox in seed 000's shape, with its forwarding address and widget token. */
export function presentInbox(row: InboxRow, { mailDomain, withSecrets }: PresentOptions): Inbox {
  const settings = parseInboxSettings(row.settings);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    email: row.email,
    isDefault: row.is_default === 1,
    color: row.color,
    icon: row.icon,
    assignmentRules: {
      type: settings.assignmentRules.type,
      fallbackUserId: settings.assignmentRules.fallbackUserId,
      workingHours: settings.workingHours,
    },
    autoResponder: settings.autoResponder,
    workingHours: settings.workingHours,
    outsideHoursMessage: settings.outsideHoursMessage,
    emailSettings: settings.emailSettings,
    forwardingAddress: `${row.forward_local}@${mailDomain}`,
    websiteToken: row.website_token,
    ...(withSecrets ? { identitySecret: row.identity_secret } : {}),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** One inbox membership: `userId` as seed 000 names it. */
export function presentInboxMember(row: InboxMemberWithMember): InboxMember {
  return {
    userId: row.member_id,
    inboxId: row.inbox_id,
    role: row.role as InboxRole,
    name: row.name,
    email: row.email,
    availability: row.availability as Availability,
    createdAt: iso(row.created_at),
  };
}
