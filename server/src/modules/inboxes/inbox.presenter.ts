import type { Availability, InboxRole } from "../../../../protocol/enums.js";
import type { Inbox, InboxMember } from "../../../../protocol/inbox.js";
import type { InboxRow } from "../../db/schema.js";
import { iso } from "../../lib/time.js";
import type { InboxMemberWithMember } from "./inbox.repo.js";
import { parseInboxSettings } from "./inbox-settings.js";

interface PresentOptions {
  mailDomain: string;
  publicUrl: string;
  /** Include the identity-verification secret (inbox and team admins only). */
  withSecrets: boolean;
}


/** The HTML a site pastes to show an inbox's chat widget. */
export function widgetSnippet(publicUrl: string, websiteToken: string): string {
  return `<script src="${publicUrl}/widget/loader.js" data-website-token="${websiteToken}" async></script>`;
}

/** The inbox in seed 000's shape, with its forwarding address, widget token and snippet. */
export function presentInbox(row: InboxRow, { mailDomain, publicUrl, withSecrets }: PresentOptions): Inbox {
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
    widget: settings.widget,
    widgetSnippet: widgetSnippet(publicUrl, row.website_token),
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
