import type { CreateInboxBody } from "../../../../protocol/inbox.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { InboxRow } from "../../db/schema.js";
import { newSecret } from "../../lib/crypto.js";
import { newId, newLowercaseToken, randomString } from "../../lib/ids.js";
import { requireRole, type Actor } from "../members/actor.js";
import { clearDefaultInbox, countInboxes, insertInbox } from "./inbox.repo.js";
import { assertFallbackMember, assertInboxFieldsFree, nameKey } from "./inbox-rules.js";
import { defaultInboxSettings, mergeInboxSettings } from "./inbox-settings.js";

/** Creates an inbox without checking who asks; team creation uses it for the first inbox. */
export async function insertNewInbox(tx: Tx, teamId: string, body: CreateInboxBody, now: number): Promise<InboxRow> {
  const key = nameKey(body.name);
  await assertInboxFieldsFree(tx, teamId, { nameKey: key, email: body.email ?? null });
  const settings = mergeInboxSettings(defaultInboxSettings(), body);
  await assertFallbackMember(tx, teamId, settings.assignmentRules.fallbackUserId);
  // The first inbox is the default; a later one takes the flag only when asked to.
  const first = (await countInboxes(tx, teamId)) === 0;
  if (!first && body.isDefault === true) {
    await clearDefaultInbox(tx, teamId, now);
  }
  const inbox = await insertInbox(tx, {
    id: newId("inbox"),
    team_id: teamId,
    name: body.name,
    name_key: key,
    description: body.description || null,
    email: body.email ?? null,
    is_default: first || body.isDefault === true ? 1 : 0,
    color: body.color ?? "#3B82F6",
    icon: body.icon ?? "inbox",
    settings: JSON.stringify(settings),
    forward_local: `inbox-${newLowercaseToken(10)}`,
    website_token: randomString(24),
    identity_secret: newSecret(32),
    created_at: now,
    updated_at: now,
  });
  recordEvent(tx, { name: "inbox.created", teamId, inboxId: inbox.id, payload: { inboxId: inbox.id, name: inbox.name } });
  return inbox;
}

/** Creates an inbox (owners and admins). */
export async function createInbox({ tx, actor, teamId, body, now }: { tx: Tx; actor: Actor; teamId: string; body: CreateInboxBody; now: number }): Promise<InboxRow> {
  requireRole(actor, "admin", "Only owners and admins can create inboxes.");
  return insertNewInbox(tx, teamId, body, now);
}
