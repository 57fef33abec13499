import type { Tx } from "../../db/database.js";
import { invalidField } from "../../errors.js";
import type { StoredAttachment } from "../messages/message.presenter.js";
import { findAttachments } from "./attachment.repo.js";

/**
 * Checks that uploads can go into a message of this conversation: each must be the team's and not yet part
 * of a message. Returns what the message stores of them, in the order given.
 */
export async function checkUploads(tx: Tx, teamId: string, ids: string[]): Promise<StoredAttachment[]> {
  const unique = [...new Set(ids)];
  const rows = await findAttachments(tx, teamId, unique);
  return unique.map((id, index) => {
    const row = rows.find((candidate) => candidate.id === id);
    if (!row) {
      throw invalidField(`attachmentIds.${index}`, "no upload of this team has this id");
    }
    if (row.message_id !== null) {
      throw invalidField(`attachmentIds.${index}`, "this upload is already part of a message");
    }
    return { id: row.id, fileName: row.file_name, contentType: row.content_type, size: row.size, width: row.width, height: row.height };
  });
}
