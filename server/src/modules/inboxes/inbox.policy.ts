import type { Tx } from "../../db/database.js";
import type { InboxRow } from "../../db/schema.js";
import { forbidden, notFound } from "../../errors.js";
import { roleAtLeast, type Actor } from "../members/actor.js";
import { findInboxRole, getInbox } from "./inbox.repo.js";

/** What the actor may do with one inbox (SPEC §4): admins everything; inbox admins manage it; inbox agents work in it. */
export interface InboxAccess {
  inbox: InboxRow;
  canManage: boolean;
}

/** The inbox if the actor may see it; members outside it get the same 404 as for an inbox that does not exist. */
export async function getVisibleInbox(tx: Tx, actor: Actor, teamId: string, inboxId: string): Promise<InboxAccess> {
  const inbox = await getInbox(tx, teamId, inboxId);
  if (roleAtLeast(actor.role, "admin")) {
    return { inbox, canManage: true };
  }
  const role = await findInboxRole(tx, inbox.id, actor.memberId);
  if (!role) {
    throw notFound("Inbox");
  }
  return { inbox, canManage: role === "admin" };
}

/** The inbox if the actor may change its settings and members; 403 for agents, 404 for outsiders. */
export async function getManagedInbox(tx: Tx, actor: Actor, teamId: string, inboxId: string): Promise<InboxRow> {
  const access = await getVisibleInbox(tx, actor, teamId, inboxId);
  if (!access.canManage) {
    throw forbidden("Only inbox admins and team admins can change this inbox.");
  }
  return access.inbox;
}
