import fastifyMultipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../../context.js";
import type { AttachmentRow } from "../../db/schema.js";
import { AppError, invalidField } from "../../errors.js";
import type { AttachmentStorage } from "./storage.js";
import { uploadAttachment, type Uploader } from "./upload-attachment.js";

/** Lets one plugin's routes (and only them) take multipart bodies. */
export async function acceptMultipart(app: FastifyInstance): Promise<void> {
  await app.register(fastifyMultipart);
}

/** The one file part of an upload request, with its stream still unread. */
async function filePart(request: FastifyRequest, maxBytes: number) {
  if (!request.isMultipart()) {
    throw new AppError(415, "unsupported_media_type", "Send the file as multipart/form-data in a field named file.");
  }
  let part;
  try {
    // One byte over the limit gets through the parser, so the upload's own count is what refuses it.
    part = await request.file({ limits: { fileSize: maxBytes + 1, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 21, headerPairs: 100 }, throwFileSizeLimit: false });
  } catch (error) {
    if (error instanceof AppError || (error as { statusCode?: unknown }).statusCode !== undefined) {
      throw error;
    }
    throw new AppError(400, "bad_request", `The multipart body could not be read: ${(error as Error).message}`);
  }
  if (!part) {
    throw invalidField("file", "attach a file in the multipart field named file");
  }
  if (part.fieldname !== "file") {
    part.file.resume();
    throw invalidField("file", `send the file in the field named file, not ${JSON.stringify(part.fieldname)}`);
  }
  return part;
}

/**
 * Takes the file of a multipart upload request (field `file`) into storage for a member or a visitor.
 * A refusal before the whole body arrived (too large, say) reads and drops the rest and closes the
 * connection after answering, instead of waiting for bytes nobody will read.
 */
export async function receiveUpload(context: AppContext, storage: AttachmentStorage, request: FastifyRequest, reply: FastifyReply, who: { teamId: string; uploader: Uploader }): Promise<AttachmentRow> {
  const { database, clock, config } = context;
  try {
    const part = await filePart(request, config.attachmentMaxBytes);
    return await uploadAttachment({ database, storage, clock, uploader: who.uploader, teamId: who.teamId, fileName: part.filename, content: part.file, maxBytes: config.attachmentMaxBytes });
  } catch (error) {
    if (!request.raw.complete) {
      void reply.header("connection", "close");
      request.raw.resume();
    }
    throw error;
  }
}
