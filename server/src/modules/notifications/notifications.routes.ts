import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listNotificationsQuery, markNotificationsReadBody, notification } from "../../../../protocol/notification.js";
import type { AppContext } from "../../context.js";
import { actorOf } from "../../http/request-auth.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { countUnreadNotifications, listNotifications, markNotificationsRead } from "./notification.repo.js";
import { presentNotification } from "./notification.presenter.js";

/** The caller's own notifications (@mentions, assignments): list and mark read. */
export function notificationsRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock } = context;
  return async (app) => {
    app.get(
      "/notifications",
      { schema: { tags: ["Notifications"], summary: "Your notifications, newest first", querystring: listNotificationsQuery, response: { 200: z.object({ data: z.array(notification), unreadCount: z.number().int(), nextCursor: z.string().nullable() }) } } },
      async (request) => {
        const actor = actorOf(request);
        const { limit, cursor, unread } = request.query;
        const [rows, unreadCount] = await Promise.all([
          listNotifications(database.db, actor.teamId, actor.memberId, limit + 1, decodeCursor(cursor), unread === true),
          countUnreadNotifications(database.db, actor.teamId, actor.memberId),
        ]);
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return { data: page.map(presentNotification), unreadCount, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.created_at, id: last.id }) : null };
      },
    );

    app.post("/notifications/read", { schema: { tags: ["Notifications"], summary: "Mark your notifications read (all, or the ids given)", body: markNotificationsReadBody } }, async (request, reply) => {
      const actor = actorOf(request);
      await database.transaction((tx) => markNotificationsRead(tx, actor.teamId, actor.memberId, clock.now(), request.body.ids));
      return reply.status(204).send();
    });
  };
}
