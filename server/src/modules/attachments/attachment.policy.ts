import type { Tx } from "../../db/database.js";
import type { AttachmentRow } from "../../db/schema.js";
import { AppError, notFound } from "../../errors.js";
import { getVisibleConversation } from "../conversations/conversation.policy.js";
import { roleAtLeast, type Actor } from "../members/actor.js";
import { getAttachment } from "./attachment.repo.js";

/**
 * The attachment if the actor may read it; the same 404 as a missing one otherwise. One in a message is
 * readable by whoever sees its conversation; an upload not yet sent by owners, admins and its uploader.
 */
export async function getReadableAttachment(tx: Tx, actor: Actor, teamId: string, attachmentId: string): Promise<AttachmentRow> {
  const attachment = await getAttachment(tx, teamId, attachmentId);
  if (attachment.conversation_id !== null) {
    try {
      await getVisibleConversation(tx, actor, teamId, attachment.conversation_id);
    } catch (error) {
      if (error instanceof AppError && error.status === 404) {
        throw notFound("Attachment");
      }
      throw error;
    }
    return attachment;
  }
  if (roleAtLeast(actor.role, "admin") || attachment.uploaded_by_member_id === actor.memberId) {
    return attachment;
  }
  throw notFound("Attachment");
}
