import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.js";
import { actorOf } from "../../http/request-auth.js";
import { runSearch } from "./run-search.js";
import { searchRequestQuery, searchResults } from "./search.schema.js";

/** Full-text search over messages, contacts and conversation subjects, limited to what the caller may see. */
export function searchRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database } = context;
  return async (app) => {
    app.get(
      "/search",
      { schema: { tags: ["Search"], summary: "Search messages, contacts and conversations, best match first", querystring: searchRequestQuery, response: { 200: z.object({ data: searchResults }) } } },
      async (request) => {
        const actor = actorOf(request);
        return { data: await runSearch({ tx: database.db, dialect: database.dialect, actor, teamId: actor.teamId, request: request.query }) };
      },
    );
  };
}
