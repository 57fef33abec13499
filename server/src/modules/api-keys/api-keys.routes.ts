import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { apiKey, createApiKeyBody } from "../../../../protocol/api-key.js";
import type { AppContext } from "../../context.js";
import { actorOf } from "../../http/request-auth.js";
import { requireRole } from "../members/actor.js";
import { listApiKeys } from "./api-key.repo.js";
import { presentApiKey } from "./api-key.presenter.js";
import { createApiKey } from "./create-api-key.js";
import { revokeApiKey } from "./revoke-api-key.js";

/** API keys (owners and admins): list without secrets, create (the secret is shown once), revoke. */
export function apiKeysRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock } = context;
  return async (app) => {
    app.get("/api-keys", { schema: { tags: ["API keys"], summary: "List the team's API keys", response: { 200: z.object({ data: z.array(apiKey) }) } } }, async (request) => {
      const actor = actorOf(request);
      requireRole(actor, "admin", "Only owners and admins can see API keys.");
      return { data: (await listApiKeys(database.db, actor.teamId)).map(presentApiKey) };
    });

    app.post(
      "/api-keys",
      { schema: { tags: ["API keys"], summary: "Create an API key", body: createApiKeyBody, response: { 201: z.object({ data: apiKey.extend({ secret: z.string().meta({ description: "Send as X-API-Key. Shown only in this response." }) }) }) } } },
      async (request, reply) => {
        const actor = actorOf(request);
        const { key, secret } = await database.transaction((tx) => createApiKey({ tx, actor, teamId: actor.teamId, ...request.body, now: clock.now() }));
        return reply.status(201).send({ data: { ...presentApiKey(key), secret } });
      },
    );

    app.delete("/api-keys/:keyId", { schema: { tags: ["API keys"], summary: "Revoke an API key", params: z.object({ keyId: z.string().max(64) }) } }, async (request, reply) => {
      const actor = actorOf(request);
      await database.transaction((tx) => revokeApiKey({ tx, actor, teamId: actor.teamId, keyId: request.params.keyId, now: clock.now() }));
      return reply.status(204).send();
    });
  };
}
