import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { pageInfo, widgetIdentifyBody, widgetMessageBody, widgetProfileBody, widgetRatingBody, widgetSessionBody } from "../../../../protocol/widget.js";
import type { AppContext } from "../../context.js";
import { AppError } from "../../errors.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { acceptMultipart, receiveUpload } from "../../modules/attachments/multipart.js";
import { attachmentStorage } from "../../modules/attachments/storage-factory.js";
import { isWithinWorkingHours, nextOpening } from "../../modules/inboxes/working-hours.js";
import { parseInboxSettings, widgetCsatOf } from "../../modules/inboxes/inbox-settings.js";
import { listMessageRows } from "../../modules/messages/message.repo.js";
import { identifyVisitor } from "../../modules/visitors/identify-visitor.js";
import { getVisitorSession, startVisitorSession, type VisitorSession } from "../../modules/visitors/start-visitor-session.js";
import { updateVisitorProfile } from "../../modules/visitors/update-visitor-profile.js";
import { getVisitorConversation, listVisitorConversations, markReadByVisitor, rateConversation, teamSeenAt } from "../../modules/visitors/visitor-conversations.js";
import { presentVisitorConversation, presentVisitorMessage, visibleToVisitor } from "../../modules/visitors/visitor.presenter.js";
import { updateVisitorRow } from "../../modules/visitors/visitor.repo.js";
import { describeUserAgent, ipLocator } from "./environment.js";
import { limitMessageRequests, type MessageLimiter } from "./message-limit.js";
import { sendVisitorMessage, withLinks } from "./send-message.js";

const params = z.object({ id: z.string().max(64) });

/** The visitor behind the X-Visitor-Token header; 401 without a known one. */
async function visitorOf(context: AppContext, request: FastifyRequest): Promise<VisitorSession> {
  const token = request.headers["x-visitor-token"];
  if (typeof token !== "string" || token.length < 10 || token.length > 200) {
    throw new AppError(401, "unknown_visitor", "Send the X-Visitor-Token header from POST /api/widget/session.");
  }
  return getVisitorSession(context.database.db, token);
}

/**
 * The website widget's API (`/api/widget`), used by the iframe app on visitors' browsers. A visitor is a
 * server-issued token; everything is limited to the visitor's own contact, and nothing about notes,
 * activity lines or members beyond their names ever leaves.
 */
export function widgetRoutes(context: AppContext, linkFor: (attachmentId: string) => string, limitMessages: MessageLimiter, visitorKey: (request: FastifyRequest) => string): FastifyPluginAsyncZod {
  const { database, clock, config } = context;
  const storage = attachmentStorage(config);
  const locator = ipLocator(config.geoip);

  function inboxInfo(session: VisitorSession) {
    const settings = parseInboxSettings(session.inbox.settings);
    const now = clock.now();
    const open = isWithinWorkingHours(settings.workingHours, now);
    const opensAt = open ? null : (nextOpening(settings.workingHours, now) ?? null);
    return {
      id: session.inbox.id,
      name: session.inbox.name,
      color: session.inbox.color,
      greeting: settings.widget.greeting,
      isOpen: open,
      outsideHoursMessage: open ? null : settings.outsideHoursMessage,
      opensAt: opensAt === null ? null : new Date(opensAt).toISOString(),
      preChatForm: settings.widget.preChatForm,
      identityVerification: settings.widget.identityVerification,
      csat: settings.widget.csat,
    };
  }
  const visitorInfo = (session: VisitorSession) => ({ contactId: session.contact.id, name: session.contact.name, email: session.contact.email });
  const csatOf = (session: VisitorSession) => widgetCsatOf(session.inbox.settings);

  return async (app) => {
    await acceptMultipart(app);
    app.post("/session", { schema: { tags: ["Widget"], summary: "Open the widget for a browser: its visitor token, the inbox's state, its conversations", body: widgetSessionBody } }, async (request) => {
      const { websiteToken, visitorToken, page, language, timezone } = request.body;
      const userAgent = request.headers["user-agent"];
      const session = await database.transaction((tx) =>
        startVisitorSession(tx, {
          websiteToken,
          visitorToken,
          environment: { pageUrl: page?.url, referrer: page?.referrer || null, language, timezone, userAgent, ...describeUserAgent(userAgent), ...locator.lookup(request.ip), ip: request.ip },
          now: clock.now(),
        }),
      );
      const conversations = await listVisitorConversations(database.db, session);
      const seen = await teamSeenAt(database.db, conversations.map((row) => row.id));
      return {
        visitorToken: session.newToken ?? visitorToken,
        visitor: visitorInfo(session),
        inbox: inboxInfo(session),
        conversations: conversations.map((row) => presentVisitorConversation(row, csatOf(session), seen.get(row.id) ?? null)),
      };
    });

    app.post("/page", { schema: { tags: ["Widget"], summary: "The visitor moved to another page (single-page apps too)", body: pageInfo } }, async (request, reply) => {
      const session = await visitorOf(context, request);
      await database.transaction((tx) => updateVisitorRow(tx, session.visitor.id, { page_url: request.body.url ?? null, referrer: request.body.referrer || session.visitor.referrer, last_seen_at: clock.now() }));
      return reply.status(204).send();
    });

    app.post("/identify", { schema: { tags: ["Widget"], summary: "Parley.setUser(): who the visitor is, signed with the inbox's identity secret when verification is on", body: widgetIdentifyBody } }, async (request) => {
      const session = await visitorOf(context, request);
      const contact = await database.transaction((tx) => identifyVisitor(tx, session, request.body, clock.now()));
      return { visitor: { contactId: contact.id, name: contact.name, email: contact.email } };
    });

    app.post("/profile", { schema: { tags: ["Widget"], summary: "The pre-chat form, Parley.setAttributes() and Parley.setTags()", body: widgetProfileBody } }, async (request) => {
      const session = await visitorOf(context, request);
      const contact = await database.transaction((tx) => updateVisitorProfile(tx, session, request.body, clock.now()));
      return { visitor: { contactId: contact.id, name: contact.name, email: contact.email } };
    });

    app.get("/conversations", { schema: { tags: ["Widget"], summary: "The visitor's conversations, newest first" } }, async (request) => {
      const session = await visitorOf(context, request);
      const rows = await listVisitorConversations(database.db, session);
      const seen = await teamSeenAt(database.db, rows.map((row) => row.id));
      return { conversations: rows.map((row) => presentVisitorConversation(row, csatOf(session), seen.get(row.id) ?? null)) };
    });

    app.get(
      "/conversations/:id/messages",
      { schema: { tags: ["Widget"], summary: "A conversation's messages as the visitor sees them, newest page first", params, querystring: z.strictObject({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(50) }) } },
      async (request) => {
        const session = await visitorOf(context, request);
        const conversation = await getVisitorConversation(database.db, session, request.params.id);
        const { limit, cursor } = request.query;
        const rows = await listMessageRows(database.db, conversation.team_id, conversation.id, limit + 1, decodeCursor(cursor)?.at);
        const page = rows.slice(0, limit);
        const oldest = page.at(-1);
        const messages = page
          .reverse()
          .filter((row) => visibleToVisitor(row.direction))
          .map((row) => withLinks(presentVisitorMessage(row), linkFor));
        const seen = await teamSeenAt(database.db, [conversation.id]);
        return { conversation: presentVisitorConversation(conversation, csatOf(session), seen.get(conversation.id) ?? null), messages, nextCursor: rows.length > limit && oldest ? encodeCursor({ at: oldest.seq, id: oldest.id }) : null };
      },
    );

    app.post("/messages", { config: { rateLimit: false }, onRequest: limitMessageRequests(limitMessages, visitorKey), schema: { tags: ["Widget"], summary: "The visitor writes: continues their open conversation or starts one", body: widgetMessageBody } }, async (request, reply) => {
      const session = await visitorOf(context, request);
      return reply.status(201).send(await sendVisitorMessage(context, session, request.body, linkFor));
    });

    app.post("/conversations/:id/read", { schema: { tags: ["Widget"], summary: "The visitor has seen the team's replies", params } }, async (request, reply) => {
      const session = await visitorOf(context, request);
      await database.transaction((tx) => markReadByVisitor(tx, session, request.params.id, clock.now()));
      return reply.status(204).send();
    });

    app.post("/conversations/:id/rating", { schema: { tags: ["Widget"], summary: "Rate a closed conversation 1–5, once", params, body: widgetRatingBody } }, async (request) => {
      const session = await visitorOf(context, request);
      const rated = await database.transaction((tx) => rateConversation(tx, session, request.params.id, { ...request.body, now: clock.now() }));
      return { conversation: presentVisitorConversation(rated, csatOf(session)) };
    });

    app.post("/uploads", { schema: { tags: ["Widget"], summary: "Upload a file to send with the next message (multipart, field file)", consumes: ["multipart/form-data"] } }, async (request, reply) => {
      const session = await visitorOf(context, request);
      const row = await receiveUpload(context, storage, request, reply, { teamId: session.inbox.team_id, uploader: { contactId: session.contact.id } });
      return reply.status(201).send({ upload: { id: row.id, fileName: row.file_name, contentType: row.content_type, size: row.size, width: row.width, height: row.height, url: linkFor(row.id) } });
    });
  };
}
