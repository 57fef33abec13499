import type { Plan, TeamRole } from "../../protocol/enums.js";
import type { InboxRow, MemberRow, TeamRow } from "../src/db/schema.js";
import { hashPassword } from "../src/lib/passwords.js";
import { newId, randomString } from "../src/lib/ids.js";
import { createApiKey } from "../src/modules/api-keys/create-api-key.js";
import { insertNewInbox } from "../src/modules/inboxes/create-inbox.js";
import { upsertInboxMember } from "../src/modules/inboxes/inbox.repo.js";
import type { Actor } from "../src/modules/members/actor.js";
import { insertMember } from "../src/modules/members/member.repo.js";
import { createTeam } from "../src/modules/teams/create-team.js";
import type { TestContext } from "./test-context.js";

/** The password every factory-made member has. */
export const TEST_PASSWORD = "correct horse battery staple";

let passwordHash: Promise<string> | undefined;
const testPasswordHash = () => (passwordHash ??= hashPassword(TEST_PASSWORD));

export interface BuiltTeam {
  team: TeamRow;
  owner: MemberRow;
  inbox: InboxRow;
  /** An admin API key of the owner. */
  apiKey: string;
}

/** A team with its owner, default inbox and an API key, made through the same use case as sign-up. */
export async function buildTeam(ctx: TestContext, overrides: { name?: string; plan?: Plan; ownerEmail?: string } = {}): Promise<BuiltTeam> {
  const hash = await testPasswordHash();
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const made = await createTeam({
      tx,
      name: overrides.name ?? "Acme Corp",
      plan: overrides.plan ?? "enterprise",
      owner: { email: overrides.ownerEmail ?? `owner-${randomString(8).toLowerCase()}@acme.test`, name: "Jane Smith", passwordHash: hash },
      now,
    });
    const actor: Actor = { memberId: made.owner.id, name: made.owner.name, teamId: made.team.id, role: "owner", via: "api_key" };
    const key = await createApiKey({ tx, actor, teamId: made.team.id, name: "test", role: "admin", now });
    return { ...made, apiKey: key.secret };
  });
}

export interface BuiltMember {
  member: MemberRow;
  /** An API key with the member's own role. */
  apiKey: string;
}

/** A member with a password (TEST_PASSWORD) and an API key of their own role. */
export async function buildMember(ctx: TestContext, teamId: string, options: { role?: TeamRole; name?: string; email?: string; inboxes?: { inboxId: string; role?: "agent" | "admin" }[] } = {}): Promise<BuiltMember> {
  const hash = await testPasswordHash();
  const now = ctx.clock.now();
  const role = options.role ?? "member";
  return ctx.database.transaction(async (tx) => {
    const member = await insertMember(tx, {
      id: newId("member"),
      team_id: teamId,
      email: options.email ?? `${randomString(10).toLowerCase()}@acme.test`,
      name: options.name ?? "Alice Johnson",
      role,
      availability: "available",
      password_hash: hash,
      invite_token_hash: null,
      invite_expires_at: null,
      created_at: now,
      updated_at: now,
      removed_at: null,
    });
    for (const { inboxId, role: inboxRole } of options.inboxes ?? []) {
      await upsertInboxMember(tx, { team_id: teamId, inbox_id: inboxId, member_id: member.id, role: inboxRole ?? "agent", created_at: now });
    }
    const actor: Actor = { memberId: member.id, name: member.name, teamId, role, via: "api_key" };
    // createApiKey insists on admin; the factory makes keys for every role, so it acts with the owner's rights here.
    const key = await createApiKey({ tx, actor: { ...actor, role: "owner" }, teamId, name: "test", role, now });
    return { member, apiKey: key.secret };
  });
}

/** An extra inbox made directly, without going through the API. */
export async function buildInbox(ctx: TestContext, teamId: string, name: string): Promise<InboxRow> {
  return ctx.database.transaction((tx) => insertNewInbox(tx, teamId, { name }, ctx.clock.now()));
}
