import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { availabilityBody } from "../../../../protocol/team.js";
import { addInboxMemberBody, inboxMember } from "../../../../protocol/inbox.js";
import type { AppContext } from "../../context.js";
import { actorOf } from "../../http/request-auth.js";
import { addInboxMember, listMembersOfInbox, removeInboxMember, setInboxMemberAvailability } from "./inbox-members.js";
import { presentInboxMember } from "./inbox.presenter.js";

const inboxParams = z.object({ inboxId: z.string().max(64) });
const memberParams = z.object({ inboxId: z.string().max(64), userId: z.string().max(64) });
const one = z.object({ data: inboxMember });

/** Seed 000's inbox team management: members, their inbox roles and availability. */
export function inboxMembersRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock } = context;
  return async (app) => {
    app.get(
      "/inboxes/:inboxId/members",
      { schema: { tags: ["Inboxes"], summary: "List an inbox's members", params: inboxParams, response: { 200: z.object({ data: z.array(inboxMember) }) } } },
      async (request) => {
        const actor = actorOf(request);
        const rows = await listMembersOfInbox({ tx: database.db, actor, teamId: actor.teamId, inboxId: request.params.inboxId });
        return { data: rows.map(presentInboxMember) };
      },
    );

    app.post(
      "/inboxes/:inboxId/members",
      { schema: { tags: ["Inboxes"], summary: "Add a member to an inbox, or change their inbox role", params: inboxParams, body: addInboxMemberBody, response: { 200: one, 201: one } } },
      async (request, reply) => {
        const actor = actorOf(request);
        const { membership, created } = await database.transaction((tx) =>
          addInboxMember({ tx, actor, teamId: actor.teamId, inboxId: request.params.inboxId, userId: request.body.userId, role: request.body.role, now: clock.now() }),
        );
        return reply.status(created ? 201 : 200).send({ data: presentInboxMember(membership) });
      },
    );

    app.delete("/inboxes/:inboxId/members/:userId", { schema: { tags: ["Inboxes"], summary: "Remove a member from an inbox", params: memberParams } }, async (request, reply) => {
      const actor = actorOf(request);
      await database.transaction((tx) => removeInboxMember({ tx, actor, teamId: actor.teamId, inboxId: request.params.inboxId, userId: request.params.userId, now: clock.now() }));
      return reply.status(204).send();
    });

    app.put(
      "/inboxes/:inboxId/members/:userId/availability",
      { schema: { tags: ["Inboxes"], summary: "Set an inbox member's availability", params: memberParams, body: availabilityBody, response: { 200: one } } },
      async (request) => {
        const actor = actorOf(request);
        const row = await database.transaction((tx) =>
          setInboxMemberAvailability({ tx, actor, teamId: actor.teamId, inboxId: request.params.inboxId, userId: request.params.userId, status: request.body.status, now: clock.now() }),
        );
        return { data: presentInboxMember(row) };
      },
    );
  };
}
