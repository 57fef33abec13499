import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { team, updateTeamBody } from "../../../../protocol/team.js";
import type { AppContext } from "../../context.js";
import { actorOf } from "../../http/request-auth.js";
import { deleteTeam } from "./delete-team.js";
import { presentTeam } from "./team.presenter.js";
import { getTeam } from "./team.repo.js";
import { updateTeam } from "./update-team.js";

/** GET/PATCH/DELETE /team: the caller's team, in seed 003's bare shape. */
export function teamsRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock } = context;
  return async (app) => {
    app.get("/team", { schema: { tags: ["Team"], summary: "Get the team", response: { 200: team } } }, async (request) => {
      const actor = actorOf(request);
      return presentTeam(await getTeam(database.db, actor.teamId));
    });

    app.patch("/team", { schema: { tags: ["Team"], summary: "Rename the team (admin) or change its plan (owner)", body: updateTeamBody, response: { 200: team } } }, async (request) => {
      const actor = actorOf(request);
      const updated = await database.transaction((tx) => updateTeam({ tx, actor, teamId: actor.teamId, patch: request.body, now: clock.now() }));
      return presentTeam(updated);
    });

    app.delete(
      "/team",
      { schema: { tags: ["Team"], summary: "Delete the team and everything in it (owner)", body: z.strictObject({ confirm: z.string().max(200) }) } },
      async (request, reply) => {
        const actor = actorOf(request);
        await database.transaction((tx) => deleteTeam({ tx, actor, teamId: actor.teamId, confirmName: request.body.confirm, now: clock.now() }));
        return reply.status(204).send();
      },
    );
  };
}
