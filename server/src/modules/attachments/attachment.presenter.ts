import type { AttachmentRow } from "../../db/schema.js";
import { iso } from "../../lib/time.js";
import { attachmentUrl } from "../messages/message.presenter.js";
import type { Upload } from "./attachments.schema.js";

/** An uploaded file as the API shows it. */
export function presentUpload(row: AttachmentRow): Upload {
  return {
    id: row.id,
    fileName: row.file_name,
    contentType: row.content_type,
    size: row.size,
    width: row.width,
    height: row.height,
    url: attachmentUrl(row.id),
    createdAt: iso(row.created_at),
  };
}
