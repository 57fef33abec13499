import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { memberRoutingRule, replaceMemberRoutingRulesBody } from "../../../../protocol/routing.js";
import type { AppContext } from "../../context.js";
import { actorOf } from "../../http/request-auth.js";
import { listMemberRoutingRules, presentMemberRoutingRule, replaceMemberRoutingRules } from "./member-routing.js";

const list = z.object({ data: z.array(memberRoutingRule) });

/** Keyword routing to members (SPEC §2.2, seed 003's role-based routing). */
export function memberRoutingRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock } = context;
  return async (app) => {
    app.get("/member-routing-rules", { schema: { tags: ["Routing"], summary: "Keyword rules that give new conversations to members, in order", response: { 200: list } } }, async (request) => {
      const actor = actorOf(request);
      return { data: (await listMemberRoutingRules(database.db, actor.teamId)).map(presentMemberRoutingRule) };
    });

    app.put("/member-routing-rules", { schema: { tags: ["Routing"], summary: "Replace the ordered keyword rules for members (admin)", body: replaceMemberRoutingRulesBody, response: { 200: list } } }, async (request) => {
      const actor = actorOf(request);
      const rows = await database.transaction((tx) => replaceMemberRoutingRules({ tx, actor, teamId: actor.teamId, rules: request.body.memberRoutingRules, now: clock.now() }));
      return { data: rows.map(presentMemberRoutingRule) };
    });
  };
}
