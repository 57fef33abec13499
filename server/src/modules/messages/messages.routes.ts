import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { createMessageBody, listMessagesQuery, message } from "../../../../protocol/conversation.js";
import type { AppContext } from "../../context.js";
import { idempotent } from "../../http/idempotency.js";
import { actorOf } from "../../http/request-auth.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { getVisibleConversation } from "../conversations/conversation.policy.js";
import { createMessage } from "./create-message.js";
import { newMessageKeys } from "./message-keys.js";
import { listMessageRows } from "./message.repo.js";
import { presentMessage } from "./message.presenter.js";

const params = z.object({ id: z.string().max(64) });

/** A conversation's messages: read a window (newest first by page, oldest → newest within it) and post one. */
export function messagesRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock } = context;
  return async (app) => {
    for (const path of ["/threads/:id/messages", "/conversations/:id/messages"]) {
      const tags = [path.startsWith("/threads") ? "Threads" : "Conversations"];

      app.get(
        path,
        {
          schema: {
            tags,
            summary: "Messages of a conversation: the newest page, oldest first; nextCursor pages back in time",
            params,
            querystring: listMessagesQuery,
            response: { 200: z.object({ messages: z.array(message), nextCursor: z.string().nullable() }) },
          },
        },
        async (request) => {
          const actor = actorOf(request);
          const conversation = await getVisibleConversation(database.db, actor, actor.teamId, request.params.id);
          const { limit, cursor } = request.query;
          const rows = await listMessageRows(database.db, actor.teamId, conversation.id, limit + 1, decodeCursor(cursor)?.at);
          const page = rows.slice(0, limit);
          const oldest = page.at(-1);
          return { messages: page.reverse().map((row) => presentMessage(row, conversation.contact_read_at)), nextCursor: rows.length > limit && oldest ? encodeCursor({ at: oldest.seq, id: oldest.id }) : null };
        },
      );

      app.post(path, { schema: { tags, summary: "Reply, write a private note, or record what the contact wrote", params, body: createMessageBody, response: { 201: z.object({ message }) } } }, async (request, reply) => {
        const actor = actorOf(request);
        const outcome = await idempotent(
          context,
          request,
          async (tx) => {
            const { message: row } = await createMessage({ tx, actor, teamId: actor.teamId, conversationId: request.params.id, body: request.body, now: clock.now() });
            return { status: 201, body: { message: presentMessage(row) } };
          },
          { keys: newMessageKeys(actor.teamId, request.params.id, request.body.attachmentIds) },
        );
        return reply
          .status(201)
          .header("idempotent-replayed", outcome.replayed ? "true" : "false")
          .send(outcome.body as { message: z.infer<typeof message> });
      });
    }
  };
}
