/** The API's shapes, taken from protocol/ (type-only: no zod in the bundle), plus the few defined server-side. */
export type { Thread, Message, AttachmentSummary, ViewCounts, View, ConversationStatus, Channel, PatchThreadBody, CreateMessageBody } from "../../../protocol/conversation.js";
export type { Member, Team } from "../../../protocol/team.js";
export type { Inbox, InboxMember } from "../../../protocol/inbox.js";
export type { Contact, ContactSummary } from "../../../protocol/contact.js";
export type { Tag } from "../../../protocol/tag.js";
export type { QuickReply } from "../../../protocol/quick-reply.js";
export type { Notification } from "../../../protocol/notification.js";
export type { CountsDelta } from "../../../protocol/realtime.js";
export type { Availability, TeamRole } from "../../../protocol/enums.js";

import type { Member, Team } from "../../../protocol/team.js";
import type { Inbox } from "../../../protocol/inbox.js";
import type { Channel, ConversationStatus } from "../../../protocol/conversation.js";

/** GET /api/auth/me, POST /api/auth/signin and the invite acceptance. */
export interface SignedIn {
  member: Member;
  team: Team;
}

/** POST /api/auth/signup: the new owner, team and default inbox (with its widget snippet). */
export interface SignedUp extends SignedIn {
  inbox: Inbox;
}

/** GET /api/auth/setup */
export interface SetupState {
  needsSetup: boolean;
  signupEnabled: boolean;
}

/** GET /contacts/:id/conversations */
export interface ContactConversation {
  id: string;
  number: number;
  inboxId: string;
  channel: Channel;
  status: ConversationStatus;
  subject: string | null;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number | null;
  lastMessageAt: string | null;
}

/** POST /attachments */
export interface Upload {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
}
