import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../../context.js";
import { notFound } from "../../errors.js";
import { findAttachmentForSignedLink } from "./attachment.repo.js";
import { attachmentParams } from "./attachments.schema.js";
import { getInstanceSecret } from "./instance-secrets.js";
import { sendAttachment } from "./send-attachment.js";
import { SIGNING_SECRET_NAME, verifySignedAttachment } from "./signed-url.js";
import { attachmentStorage } from "./storage-factory.js";

/**
 * GET /api/attachments/:id?expires=…&signature=…: the links made by GET /api/support/attachments/:id/signed-url.
 * No session or key: the signature is the permission, so `<img>` tags and email clients can load them.
 */
export function signedAttachmentsRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock, config } = context;
  const storage = attachmentStorage(config);
  return async (app) => {
    app.get(
      "/api/attachments/:id",
      {
        schema: {
          tags: ["Attachments"],
          summary: "Download an attachment through a signed link (expires and signature query parameters)",
          params: attachmentParams,
          security: [],
        },
      },
      async (request, reply) => {
        const now = clock.now();
        const secret = await getInstanceSecret(database.db, SIGNING_SECRET_NAME, now);
        verifySignedAttachment(secret, request.params.id, request.query as Record<string, unknown>, now);
        const attachment = await findAttachmentForSignedLink(database.db, request.params.id);
        if (!attachment) {
          throw notFound("Attachment");
        }
        const expires = Number((request.query as { expires: string }).expires) * 1000;
        // The link is the permission, so it may be embedded by other sites (a webmail's <img>).
        void reply.header("cross-origin-resource-policy", "cross-origin");
        return sendAttachment(reply, storage, attachment, request.headers.range, `private, max-age=${Math.max(0, Math.floor((expires - now) / 1000))}`);
      },
    );
  };
}
