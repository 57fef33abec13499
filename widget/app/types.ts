/**
 * The widget API's shapes (server/src/channels/widget/widget.routes.ts, modules/visitors/visitor.presenter.ts),
 * written out here so the bundle never pulls in zod or server code.
 */

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
  url: string;
}

export interface VisitorMessage {
  id: string;
  conversationId: string;
  /** Position in its conversation. */
  seq: number;
  fromVisitor: boolean;
  content: string;
  author: { name: string | null; kind: string };
  attachments: Attachment[];
  createdAt: string;
}

export interface VisitorConversation {
  id: string;
  status: "open" | "closed";
  createdAt: string;
  closedAt: string | null;
  lastMessageAt: string | null;
  lastMessage: { preview: string; fromVisitor: boolean } | null;
  unreadCount: number;
  csat: { requested: boolean; rating: number | null };
}

export interface InboxInfo {
  id: string;
  name: string;
  color: string;
  greeting: string | null;
  isOpen: boolean;
  outsideHoursMessage: string | null;
  opensAt: string | null;
  preChatForm: { enabled: boolean; requireName: boolean; requireEmail: boolean };
  identityVerification: boolean;
  csat: boolean;
}

export interface VisitorInfo {
  contactId: string;
  name: string | null;
  email: string | null;
}

export interface SessionReply {
  visitorToken: string;
  visitor: VisitorInfo;
  inbox: InboxInfo;
  conversations: VisitorConversation[];
}

/** Frames the visitor's socket receives (server/src/realtime/visitor-connection.ts and gateway.ts). */
export type ServerFrame =
  | { type: "hello"; seq: number }
  | { type: "resync"; seq: number; reason?: string }
  | { type: "pong" }
  | { type: "error"; code: string; message: string; ref?: string; status?: number }
  | { type: "message.sent"; ref: string; message: VisitorMessage; conversation: VisitorConversation; created: boolean }
  | { type: "event"; seq: number; name: "message.created"; data: { message: VisitorMessage } }
  | { type: "event"; seq: number; name: "conversation.updated"; data: { conversation: { id: string; status: "open" | "closed" } } }
  | { type: "signal"; name: "typing.started" | "typing.stopped"; data: { conversationId: string; agent: { name: string | null } } };
