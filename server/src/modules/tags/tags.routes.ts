import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { createTagBody, tag, updateTagBody } from "../../../../protocol/tag.js";
import type { AppContext } from "../../context.js";
import { actorOf } from "../../http/request-auth.js";
import { createTag } from "./create-tag.js";
import { deleteTag } from "./delete-tag.js";
import { presentTag } from "./tag.presenter.js";
import { listTags } from "./tag.repo.js";
import { updateTag } from "./update-tag.js";

const params = z.object({ tagId: z.string().max(64) });
const one = z.object({ data: tag });

/** The team's tags (SPEC §1), in the `{ data }` envelope: members list and create them, admins rename and delete. */
export function tagsRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock } = context;
  return async (app) => {
    app.get("/tags", { schema: { tags: ["Tags"], summary: "List the team's tags by name", response: { 200: z.object({ data: z.array(tag) }) } } }, async (request) => {
      const actor = actorOf(request);
      return { data: (await listTags(database.db, actor.teamId)).map(presentTag) };
    });

    app.post("/tags", { schema: { tags: ["Tags"], summary: "Create a tag", body: createTagBody, response: { 201: one } } }, async (request, reply) => {
      const actor = actorOf(request);
      const row = await database.transaction((tx) => createTag({ tx, actor, teamId: actor.teamId, body: request.body, now: clock.now() }));
      return reply.status(201).send({ data: presentTag(row) });
    });

    app.patch("/tags/:tagId", { schema: { tags: ["Tags"], summary: "Rename or recolour a tag (admin)", params, body: updateTagBody, response: { 200: one } } }, async (request) => {
      const actor = actorOf(request);
      const row = await database.transaction((tx) => updateTag({ tx, actor, teamId: actor.teamId, tagId: request.params.tagId, body: request.body, now: clock.now() }));
      return { data: presentTag(row) };
    });

    app.delete("/tags/:tagId", { schema: { tags: ["Tags"], summary: "Delete a tag and take it off every conversation and contact (admin)", params } }, async (request, reply) => {
      const actor = actorOf(request);
      await database.transaction((tx) => deleteTag({ tx, actor, teamId: actor.teamId, tagId: request.params.tagId, now: clock.now() }));
      return reply.status(204).send();
    });
  };
}
