import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { availabilityBody, createMemberBody, member, updateMemberBody } from "../../../../protocol/team.js";
import type { AppContext } from "../../context.js";
import { actorOf } from "../../http/request-auth.js";
import { inviteMember, reissueInvite } from "./invite-member.js";
import { getMember, listMembers } from "./member.repo.js";
import { presentMember } from "./member.presenter.js";
import { onlineMemberIds } from "../presence/presence.repo.js";
import { removeMember } from "./remove-member.js";
import { setAvailability } from "./set-availability.js";
import { updateMember } from "./update-member.js";

const params = z.object({ memberId: z.string().max(64) });
const one = z.object({ member });
const invited = z.object({ member, inviteUrl: z.string().meta({ description: "One-time link where the new member sets a password; shown once." }) });

/** Seed 003's members API: `{ members }` and `{ member }`. */
export function membersRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock, config } = context;
  const inviteUrl = (token: string) => `${config.publicUrl}/invite/${token}`;
  return async (app) => {
    app.get("/members", { schema: { tags: ["Members"], summary: "List the team's members", response: { 200: z.object({ members: z.array(member) }) } } }, async (request) => {
      const actor = actorOf(request);
      const [rows, online] = await Promise.all([listMembers(database.db, actor.teamId), onlineMemberIds(database.db, actor.teamId, clock.now())]);
      return { members: rows.map((row) => presentMember(row, online.has(row.id))) };
    });

    app.get("/members/:memberId", { schema: { tags: ["Members"], summary: "Get one member", params, response: { 200: one } } }, async (request) => {
      const actor = actorOf(request);
      const [row, online] = await Promise.all([getMember(database.db, actor.teamId, request.params.memberId), onlineMemberIds(database.db, actor.teamId, clock.now())]);
      return { member: presentMember(row, online.has(row.id)) };
    });

    app.post("/members", { schema: { tags: ["Members"], summary: "Invite a member (admin)", body: createMemberBody, response: { 201: invited } } }, async (request, reply) => {
      const actor = actorOf(request);
      const { member: row, inviteToken } = await database.transaction((tx) => inviteMember({ tx, actor, teamId: actor.teamId, ...request.body, now: clock.now() }));
      return reply.status(201).send({ member: presentMember(row), inviteUrl: inviteUrl(inviteToken) });
    });

    app.post("/members/:memberId/invite", { schema: { tags: ["Members"], summary: "Issue a new invite link (admin)", params, response: { 200: invited } } }, async (request) => {
      const actor = actorOf(request);
      const { member: row, inviteToken } = await database.transaction((tx) => reissueInvite({ tx, actor, teamId: actor.teamId, memberId: request.params.memberId, now: clock.now() }));
      return { member: presentMember(row), inviteUrl: inviteUrl(inviteToken) };
    });

    app.patch("/members/:memberId", { schema: { tags: ["Members"], summary: "Rename a member or change their role", params, body: updateMemberBody, response: { 200: one } } }, async (request) => {
      const actor = actorOf(request);
      const row = await database.transaction((tx) => updateMember({ tx, actor, teamId: actor.teamId, memberId: request.params.memberId, patch: request.body, now: clock.now() }));
      return { member: presentMember(row) };
    });

    app.delete("/members/:memberId", { schema: { tags: ["Members"], summary: "Remove a member (admin)", params, response: { 200: one } } }, async (request) => {
      const actor = actorOf(request);
      const row = await database.transaction((tx) => removeMember({ tx, actor, teamId: actor.teamId, memberId: request.params.memberId, now: clock.now() }));
      return { member: presentMember(row) };
    });

    app.put("/members/:memberId/availability", { schema: { tags: ["Members"], summary: "Set a member's availability", params, body: availabilityBody, response: { 200: one } } }, async (request) => {
      const actor = actorOf(request);
      const row = await database.transaction((tx) => setAvailability({ tx, actor, teamId: actor.teamId, memberId: request.params.memberId, status: request.body.status, now: clock.now() }));
      return { member: presentMember(row) };
    });
  };
}
