import type { Tx } from "../../db/database.js";
import type { AttachmentRow } from "../../db/schema.js";
import { invalidField, notFound } from "../../errors.js";

/** Inserts an uploaded file's row. */
export function insertAttachment(tx: Tx, row: AttachmentRow): Promise<AttachmentRow> {
  return tx.insertInto("attachments").values(row).returningAll().executeTakeFirstOrThrow();
}

/** An attachment of the team; 404 otherwise. */
export async function getAttachment(tx: Tx, teamId: string, attachmentId: string): Promise<AttachmentRow> {
  const row = await tx.selectFrom("attachments").selectAll().where("team_id", "=", teamId).where("id", "=", attachmentId).executeTakeFirst();
  if (!row) {
    throw notFound("Attachment");
  }
  return row;
}

/** The team's attachments with these ids. */
export function findAttachments(tx: Tx, teamId: string, ids: string[]): Promise<AttachmentRow[]> {
  if (ids.length === 0) {
    return Promise.resolve([]);
  }
  return tx.selectFrom("attachments").selectAll().where("team_id", "=", teamId).where("id", "in", ids).execute();
}

/**
 * Ties uploads to the conversation and message that carry them. Only uploads not yet in a message are
 * taken: when two messages race for one upload, the second finds it gone and its transaction fails.
 */
export async function linkAttachments(tx: Tx, teamId: string, ids: string[], conversationId: string, messageId: string): Promise<void> {
  if (ids.length > 0) {
    const result = await tx
      .updateTable("attachments")
      .set({ conversation_id: conversationId, message_id: messageId })
      .where("team_id", "=", teamId)
      .where("id", "in", ids)
      .where("message_id", "is", null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== new Set(ids).size) {
      throw invalidField("attachmentIds", "an upload is already part of a message");
    }
  }
}

/**
 * An attachment by id alone, for a download link whose signature already names it: the signature, not a
 * member's team, is what grants access there.
 */
export function findAttachmentForSignedLink(tx: Tx, attachmentId: string): Promise<AttachmentRow | undefined> {
  return tx.selectFrom("attachments").selectAll().where("id", "=", attachmentId).executeTakeFirst();
}
