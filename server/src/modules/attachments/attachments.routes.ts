import fastifyMultipart from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.js";
import { AppError, invalidField } from "../../errors.js";
import { actorOf } from "../../http/request-auth.js";
import { iso } from "../../lib/time.js";
import { getReadableAttachment } from "./attachment.policy.js";
import { presentUpload } from "./attachment.presenter.js";
import { attachmentParams, signedUrl, upload, uploadForm } from "./attachments.schema.js";
import { getInstanceSecret } from "./instance-secrets.js";
import { sendAttachment } from "./send-attachment.js";
import { SIGNING_SECRET_NAME, signedAttachmentPath } from "./signed-url.js";
import { attachmentStorage } from "./storage-factory.js";
import { uploadAttachment } from "./upload-attachment.js";

const tags = ["Attachments"];

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

/** Uploads (any member), downloads (who may see the conversation) and short-lived links for them. */
export function attachmentsRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock, config } = context;
  const storage = attachmentStorage(config);
  return async (app) => {
    // Registered here, so only this plugin's routes accept multipart bodies.
    await app.register(fastifyMultipart);

    app.post(
      "/attachments",
      {
        schema: {
          tags,
          summary: "Upload a file (multipart/form-data, field `file`); send its id in a message's attachmentIds",
          description: `The type is decided from the file's bytes, not from what the client says. Files over ATTACHMENT_MAX_BYTES (${config.attachmentMaxBytes} bytes here) are refused with 413.`,
          consumes: ["multipart/form-data"],
          body: uploadForm,
          response: { 201: z.object({ data: upload }) },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        try {
          const part = await filePart(request, config.attachmentMaxBytes);
          const row = await uploadAttachment({ database, storage, clock, actor, teamId: actor.teamId, fileName: part.filename, content: part.file, maxBytes: config.attachmentMaxBytes });
          return reply.status(201).send({ data: presentUpload(row) });
        } catch (error) {
          if (!request.raw.complete) {
            // Refused before the body was all read (too large, say): the rest is read and thrown away, and
            // the connection closes after the answer instead of waiting for bytes nobody will read.
            void reply.header("connection", "close");
            request.raw.resume();
          }
          throw error;
        }
      },
    );

    app.get("/attachments/:id", { schema: { tags, summary: "Download an attachment", params: attachmentParams } }, async (request, reply) => {
      const actor = actorOf(request);
      const attachment = await getReadableAttachment(database.db, actor, actor.teamId, request.params.id);
      return sendAttachment(reply, storage, attachment, request.headers.range, "private, max-age=3600");
    });

    app.get(
      "/attachments/:id/signed-url",
      { schema: { tags, summary: "A link that downloads the attachment without credentials for five minutes (for <img> tags and email)", params: attachmentParams, response: { 200: z.object({ data: signedUrl }) } } },
      async (request) => {
        const actor = actorOf(request);
        const attachment = await getReadableAttachment(database.db, actor, actor.teamId, request.params.id);
        const secret = await getInstanceSecret(database.db, SIGNING_SECRET_NAME, clock.now());
        const signed = signedAttachmentPath(secret, attachment.id, clock.now());
        return { data: { url: `${config.publicUrl}${signed.path}`, expiresAt: iso(signed.expiresAt) } };
      },
    );
  };
}
