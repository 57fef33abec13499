import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { createInboxBody, inbox, updateInboxBody } from "../../../../protocol/inbox.js";
import type { AppContext } from "../../context.js";
import type { InboxRow } from "../../db/schema.js";
import { actorOf } from "../../http/request-auth.js";
import { roleAtLeast } from "../members/actor.js";
import { createInbox } from "./create-inbox.js";
import { deleteInbox } from "./delete-inbox.js";
import { listInboxes, listInboxesOfMember } from "./inbox.repo.js";
import { presentInbox } from "./inbox.presenter.js";
import { getVisibleInbox } from "./inbox.policy.js";
import { rotateIdentitySecret, updateInbox } from "./update-inbox.js";

const params = z.object({ inboxId: z.string().max(64) });
const one = z.object({ data: inbox });

/** Seed 000's inbox API, in the `{ data }` envelope. */
export function inboxesRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock, config } = context;
  const present = (row: InboxRow, withSecrets: boolean) => presentInbox(row, { mailDomain: config.mailDomain, publicUrl: config.publicUrl, withSecrets });

  return async (app) => {
    app.get("/inboxes", { schema: { tags: ["Inboxes"], summary: "List the inboxes the caller may see", response: { 200: z.object({ data: z.array(inbox) }) } } }, async (request) => {
      const actor = actorOf(request);
      if (roleAtLeast(actor.role, "admin")) {
        return { data: (await listInboxes(database.db, actor.teamId)).map((row) => present(row, true)) };
      }
      const rows = await listInboxesOfMember(database.db, actor.teamId, actor.memberId);
      return { data: rows.map(({ inbox_role, ...row }) => present(row, inbox_role === "admin")) };
    });

    app.post("/inboxes", { schema: { tags: ["Inboxes"], summary: "Create an inbox (admin)", body: createInboxBody, response: { 201: one } } }, async (request, reply) => {
      const actor = actorOf(request);
      const row = await database.transaction((tx) => createInbox({ tx, actor, teamId: actor.teamId, body: request.body, now: clock.now() }));
      return reply.status(201).send({ data: present(row, true) });
    });

    app.get("/inboxes/:inboxId", { schema: { tags: ["Inboxes"], summary: "Get an inbox", params, response: { 200: one } } }, async (request) => {
      const actor = actorOf(request);
      const access = await getVisibleInbox(database.db, actor, actor.teamId, request.params.inboxId);
      return { data: present(access.inbox, access.canManage) };
    });

    for (const method of ["PUT", "PATCH"] as const) {
      app.route({
        method,
        url: "/inboxes/:inboxId",
        schema: { tags: ["Inboxes"], summary: "Change any subset of an inbox's settings (inbox admin)", params, body: updateInboxBody, response: { 200: one } },
        handler: async (request) => {
          const actor = actorOf(request);
          const row = await database.transaction((tx) => updateInbox({ tx, actor, teamId: actor.teamId, inboxId: request.params.inboxId, body: request.body, now: clock.now() }));
          return { data: present(row, true) };
        },
      });
    }

    app.post(
      "/inboxes/:inboxId/identity-secret",
      { schema: { tags: ["Inboxes"], summary: "Replace the inbox's identity secret (inbox admin); hashes made with the old one stop verifying", params, response: { 200: one } } },
      async (request) => {
        const actor = actorOf(request);
        const row = await database.transaction((tx) => rotateIdentitySecret({ tx, actor, teamId: actor.teamId, inboxId: request.params.inboxId, now: clock.now() }));
        return { data: present(row, true) };
      },
    );

    app.delete(
      "/inboxes/:inboxId",
      { schema: { tags: ["Inboxes"], summary: "Delete an inbox (admin); its conversations move to moveConversationsTo", params, querystring: z.strictObject({ moveConversationsTo: z.string().max(64).optional() }), response: { 200: one } } },
      async (request) => {
        const actor = actorOf(request);
        const row = await database.transaction((tx) => deleteInbox({ tx, actor, teamId: actor.teamId, inboxId: request.params.inboxId, moveConversationsTo: request.query.moveConversationsTo, now: clock.now() }));
        return { data: present(row, true) };
      },
    );
  };
}
