import type { Plan } from "../../../../protocol/enums.js";
import { recordEvent, type Tx } from "../../db/database.js";
import { lockName } from "../../db/locks.js";
import type { InboxRow, MemberRow, TeamRow } from "../../db/schema.js";
import { conflict } from "../../errors.js";
import { newId } from "../../lib/ids.js";
import { insertNewInbox } from "../inboxes/create-inbox.js";
import { upsertInboxMember } from "../inboxes/inbox.repo.js";
import { findActiveMemberByEmail, insertMember } from "../members/member.repo.js";
import { presentTeam } from "./team.presenter.js";
import { insertTeam } from "./team.repo.js";

interface CreateTeamInput {
  tx: Tx;
  name: string;
  plan: Plan;
  owner: { email: string; name: string; passwordHash: string };
  now: number;
}

/** Creates a team with its owner and a default inbox the owner administers; used by sign-up and the CLI. */
export async function createTeam({ tx, name, plan, owner, now }: CreateTeamInput): Promise<{ team: TeamRow; owner: MemberRow; inbox: InboxRow }> {
  await lockName(tx, `member-email:${owner.email}`);
  if (await findActiveMemberByEmail(tx, owner.email)) {
    throw conflict("email_taken", "A member with this email address already exists.");
  }
  const team = await insertTeam(tx, { id: newId("team"), name, plan, now });
  const member = await insertMember(tx, {
    id: newId("member"),
    team_id: team.id,
    email: owner.email,
    name: owner.name,
    role: "owner",
    availability: "available",
    password_hash: owner.passwordHash,
    invite_token_hash: null,
    invite_expires_at: null,
    created_at: now,
    updated_at: now,
    removed_at: null,
  });
  const inbox = await insertNewInbox(tx, team.id, { name: "Support", description: "Website chat, email and API conversations" }, now);
  await upsertInboxMember(tx, { team_id: team.id, inbox_id: inbox.id, member_id: member.id, role: "admin", created_at: now });
  recordEvent(tx, { name: "team.created", teamId: team.id, payload: { team: presentTeam(team) } });
  return { team, owner: member, inbox };
}
