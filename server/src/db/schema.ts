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
