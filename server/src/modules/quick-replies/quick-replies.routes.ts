import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { createQuickReplyBody, quickReply, quickReplyQuery, updateQuickReplyBody } from "../../../../protocol/quick-reply.js";
import type { AppContext } from "../../context.js";
import { actorOf } from "../../http/request-auth.js";
import { createQuickReply } from "./create-quick-reply.js";
import { deleteQuickReply } from "./delete-quick-reply.js";
import { presentQuickReply } from "./quick-reply.presenter.js";
import { getQuickReply } from "./quick-reply.repo.js";
import { searchQuickReplies } from "./search-quick-replies.js";
import { updateQuickReply } from "./update-quick-reply.js";

const params = z.object({ quickReplyId: z.string().max(64) });
const one = z.object({ data: quickReply });

/** Team-wide saved answers (SPEC §1), in the `{ data }` envelope; every member may use and manage them. */
export function quickRepliesRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock } = context;
  return async (app) => {
    app.get(
      "/quick-replies",
      { schema: { tags: ["Quick replies"], summary: "List quick replies, or search them for the composer's / menu", querystring: quickReplyQuery, response: { 200: z.object({ data: z.array(quickReply) }) } } },
      async (request) => {
        const actor = actorOf(request);
        const rows = await searchQuickReplies({ tx: database.db, teamId: actor.teamId, q: request.query.q, limit: request.query.limit });
        return { data: rows.map(presentQuickReply) };
      },
    );

    app.get("/quick-replies/:quickReplyId", { schema: { tags: ["Quick replies"], summary: "Get a quick reply", params, response: { 200: one } } }, async (request) => {
      const actor = actorOf(request);
      return { data: presentQuickReply(await getQuickReply(database.db, actor.teamId, request.params.quickReplyId)) };
    });

    app.post("/quick-replies", { schema: { tags: ["Quick replies"], summary: "Create a quick reply", body: createQuickReplyBody, response: { 201: one } } }, async (request, reply) => {
      const actor = actorOf(request);
      const row = await database.transaction((tx) => createQuickReply({ tx, actor, teamId: actor.teamId, body: request.body, now: clock.now() }));
      return reply.status(201).send({ data: presentQuickReply(row) });
    });

    app.patch("/quick-replies/:quickReplyId", { schema: { tags: ["Quick replies"], summary: "Change a quick reply", params, body: updateQuickReplyBody, response: { 200: one } } }, async (request) => {
      const actor = actorOf(request);
      const row = await database.transaction((tx) => updateQuickReply({ tx, actor, teamId: actor.teamId, quickReplyId: request.params.quickReplyId, body: request.body, now: clock.now() }));
      return { data: presentQuickReply(row) };
    });

    app.delete("/quick-replies/:quickReplyId", { schema: { tags: ["Quick replies"], summary: "Delete a quick reply", params } }, async (request, reply) => {
      const actor = actorOf(request);
      await database.transaction((tx) => deleteQuickReply({ tx, actor, teamId: actor.teamId, quickReplyId: request.params.quickReplyId }));
      return reply.status(204).send();
    });
  };
}
