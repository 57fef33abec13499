import type {} from "@fastify/websocket";
import type { FastifyInstance } from "fastify";
import type { WebSocket } from "ws";
import type { z } from "zod";
import { messageRef, visitorClientFrame, type VisitorClientFrame } from "../../../../protocol/widget.js";
import type { AppContext } from "../../context.js";
import { AppError, invalid, invalidField, isUniqueViolation, type FieldProblem } from "../../errors.js";
import { findNul } from "../../http/reject-nul.js";
import { getVisitorConversation } from "../../modules/visitors/visitor-conversations.js";
import { getVisitorSession, type VisitorSession } from "../../modules/visitors/start-visitor-session.js";
import type { RealtimeGateway } from "../../realtime/gateway.js";
import { CloseCode } from "../../realtime/stream-connection.js";
import { noteUpgrade, upgradeReleaser } from "../../realtime/upgrade.js";
import { VisitorConnection } from "../../realtime/visitor-connection.js";
import { messagesRefused, visitorLimitKey, type MessageLimiter } from "./message-limit.js";
import { sendVisitorMessage } from "./send-message.js";

/** A visitor's socket must say who it is this quickly. */
export const AUTH_TIMEOUT_MS = 10_000;

/** Messages a socket may have waiting for their answers; more are refused until some are answered. */
export const MAX_WAITING_MESSAGES = 20;

/**
 * GET /api/widget/realtime: the visitor's live feed. The first frame is `{ type: "auth", visitorToken,
 * lastSeq? }` (tokens stay out of URLs and logs); then the team's replies, the conversation closing (for the
 * rating prompt) and agents' typing arrive, resumable by sequence number like the agents' feed.
 *
 * The visitor may also write on it (`{ type: "message", ref, content, … }`): the same message, checks, limit
 * and answer as `POST /api/widget/messages`, without an HTTP request per message. One socket's messages are
 * stored in the order they were sent.
 */
export function registerVisitorSocket(app: FastifyInstance, context: AppContext, gateway: RealtimeGateway, linkFor: (attachmentId: string) => string, limitMessages: MessageLimiter): void {
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
    // Only the ids, the token (messages look the visitor up again) and the name typing signals carry stay
    // with the socket, not the session's rows.
    state.token = frame.visitorToken;
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

  /** Stores one message from the socket and answers it, as POST /api/widget/messages would. */
  async function deliver(socket: WebSocket, token: string, frame: Extract<VisitorClientFrame, { type: "message" }>): Promise<void> {
    const { type: _type, ref, ...body } = frame;
    try {
      const nul = findNul(body, "");
      if (nul !== undefined) {
        throw invalidField(nul, "must not contain NUL characters");
      }
      const allowance = await limitMessages(visitorLimitKey(token));
      if (!allowance.allowed) {
        throw messagesRefused(allowance.retryAfterSeconds);
      }
      const session = await getVisitorSession(context.database.db, token);
      const sent = await sendVisitorMessage(context, session, body, linkFor);
      socket.send(JSON.stringify({ type: "message.sent", ref, ...sent }));
    } catch (caught) {
      sendRefusal(socket, ref, caught);
    }
  }

  /** Queues a message behind the socket's earlier ones, so they are stored in the order sent. */
  function enqueue(socket: WebSocket, state: VisitorSocketState, token: string, frame: Extract<VisitorClientFrame, { type: "message" }>): void {
    if (state.waiting >= MAX_WAITING_MESSAGES) {
      sendRefusal(socket, frame.ref, new AppError(429, "rate_limited", `At most ${MAX_WAITING_MESSAGES} messages may wait for their answers; wait for them.`));
      return;
    }
    const next = (state.queue ?? Promise.resolve()).then(() => deliver(socket, token, frame));
    state.queue = next;
    state.waiting += 1;
    void next.then(() => {
      state.waiting -= 1;
      if (state.queue === next) {
        state.queue = undefined;
      }
    });
  }

  function sendRefusal(socket: WebSocket, ref: string, caught: unknown): void {
    if (caught instanceof AppError) {
      socket.send(JSON.stringify({ type: "error", ref, status: caught.status, code: caught.code, message: caught.message, ...(caught.details !== undefined ? { details: caught.details } : {}) }));
      return;
    }
    if (isUniqueViolation(caught)) {
      socket.send(JSON.stringify({ type: "error", ref, status: 409, code: "conflict", message: "This would duplicate something that must be unique." }));
      return;
    }
    context.logger.error({ err: caught }, "a visitor's message on the socket failed");
    socket.send(JSON.stringify({ type: "error", ref, status: 500, code: "internal_error", message: "Something went wrong on our side. It has been logged." }));
  }

  function onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
    const state = states.get(this);
    if (!state) {
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(isBinary ? "" : data.toString("utf8"));
    } catch {
      sendError(this, "invalid_frame", "not a frame this endpoint understands");
      return;
    }
    const parsed = visitorClientFrame.safeParse(raw);
    if (!parsed.success) {
      // A message that breaks a rule is answered under its ref, like the 400 of the HTTP request.
      const ref = messageRefOf(raw);
      if (ref === undefined) {
        sendError(this, "invalid_frame", "not a frame this endpoint understands");
      } else {
        const details = problemsOf(parsed.error);
        const first = details[0];
        sendRefusal(this, ref, invalid(first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "The message is not valid.", details));
      }
      return;
    }
    const frame = parsed.data;
    if (frame.type === "auth") {
      if (state.connection) {
        sendError(this, "already_authenticated", "this socket already belongs to a visitor");
        return;
      }
      void authenticate(this, state, frame);
      return;
    }
    if (!state.connection) {
      sendError(this, "unauthenticated", "send the auth frame first", frame.type === "message" ? frame.ref : undefined);
      return;
    }
    if (frame.type === "ping") {
      this.send(JSON.stringify({ type: "pong" }));
      return;
    }
    if (frame.type === "message") {
      enqueue(this, state, state.token as string, frame);
      return;
    }
    void typing(this, state, state.connection, frame);
  }

  function onClose(this: WebSocket): void {
    clearTimeout(states.get(this)?.timer);
  }

  app.get("/api/widget/realtime", { websocket: true, schema: { hide: true }, onRequest: noteUpgrade }, (socket: WebSocket, request) => {
    release(socket, request);
    states.set(socket, { connection: undefined, token: undefined, contactName: null, timer: setTimeout(closeUnauthenticated, AUTH_TIMEOUT_MS, socket), queue: undefined, waiting: 0 });
    socket.on("message", onMessage);
    socket.on("close", onClose);
  });
}

/** What one visitor socket keeps: its connection once authenticated, else the timer that ends it. */
interface VisitorSocketState {
  connection: VisitorConnection | undefined;
  /** The visitor's token once authenticated: each message looks the visitor up again with it. */
  token: string | undefined;
  /** The contact's name, which the visitor's typing signals carry. */
  contactName: string | null;
  timer: NodeJS.Timeout | undefined;
  /** The last of the messages being stored, and how many wait; none while the visitor is not writing. */
  queue: Promise<void> | undefined;
  waiting: number;
}

function closeUnauthenticated(socket: WebSocket): void {
  socket.close(CloseCode.unauthorized, "no auth frame");
}

function sendError(socket: WebSocket, code: string, message: string, ref?: string): void {
  socket.send(JSON.stringify({ type: "error", ...(ref !== undefined ? { ref } : {}), code, message }));
}

/** The ref of something that claims to be a message frame, if it has a usable one. */
function messageRefOf(raw: unknown): string | undefined {
  if (raw === null || typeof raw !== "object" || (raw as { type?: unknown }).type !== "message") {
    return undefined;
  }
  const ref = messageRef.safeParse((raw as { ref?: unknown }).ref);
  return ref.success ? ref.data : undefined;
}

/** A frame's problems named as the HTTP API names a body's (`details` of a 400). */
function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    const base = issue.path.join(".");
    if (issue.code === "unrecognized_keys") {
      return { path: issue.keys.map((key) => (base ? `${base}.${key}` : key)).join(", "), message: "unknown field" };
    }
    return { path: base, message: issue.message };
  });
}
