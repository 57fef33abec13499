import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { replaceRoutingRulesBody, routingRule } from "../../../../protocol/routing.js";
import type { AppContext } from "../../context.js";
import { actorOf } from "../../http/request-auth.js";
import { replaceRoutingRules } from "./replace-routing-rules.js";
import { presentRoutingRule } from "./routing-rule.presenter.js";
import { listRoutingRules } from "./routing-rule.repo.js";

const list = z.object({ data: z.array(routingRule) });

/** The team's ordered routing rules (SPEC §2.2): first match wins, no match means the default inbox. */
export function routingRulesRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock } = context;
  return async (app) => {
    app.get("/routing-rules", { schema: { tags: ["Routing"], summary: "List routing rules in order", response: { 200: list } } }, async (request) => {
      const actor = actorOf(request);
      return { data: (await listRoutingRules(database.db, actor.teamId)).map(presentRoutingRule) };
    });

    app.put("/routing-rules", { schema: { tags: ["Routing"], summary: "Replace the ordered list of routing rules (admin)", body: replaceRoutingRulesBody, response: { 200: list } } }, async (request) => {
      const actor = actorOf(request);
      const rules = request.body.routingRules;
      const rows = await database.transaction((tx) => replaceRoutingRules({ tx, actor, teamId: actor.teamId, rules, now: clock.now() }));
      return { data: rows.map(presentRoutingRule) };
    });
  };
}
