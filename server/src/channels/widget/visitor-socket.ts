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
import { noteUpgrade, upgradeReleaser } from "../../realtime/upgrade.js";
import { VisitorConnection } from "../../realtime/visitor-connection.js";

/** A visitor's socket must say who it is this quickly. */
export const AUTH_TIMEOUT_MS = 10_000;

/**
 * GET /api/widget/realtime: the visitor's live feed. The first frame is `{ type: "auth", visitorToken,
 * lastSeq? }` (tokens stay out of URLs and logs); then the team's replies, the conversation closing (for the
 * rating prompt) and agents' typing arrive, resumable by sequence number like the agents' feed.
 */
export function registerVisitorSocket(app: FastifyInstance, context: AppContext, gateway: RealtimeGateway, linkFor: (attachmentId: string) => string): void {
  const release = upgradeReleaser(context.logger);
  // One listener of each kind for every socket; what a socket keeps is its small state below.
  const states = new WeakMap<WebSocket, VisitorSocketState>();

  async function authenticate(socket: WebSocket, state: VisitorSocketState, frame: Extract<VisitorClientFrame, { type: "auth" }>): Promise<void> {
    let session: VisitorSession;
    try {
      session = await getVisitorSession(context.database.db, frame.visitorToken);
    } catch {
      socket.close(CloseCode.unauthorized, "unknown visitor");
      return;
    }
    if (state.connection) {
      sendError(socket, "already_authenticated", "this socket already belongs to a visitor");
      return;
    }
    clearTimeout(state.timer);
    state.timer = undefined;
    // Only the ids and the name typing signals carry stay with the socket, not the session's rows.
    state.contactName = session.contact.name;
    state.connection = new VisitorConnection(socket, session.inbox.team_id, session.contact.id, linkFor);
    await gateway.attach(state.connection, frame.lastSeq, { contactId: session.contact.id });
  }

  async function typing(socket: WebSocket, state: VisitorSocketState, visitor: VisitorConnection, frame: Extract<VisitorClientFrame, { type: "typing" }>): Promise<void> {
    try {
      const conversation = await getVisitorConversation(context.database.db, { inbox: { team_id: visitor.teamId }, contact: { id: visitor.contactId } }, frame.conversationId);
      context.bus.publishSignal({
        name: frame.state === "started" ? "typing.started" : "typing.stopped",
        teamId: conversation.team_id,
        inboxId: conversation.inbox_id,
        payload: { conversationId: conversation.id, contactId: conversation.contact_id, contact: { id: conversation.contact_id, name: state.contactName }, private: false },
        originConnectionId: visitor.id,
      });
    } catch (caught) {
      sendError(socket, caught instanceof AppError ? caught.code : "internal_error", caught instanceof Error ? caught.message : "failed");
    }
  }

  function onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
    const state = states.get(this);
    if (!state) {
      return;
    }
    let frame: VisitorClientFrame;
    try {
      frame = visitorClientFrame.parse(JSON.parse(isBinary ? "" : data.toString("utf8")));
    } catch {
      sendError(this, "invalid_frame", "not a frame this endpoint understands");
      return;
    }
    if (frame.type === "auth") {
      if (state.connection) {
        sendError(this, "already_authenticated", "this socket already belongs to a visitor");
        return;
      }
      void authenticate(this, state, frame);
      return;
    }
    if (!state.connection) {
      sendError(this, "unauthenticated", "send the auth frame first");
      return;
    }
    if (frame.type === "ping") {
      this.send(JSON.stringify({ type: "pong" }));
      return;
    }
    void typing(this, state, state.connection, frame);
  }

  function onClose(this: WebSocket): void {
    clearTimeout(states.get(this)?.timer);
  }

  app.get("/api/widget/realtime", { websocket: true, schema: { hide: true }, onRequest: noteUpgrade }, (socket: WebSocket, request) => {
    release(socket, request);
    states.set(socket, { connection: undefined, contactName: null, timer: setTimeout(closeUnauthenticated, AUTH_TIMEOUT_MS, socket) });
    socket.on("message", onMessage);
    socket.on("close", onClose);
  });
}

/** What one visitor socket keeps: its connection once authenticated, else the timer that ends it. */
interface VisitorSocketState {
  connection: VisitorConnection | undefined;
  /** The contact's name, which the visitor's typing signals carry. */
  contactName: string | null;
  timer: NodeJS.Timeout | undefined;
}

function closeUnauthenticated(socket: WebSocket): void {
  socket.close(CloseCode.unauthorized, "no auth frame");
}

function sendError(socket: WebSocket, code: string, message: string): void {
  socket.send(JSON.stringify({ type: "error", code, message }));
}
