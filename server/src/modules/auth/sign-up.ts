import type { Plan } from "../../../../protocol/enums.js";
import type { Database } from "../../db/database.js";
import { lockName } from "../../db/locks.js";
import type { InboxRow, MemberRow, TeamRow } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { hashPassword } from "../../lib/passwords.js";
import { createTeam } from "../teams/create-team.js";
import { anyTeamExists } from "../teams/team.repo.js";
import { createSession, type SessionContext } from "./create-session.js";

interface SignUpInput extends SessionContext {
  teamName: string;
  name: string;
  email: string;
  password: string;
  plan?: Plan | undefined;
  signupEnabled: boolean;
}

/** First run (or open sign-up): creates a team, its owner and default inbox, and signs the owner in. */
export async function signUp(database: Database, input: SignUpInput): Promise<{ team: TeamRow; owner: MemberRow; inbox: InboxRow; token: string }> {
  if (!input.signupEnabled && (await anyTeamExists(database.db))) {
    throw signupClosed();
  }
  const passwordHash = await hashPassword(input.password);
  return database.transaction(async (tx) => {
    await lockName(tx, "first-team");
    if (!input.signupEnabled && (await anyTeamExists(tx))) {
      throw signupClosed();
    }
    const created = await createTeam({ tx, name: input.teamName, plan: input.plan ?? "starter", owner: { email: input.email, name: input.name, passwordHash }, now: input.now });
    const token = await createSession(tx, created.owner, input);
    return { ...created, token };
  });
}

function signupClosed(): AppError {
  return new AppError(403, "signup_disabled", "Sign-up is closed: this Parley already has a team. Ask an admin for an invitation.");
}
