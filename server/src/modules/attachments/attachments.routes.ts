import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.js";
import { actorOf } from "../../http/request-auth.js";
import { iso } from "../../lib/time.js";
import { getReadableAttachment } from "./attachment.policy.js";
import { presentUpload } from "./attachment.presenter.js";
import { attachmentParams, signedUrl, upload, uploadForm } from "./attachments.schema.js";
import { getInstanceSecret } from "./instance-secrets.js";
import { sendAttachment } from "./send-attachment.js";
import { SIGNING_SECRET_NAME, signedAttachmentPath } from "./signed-url.js";
import { attachmentStorage } from "./storage-factory.js";
import { acceptMultipart, receiveUpload } from "./multipart.js";

const tags = ["Attachments"];

/** Uploads (any member), downloads (who may see the conversation) and short-lived links for them. */
export function attachmentsRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock, config } = context;
  const storage = attachmentStorage(config);
  return async (app) => {
    await acceptMultipart(app);

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
        const row = await receiveUpload(context, storage, request, reply, { teamId: actor.teamId, uploader: { memberId: actor.memberId } });
        return reply.status(201).send({ data: presentUpload(row) });
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
