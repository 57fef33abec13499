import type {} from "@fastify/websocket";
import type { FastifyInstance } from "fastify";
import type { WebSocket } from "ws";
import { visitorClientFrame, type VisitorClientFrame } from "../../../../protocol/widget.js";
import type { AppContext } from "../../context.js";
import { AppError } from "../../errors.js";
import { getVisitorConversation } from "../../modules/visitors/visitor-conversations.js";
import { getVisitorSession, type VisitorSession } from "../../modules/visitors/start-visitor-session.js";
import type { RealtimeGateway } from "../../realtime/gateway.js";
import { CloseCode } from "../../realtime/stream-connection.js";
import { VisitorConnection } from "../../realtime/visitor-connection.js";

/** A visitor's socket must say who it is this quickly. */
export const AUTH_TIMEOUT_MS = 10_000;

/**
 * GET /api/widget/realtime: the visitor's live feed. The first frame is `{ type: "auth", visitorToken,
 * lastSeq? }` (tokens stay out of URLs and logs); then the team's replies, the conversation closing (for the
 * rating prompt) and agents' typing arrive, resumable by sequence number like the agents' feed.
 */
export function registerVisitorSocket(app: FastifyInstance, context: AppContext, gateway: RealtimeGateway, linkFor: (attachmentId: string) => string): void {
  app.get("/api/widget/realtime", { websocket: true, schema: { hide: true } }, (socket: WebSocket) => {
    let connection: VisitorConnection | undefined;
    let session: VisitorSession | undefined;
    const timer = setTimeout(() => socket.close(CloseCode.unauthorized, "no auth frame"), AUTH_TIMEOUT_MS);
    const error = (code: string, message: string) => socket.send(JSON.stringify({ type: "error", code, message }));

    socket.on("message", (data: Buffer, isBinary: boolean) => {
      let frame: VisitorClientFrame;
      try {
        frame = visitorClientFrame.parse(JSON.parse(isBinary ? "" : data.toString("utf8")));
      } catch {
        error("invalid_frame", "not a frame this endpoint understands");
        return;
      }
      void (async () => {
        if (frame.type === "auth") {
          if (session) {
            error("already_authenticated", "this socket already belongs to a visitor");
            return;
          }
          try {
            session = await getVisitorSession(context.database.db, frame.visitorToken);
          } catch {
            socket.close(CloseCode.unauthorized, "unknown visitor");
            return;
          }
          clearTimeout(timer);
          connection = new VisitorConnection(socket, session.inbox.team_id, session.contact.id, linkFor);
          await gateway.attach(connection, frame.lastSeq, { contactId: session.contact.id });
          return;
        }
        if (!session || !connection) {
          error("unauthenticated", "send the auth frame first");
          return;
        }
        if (frame.type === "ping") {
          socket.send(JSON.stringify({ type: "pong" }));
          return;
        }
        try {
          const conversation = await getVisitorConversation(context.database.db, { ...session, contact: { ...session.contact, id: connection.contactId } }, frame.conversationId);
          context.bus.publishSignal({
            name: frame.state === "started" ? "typing.started" : "typing.stopped",
            teamId: conversation.team_id,
            inboxId: conversation.inbox_id,
            payload: { conversationId: conversation.id, contactId: conversation.contact_id, contact: { id: conversation.contact_id, name: session.contact.name }, private: false },
            originConnectionId: connection.id,
          });
        } catch (caught) {
          error(caught instanceof AppError ? caught.code : "internal_error", caught instanceof Error ? caught.message : "failed");
        }
      })();
    });
    socket.on("close", () => clearTimeout(timer));
  });
}
