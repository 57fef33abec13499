import { pipeline } from "node:stream";
import type { Readable } from "node:stream";
import type { Database } from "../../db/database.js";
import type { AttachmentRow } from "../../db/schema.js";
import { AppError, invalidField } from "../../errors.js";
import type { Clock } from "../../lib/clock.js";
import { newId } from "../../lib/ids.js";
import { insertAttachment } from "./attachment.repo.js";
import { detectContentType, imageDimensions } from "./content-type.js";
import { sanitiseFileName } from "./file-name.js";
import { newStorageKey, type AttachmentStorage } from "./storage.js";
import { UploadInspector } from "./upload-inspector.js";

/** Who uploads: a member, or a contact through the website widget. */
export type Uploader = { memberId: string; contactId?: undefined } | { contactId: string; memberId?: undefined };

interface UploadAttachmentInput {
  database: Database;
  storage: AttachmentStorage;
  clock: Clock;
  uploader: Uploader;
  teamId: string;
  /** The name the client gave; only shown, after sanitiseFileName(). */
  fileName: string | undefined;
  content: Readable;
  maxBytes: number;
}

/**
 * An upload (a member's, or a visitor's through the widget). Streams the file into storage under a generated key while counting it (over
 * maxBytes → 413, nothing kept), decides its type from its bytes, reads image dimensions, then records the
 * upload for the team. It becomes part of a message later, through `attachmentIds`.
 *
 * Takes the database rather than a transaction: the bytes arrive at the client's pace, and no transaction
 * (on SQLite: the write lock) may stay open that long. The row is written in a short one at the end.
 */
export async function uploadAttachment({ database, storage, clock, uploader, teamId, fileName, content, maxBytes }: UploadAttachmentInput): Promise<AttachmentRow> {
  const key = newStorageKey(teamId);
  const inspector = new UploadInspector(maxBytes);
  // Whichever side fails first is where the failure came from: the client's body (cut off, malformed) is
  // the client's problem, a storage failure is ours. The body may have failed before we got to read it.
  let failedFirst: "client" | "server" | undefined = content.errored ? "client" : undefined;
  content.once("error", () => (failedFirst ??= "client"));
  inspector.once("error", () => (failedFirst ??= "server"));
  try {
    await storage.put(key, pipeline(content, inspector, () => undefined));
  } catch (error) {
    if (error instanceof AppError || failedFirst !== "client") {
      throw error;
    }
    throw new AppError(400, "upload_interrupted", "The upload ended before the whole file arrived.");
  }

  try {
    if (inspector.size === 0) {
      throw invalidField("file", "the file is empty");
    }
    const head = inspector.head;
    const contentType = await detectContentType(head, inspector.isText);
    const dimensions = contentType.startsWith("image/") ? imageDimensions(head) : undefined;
    const now = clock.now();
    return await database.transaction((tx) =>
      insertAttachment(tx, {
        id: newId("att"),
        team_id: teamId,
        conversation_id: null,
        message_id: null,
        uploaded_by_member_id: uploader.memberId ?? null,
        uploaded_by_contact_id: uploader.contactId ?? null,
        file_name: sanitiseFileName(fileName),
        content_type: contentType,
        size: inspector.size,
        storage_key: key,
        width: dimensions?.width ?? null,
        height: dimensions?.height ?? null,
        created_at: now,
      }),
    );
  } catch (error) {
    await storage.delete(key);
    throw error;
  }
}
