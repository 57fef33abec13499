import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { createThreadBody, listThreadsQuery, patchThreadBody, thread, viewCounts } from "../../../../protocol/conversation.js";
import type { AppContext } from "../../context.js";
import { recordEvent, type Tx } from "../../db/database.js";
import { idempotent } from "../../http/idempotency.js";
import { actorOf } from "../../http/request-auth.js";
import { notFound } from "../../errors.js";
import type { Actor } from "../members/actor.js";
import { loadTagNames } from "../tags/tag.repo.js";
import { getVisibleConversation, visibleInboxIds } from "./conversation.policy.js";
import { findThreadRow, markConversationRead } from "./conversation.repo.js";
import { presentThread } from "./conversation.presenter.js";
import { readViewCounts } from "./counts.repo.js";
import { createThread } from "./create-thread.js";
import { listConversations } from "./list-conversations.js";
import { updateConversation } from "./update-conversation.js";

const params = z.object({ id: z.string().max(64) });

/** The conversation as the caller sees it (read state included), presented. */
export async function presentOne(tx: Tx, actor: Actor, conversationId: string) {
  const [row, tagNames] = await Promise.all([findThreadRow(tx, actor.teamId, actor.memberId, conversationId), loadTagNames(tx, actor.teamId)]);
  if (!row) {
    throw notFound("Conversation");
  }
  return presentThread(row, tagNames);
}

/**
 * Conversations, under both of their names: `/threads` (seed 003; `{ threads }` / `{ thread }`) and
 * `/conversations` (`{ conversations }` / `{ conversation }`).
 */
export function conversationsRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock } = context;
  return async (app) => {
    for (const [path, many, one] of [
      ["/threads", "threads", "thread"],
      ["/conversations", "conversations", "conversation"],
    ] as const) {
      const tags = [path === "/threads" ? "Threads" : "Conversations"];

      app.get(`${path}/counts`, { schema: { tags, summary: "How many conversations each view holds for the caller", querystring: z.strictObject({ inboxId: z.string().max(64).optional() }), response: { 200: z.object({ data: viewCounts }) } } }, async (request) => {
        const actor = actorOf(request);
        const visible = await visibleInboxIds(database.db, actor, actor.teamId);
        const inboxId = request.query.inboxId;
        const inboxIds = inboxId === undefined ? visible : visible === undefined || visible.includes(inboxId) ? [inboxId] : [];
        return { data: await readViewCounts(database.db, actor.teamId, inboxIds, actor.memberId) };
      });

      app.get(path, { schema: { tags, summary: "List conversations by view and filters, newest activity first", querystring: listThreadsQuery, response: { 200: z.object({ [many]: z.array(thread), nextCursor: z.string().nullable() }) } } }, async (request) => {
        const actor = actorOf(request);
        const { filter, inboxView, limit, cursor } = request.query;
        const [{ rows, nextCursor }, tagNames] = await Promise.all([
          listConversations({ tx: database.db, actor, teamId: actor.teamId, view: inboxView || "all", filter: filter ?? {}, limit, cursor }),
          loadTagNames(database.db, actor.teamId),
        ]);
        return { [many]: rows.map((row) => presentThread(row, tagNames)), nextCursor };
      });

      app.post(path, { schema: { tags, summary: "Start a conversation from an API channel (the contact writes first)", body: createThreadBody, response: { 201: z.object({ [one]: thread }) } } }, async (request, reply) => {
        const actor = actorOf(request);
        const outcome = await idempotent(context, request, async (tx) => {
          const created = await createThread({ tx, actor, teamId: actor.teamId, body: request.body, now: clock.now() });
          return { status: 201, body: { [one]: await presentOne(tx, actor, created.id) } };
        });
        // The stored body was validated when first sent; a replay answers it unchanged.
        return reply
          .status(201)
          .header("idempotent-replayed", outcome.replayed ? "true" : "false")
          .send(outcome.body as { [one]: z.infer<typeof thread> });
      });

      app.get(`${path}/:id`, { schema: { tags, summary: "Get one conversation", params, response: { 200: z.object({ [one]: thread }) } } }, async (request) => {
        const actor = actorOf(request);
        await getVisibleConversation(database.db, actor, actor.teamId, request.params.id);
        return { [one]: await presentOne(database.db, actor, request.params.id) };
      });

      app.patch(`${path}/:id`, { schema: { tags, summary: "Assign, change status, snooze, transfer, tag or mark as spam", params, body: patchThreadBody, response: { 200: z.object({ [one]: thread }) } } }, async (request) => {
        const actor = actorOf(request);
        const presented = await database.transaction(async (tx) => {
          await updateConversation({ tx, actor, teamId: actor.teamId, conversationId: request.params.id, patch: request.body, now: clock.now() });
          return presentOne(tx, actor, request.params.id);
        });
        return { [one]: presented };
      });

      app.post(`${path}/:id/read`, { schema: { tags, summary: "Mark everything the contact wrote so far as read by the caller", params, response: { 200: z.object({ [one]: thread }) } } }, async (request) => {
        const actor = actorOf(request);
        const presented = await database.transaction(async (tx) => {
          const conversation = await getVisibleConversation(tx, actor, actor.teamId, request.params.id);
          await markConversationRead(tx, actor.teamId, conversation.id, actor.memberId, conversation.incoming_count, clock.now());
          // The contact's read receipts: someone on the team has seen their messages.
          recordEvent(tx, {
            name: "conversation.read_by_member",
            teamId: actor.teamId,
            inboxId: conversation.inbox_id,
            payload: { conversationId: conversation.id, contactId: conversation.contact_id, memberId: actor.memberId, readAt: clock.now() },
          });
          return presentOne(tx, actor, conversation.id);
        });
        return { [one]: presented };
      });
    }
  };
}
