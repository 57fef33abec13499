import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { acceptInviteBody, changePasswordBody, signinBody, signupBody } from "../../../../protocol/auth.js";
import { inbox } from "../../../../protocol/inbox.js";
import { member, team } from "../../../../protocol/team.js";
import type { AppContext } from "../../context.js";
import { actorOf, assertSameOrigin, clearSessionCookie, SESSION_COOKIE, sessionTtl, setSessionCookie } from "../../http/request-auth.js";
import { hashSecret } from "../../lib/crypto.js";
import { presentInbox } from "../inboxes/inbox.presenter.js";
import { getMember } from "../members/member.repo.js";
import { presentMember } from "../members/member.presenter.js";
import { presentTeam } from "../teams/team.presenter.js";
import { anyTeamExists, getTeam } from "../teams/team.repo.js";
import { acceptInvite, findInvite } from "./accept-invite.js";
import { changePassword } from "./change-password.js";
import { deleteSession } from "./session.repo.js";
import { signIn } from "./sign-in.js";
import { signUp } from "./sign-up.js";

const signedIn = z.object({ member, team });
const tokenParams = z.object({ token: z.string().min(10).max(200) });

/** Sign-up (first run), sign-in, sign-out, the current member, password change and invite acceptance. */
export function authRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock, config } = context;
  return async (app) => {
    // Sign-in and sign-up set cookies, so they too must come from our own pages.
    app.addHook("onRequest", async (request) => {
      assertSameOrigin(request, config.publicUrl);
    });

    const sessionContext = (request: { ip: string; headers: { "user-agent"?: string | undefined } }) => ({
      ip: request.ip,
      userAgent: request.headers["user-agent"],
      now: clock.now(),
      ttl: sessionTtl(context),
    });

    app.get("/setup", { schema: { tags: ["Auth"], summary: "Whether this installation still needs its first team", response: { 200: z.object({ needsSetup: z.boolean(), signupEnabled: z.boolean() }) } } }, async () => {
      const exists = await anyTeamExists(database.db);
      return { needsSetup: !exists, signupEnabled: config.signupEnabled || !exists };
    });

    app.post("/signup", { schema: { tags: ["Auth"], summary: "Create the first team and its owner", body: signupBody, response: { 201: signedIn.extend({ inbox }) } } }, async (request, reply) => {
      const created = await signUp(database, { ...request.body, signupEnabled: config.signupEnabled, ...sessionContext(request) });
      setSessionCookie(context, reply, created.token);
      return reply.status(201).send({
        member: presentMember(created.owner),
        team: presentTeam(created.team),
        inbox: presentInbox(created.inbox, { mailDomain: config.mailDomain, publicUrl: config.publicUrl, withSecrets: true }),
      });
    });

    app.post("/signin", { schema: { tags: ["Auth"], summary: "Sign in with email and password", body: signinBody, response: { 200: signedIn } } }, async (request, reply) => {
      const { member: row, token } = await signIn(database, { ...request.body, ...sessionContext(request) });
      setSessionCookie(context, reply, token);
      return { member: presentMember(row), team: presentTeam(await getTeam(database.db, row.team_id)) };
    });

    app.post("/signout", { schema: { tags: ["Auth"], summary: "End this session" } }, async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) {
        await database.transaction((tx) => deleteSession(tx, hashSecret(token)));
      }
      clearSessionCookie(reply);
      return reply.status(204).send();
    });

    app.get("/me", { schema: { tags: ["Auth"], summary: "The signed-in member and their team", response: { 200: signedIn } } }, async (request) => {
      const actor = actorOf(request);
      const [row, teamRow] = await Promise.all([getMember(database.db, actor.teamId, actor.memberId), getTeam(database.db, actor.teamId)]);
      return { member: presentMember(row), team: presentTeam(teamRow) };
    });

    app.post("/password", { schema: { tags: ["Auth"], summary: "Change your password; your other sessions end", body: changePasswordBody } }, async (request, reply) => {
      const actor = actorOf(request);
      await changePassword(database, { actor, ...request.body, now: clock.now() });
      return reply.status(204).send();
    });

    app.get(
      "/invites/:token",
      { schema: { tags: ["Auth"], summary: "Who an invite link is for", params: tokenParams, response: { 200: z.object({ email: z.string(), name: z.string(), teamName: z.string() }) } } },
      async (request) => {
        const { member: row, team: teamRow } = await findInvite(database.db, request.params.token, clock.now());
        return { email: row.email, name: row.name, teamName: teamRow.name };
      },
    );

    app.post(
      "/invites/:token/accept",
      { schema: { tags: ["Auth"], summary: "Set a password from an invite link and sign in", params: tokenParams, body: acceptInviteBody, response: { 200: signedIn } } },
      async (request, reply) => {
        const { member: row, token } = await acceptInvite(database, { token: request.params.token, ...request.body, ...sessionContext(request) });
        setSessionCookie(context, reply, token);
        return { member: presentMember(row), team: presentTeam(await getTeam(database.db, row.team_id)) };
      },
    );
  };
}
