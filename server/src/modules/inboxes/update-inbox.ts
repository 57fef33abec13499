import type { UpdateInboxBody } from "../../../../protocol/inbox.js";
import { recordEvent, type Tx } from "../../db/database.js";
import type { InboxRow } from "../../db/schema.js";
import { conflict } from "../../errors.js";
import { newSecret } from "../../lib/crypto.js";
import { requireRole, type Actor } from "../members/actor.js";
import { clearDefaultInbox, updateInboxRow } from "./inbox.repo.js";
import { getManagedInbox } from "./inbox.policy.js";
import { assertFallbackMember, assertInboxFieldsFree, nameKey } from "./inbox-rules.js";
import { mergeInboxSettings, parseInboxSettings } from "./inbox-settings.js";

interface UpdateInboxInput {
  tx: Tx;
  actor: Actor;
  teamId: string;
  inboxId: string;
  body: UpdateInboxBody;
  now: number;
}

/** Changes any subset of an inbox's settings (inbox admins and team admins); nothing changes if one value is refused. */
export async function updateInbox({ tx, actor, teamId, inboxId, body, now }: UpdateInboxInput): Promise<InboxRow> {
  const current = await getManagedInbox(tx, actor, teamId, inboxId);
  const key = body.name !== undefined ? nameKey(body.name) : undefined;
  await assertInboxFieldsFree(tx, teamId, { ...(key !== undefined ? { nameKey: key } : {}), email: body.email ?? null }, inboxId);
  const settings = mergeInboxSettings(parseInboxSettings(current.settings), body);
  if (body.assignmentRules?.fallbackUserId !== undefined) {
    await assertFallbackMember(tx, teamId, settings.assignmentRules.fallbackUserId);
  }
  if (body.isDefault !== undefined && body.isDefault !== (current.is_default === 1)) {
    // Which inbox is the default is a team-wide choice, not one inbox's setting.
    requireRole(actor, "admin", "Only owners and admins can change which inbox is the default.");
  }
  if (body.isDefault === false && current.is_default === 1) {
    throw conflict("default_inbox_required", "A team always has a default inbox; make another inbox the default instead.");
  }
  if (body.isDefault === true && current.is_default === 0) {
    await clearDefaultInbox(tx, teamId, now);
  }
  const inbox = await updateInboxRow(tx, teamId, inboxId, {
    ...(body.name !== undefined && key !== undefined ? { name: body.name, name_key: key } : {}),
    ...(body.description !== undefined ? { description: body.description || null } : {}),
    ...(body.email !== undefined ? { email: body.email } : {}),
    ...(body.color !== undefined ? { color: body.color } : {}),
    ...(body.icon !== undefined ? { icon: body.icon } : {}),
    ...(body.isDefault === true ? { is_default: 1 } : {}),
    settings: JSON.stringify(settings),
    updated_at: now,
  });
  recordEvent(tx, { name: "inbox.updated", teamId, inboxId, payload: { inboxId, name: inbox.name } });
  return inbox;
}

/**
 * Replaces the inbox's identity secret (inbox admins and team admins), for when it has leaked. Hashes made
 * with the old secret stop verifying at once, so the site must sign with the new one.
 */
export async function rotateIdentitySecret({ tx, actor, teamId, inboxId, now }: Omit<UpdateInboxInput, "body">): Promise<InboxRow> {
  await getManagedInbox(tx, actor, teamId, inboxId);
  const inbox = await updateInboxRow(tx, teamId, inboxId, { identity_secret: newSecret(32), updated_at: now });
  recordEvent(tx, { name: "inbox.updated", teamId, inboxId, payload: { inboxId, name: inbox.name, identitySecretRotated: true } });
  return inbox;
}
