import type { Generated, Insertable, Selectable, Updateable } from "kysely";

// Conventions shared by both dialects (docs/decisions/0002-one-schema-two-databases.md):
// times are epoch milliseconds (bigint), flags are integers 0/1, structured settings are JSON text.

export interface TeamsTable {
  id: string;
  name: string;
  plan: string;
  event_seq: Generated<number>;
  conversation_seq: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface MembersTable {
  id: string;
  team_id: string;
  email: string;
  name: string;
  role: string;
  availability: string;
  password_hash: string | null;
  invite_token_hash: string | null;
  invite_expires_at: number | null;
  created_at: number;
  updated_at: number;
  removed_at: number | null;
}

export interface SessionsTable {
  token_hash: string;
  team_id: string;
  member_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  user_agent: string | null;
  ip: string | null;
}

export interface ApiKeysTable {
  id: string;
  team_id: string;
  member_id: string;
  name: string;
  role: string;
  prefix: string;
  secret_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface LoginFailuresTable {
  key: string;
  at: number;
}

export interface InboxesTable {
  id: string;
  team_id: string;
  name: string;
  name_key: string;
  description: string | null;
  email: string | null;
  is_default: number;
  color: string;
  icon: string;
  settings: string;
  forward_local: string;
  website_token: string;
  identity_secret: string;
  created_at: number;
  updated_at: number;
}

export interface InboxMembersTable {
  team_id: string;
  inbox_id: string;
  member_id: string;
  role: string;
  created_at: number;
}

export interface RoutingRulesTable {
  id: string;
  team_id: string;
  position: number;
  condition: string;
  inbox_id: string;
  created_at: number;
}

export interface EventsTable {
  team_id: string;
  seq: number;
  name: string;
  payload: string;
  created_at: number;
}

export interface ContactsTable {
  id: string;
  team_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  attributes: string;
  tags: string;
  city: string | null;
  country: string | null;
  device: string | null;
  os: string | null;
  browser: string | null;
  language: string | null;
  timezone: string | null;
  blocked: number;
  external_id: Generated<string | null>;
  first_seen_at: number;
  last_seen_at: number;
  created_at: number;
  updated_at: number;
}

export interface TagsTable {
  id: string;
  team_id: string;
  name: string;
  name_key: string;
  color: string;
  created_at: number;
  updated_at: number;
}

export interface ContactTagsTable {
  team_id: string;
  contact_id: string;
  tag_id: string;
}

export interface ConversationsTable {
  id: string;
  team_id: string;
  number: number;
  inbox_id: string;
  contact_id: string;
  channel: string;
  status: string;
  bucket: string;
  assigned_to_member_id: string | null;
  subject: string | null;
  source_url: string | null;
  handled_by_bot: number;
  spam: number;
  snoozed_until: number | null;
  tags: string;
  incoming_count: number;
  message_count: number;
  last_message_id: string | null;
  last_message_preview: string | null;
  last_message_direction: string | null;
  last_message_at: number | null;
  last_activity_at: number;
  first_response_at: number | null;
  closed_at: number | null;
  closed_by: string | null;
  csat_rating: number | null;
  csat_comment: string | null;
  csat_at: number | null;
  outgoing_count: Generated<number>;
  contact_read_count: Generated<number>;
  contact_read_at: Generated<number | null>;
  created_at: number;
  updated_at: number;
}

export interface ConversationTagsTable {
  team_id: string;
  conversation_id: string;
  tag_id: string;
}

export interface MessagesTable {
  id: string;
  team_id: string;
  conversation_id: string;
  seq: number;
  direction: string;
  author_member_id: string | null;
  author_kind: string;
  content: string;
  attachments: string;
  mentions: string;
  metadata: string | null;
  external_id: string | null;
  created_at: number;
  delivered_at: number | null;
  read_at: number | null;
}

export interface AttachmentsTable {
  id: string;
  team_id: string;
  conversation_id: string | null;
  message_id: string | null;
  uploaded_by_member_id: string | null;
  uploaded_by_contact_id: string | null;
  file_name: string;
  content_type: string;
  size: number;
  storage_key: string;
  width: number | null;
  height: number | null;
  created_at: number;
}

export interface ConversationReadsTable {
  team_id: string;
  conversation_id: string;
  member_id: string;
  read_incoming_count: number;
  read_at: number;
}

export interface ConversationCountsTable {
  team_id: string;
  inbox_id: string;
  bucket: string;
  count: number;
}

export interface MemberConversationCountsTable {
  team_id: string;
  member_id: string;
  inbox_id: string;
  bucket: string;
  count: number;
}

export interface NotificationsTable {
  id: string;
  team_id: string;
  member_id: string;
  kind: string;
  conversation_id: string | null;
  message_id: string | null;
  actor_member_id: string | null;
  created_at: number;
  read_at: number | null;
}

export interface QuickRepliesTable {
  id: string;
  team_id: string;
  shortcut: string;
  title: string;
  content: string;
  created_at: number;
  updated_at: number;
}

export interface IdempotencyKeysTable {
  team_id: string;
  actor_id: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: string;
  created_at: number;
}

export interface JobsTable {
  id: string;
  team_id: string | null;
  kind: string;
  payload: string;
  dedupe_key: string | null;
  run_at: number;
  attempts: number;
  max_attempts: number;
  locked_until: number | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
  failed: number;
}

export interface InstanceSecretsTable {
  name: string;
  value: string;
  created_at: number;
}

export interface VisitorsTable {
  id: string;
  team_id: string;
  inbox_id: string;
  contact_id: string;
  token_hash: string;
  page_url: string | null;
  referrer: string | null;
  user_agent: string | null;
  ip: string | null;
  created_at: number;
  last_seen_at: number;
}

export interface PresenceTable {
  member_id: string;
  team_id: string;
  process_id: string;
  expires_at: number;
}

export interface InboxAssignmentStateTable {
  inbox_id: string;
  team_id: string;
  last_member_id: string | null;
  updated_at: number;
}

export interface MemberRoutingRulesTable {
  id: string;
  team_id: string;
  position: number;
  member_id: string;
  keywords: string;
  created_at: number;
}

export interface DB {
  teams: TeamsTable;
  members: MembersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  login_failures: LoginFailuresTable;
  inboxes: InboxesTable;
  inbox_members: InboxMembersTable;
  routing_rules: RoutingRulesTable;
  events: EventsTable;
  contacts: ContactsTable;
  tags: TagsTable;
  contact_tags: ContactTagsTable;
  conversations: ConversationsTable;
  conversation_tags: ConversationTagsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  conversation_reads: ConversationReadsTable;
  conversation_counts: ConversationCountsTable;
  member_conversation_counts: MemberConversationCountsTable;
  notifications: NotificationsTable;
  quick_replies: QuickRepliesTable;
  idempotency_keys: IdempotencyKeysTable;
  jobs: JobsTable;
  visitors: VisitorsTable;
  presence: PresenceTable;
  inbox_assignment_state: InboxAssignmentStateTable;
  member_routing_rules: MemberRoutingRulesTable;
  instance_secrets: InstanceSecretsTable;
}

export type TeamRow = Selectable<TeamsTable>;
export type MemberRow = Selectable<MembersTable>;
export type NewMember = Insertable<MembersTable>;
export type MemberUpdate = Updateable<MembersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type InboxRow = Selectable<InboxesTable>;
export type InboxMemberRow = Selectable<InboxMembersTable>;
export type RoutingRuleRow = Selectable<RoutingRulesTable>;
export type EventRow = Selectable<EventsTable>;
export type ContactRow = Selectable<ContactsTable>;
export type TagRow = Selectable<TagsTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type AttachmentRow = Selectable<AttachmentsTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type QuickReplyRow = Selectable<QuickRepliesTable>;
export type JobRow = Selectable<JobsTable>;
export type VisitorRow = Selectable<VisitorsTable>;
export type NewContact = Insertable<ContactsTable>;
export type NewConversation = Insertable<ConversationsTable>;
