import type { WebSocket } from "ws";
import { describe, expect, it } from "vitest";
import type { Signal, StoredEvent } from "../events/domain-event.js";
import type { TeamRole } from "../../../protocol/enums.js";
import { AgentConnection } from "./agent-connection.js";
import type { StreamConnection } from "./stream-connection.js";
import { TeamConnections } from "./team-connections.js";
import { VisitorConnection } from "./visitor-connection.js";

/** Records what a connection sends; the gateway tests cover real sockets, this covers who is handed what. */
class RecordingSocket {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly frames: string[] = [];
  closedWith: number | undefined;
  send(frame: string): void {
    this.frames.push(frame);
  }
  close(code: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
}

const TEAM = "team_1";
const [A, B] = ["inbox_a", "inbox_b"];

/** The same team of sockets: owner, admin, members in inbox A / B / both / none, visitors of three contacts. */
function world() {
  const sockets = new Map<string, RecordingSocket>();
  const connections = new Map<string, StreamConnection>();
  const agent = (label: string, memberId: string, role: TeamRole, inboxIds: string[] | undefined) => {
    const socket = new RecordingSocket();
    const actor = { memberId, name: label, teamId: TEAM, role, via: "api_key" as const, apiKeyId: `key_${label}` };
    // A role change reloads the member's inboxes; an admin's are all of them.
    const connection = new AgentConnection(socket as unknown as WebSocket, actor, inboxIds, { kind: "api_key", secret: "x" }, (c) => {
      c.inboxIds = c.role === "member" ? new Set() : undefined;
    });
    sockets.set(label, socket);
    connections.set(label, connection);
  };
  const visitor = (label: string, contactId: string) => {
    const socket = new RecordingSocket();
    sockets.set(label, socket);
    connections.set(label, new VisitorConnection(socket as unknown as WebSocket, TEAM, contactId, (id) => `/a/${id}`));
  };
  agent("owner", "m_owner", "owner", undefined);
  agent("admin", "m_admin", "admin", undefined);
  agent("alice", "m_alice", "member", [A]);
  agent("alice-2nd-tab", "m_alice", "member", [A]);
  agent("bob", "m_bob", "member", [B]);
  agent("carol", "m_carol", "member", [A, B]);
  agent("dave", "m_dave", "member", []);
  visitor("c1", "contact_1");
  visitor("c1-2nd-tab", "contact_1");
  visitor("c2", "contact_2");
  visitor("c3", "contact_3");
  for (const connection of connections.values()) {
    connection.goLive();
  }
  return { sockets, connections };
}

const message = (direction: string, conversationId: string) => ({
  id: `msg_${conversationId}_${direction}`,
  conversationId,
  seq: 1,
  direction,
  content: "Hello",
  author: { name: "Alice", kind: "member", memberId: "m_alice" },
  attachments: [],
  createdAt: "2026-11-24T00:00:00.000Z",
});

const state = (inbox_id: string, bucket: string) => ({ inbox_id, bucket, assigned_to_member_id: null });

const EVENTS: Omit<StoredEvent, "seq" | "teamId" | "createdAt">[] = [
  { name: "message.created", inboxId: A, payload: { message: message("outgoing", "conv_1"), contactId: "contact_1", private: false } },
  { name: "message.created", inboxId: B, payload: { message: message("note", "conv_2"), contactId: "contact_2", private: true } },
  { name: "conversation.updated", inboxId: B, payload: { conversation: { id: "conv_2", contactId: "contact_2", status: "closed" }, changed: ["status", "inboxId"], counts: { before: state(A, "unassigned"), after: state(B, "closed") } } },
  { name: "conversation.read_by_member", inboxId: A, payload: { conversationId: "conv_3", contactId: "contact_3", readAt: 1 } },
  { name: "notification.created", payload: { memberId: "m_bob", notification: { id: "n_1" } } },
  { name: "tag.created", payload: { tag: { id: "tag_1" } } },
  { name: "api_key.created", payload: { apiKey: { id: "key_new" } } },
  { name: "inbox_member.added", inboxId: B, payload: { memberId: "m_alice", inboxId: B } },
  { name: "message.created", inboxId: B, payload: { message: message("incoming", "conv_2"), contactId: "contact_2", private: false } },
  { name: "inbox_member.removed", inboxId: A, payload: { memberId: "m_alice", inboxId: A } },
  { name: "message.created", inboxId: A, payload: { message: message("outgoing", "conv_1"), contactId: "contact_1", private: false } },
  { name: "contact.merged", payload: { mergedContactId: "contact_3", contactId: "contact_1" } },
  { name: "message.created", inboxId: A, payload: { message: message("outgoing", "conv_1"), contactId: "contact_1", private: false } },
  { name: "member.updated", payload: { member: { id: "m_dave", role: "admin" } } },
  { name: "message.created", inboxId: B, payload: { message: message("outgoing", "conv_2"), contactId: "contact_2", private: false } },
  { name: "member.removed", payload: { memberId: "m_bob" } },
  { name: "api_key.revoked", payload: { apiKeyId: "key_carol" } },
];

const SIGNALS: Signal[] = [
  { name: "typing.started", teamId: TEAM, inboxId: A, payload: { conversationId: "conv_1", contactId: "contact_1", member: { name: "Alice" } } },
  { name: "typing.started", teamId: TEAM, inboxId: B, payload: { conversationId: "conv_2", contactId: "contact_2" } },
  { name: "presence.changed", teamId: TEAM, payload: { memberId: "m_bob", status: "away" } },
];

describe("TeamConnections", () => {
  it("hands every socket exactly what handing every event to every socket would", () => {
    const indexed = world();
    const team = new TeamConnections();
    indexed.connections.forEach((connection) => team.add(connection));
    const everyone = world();
    EVENTS.forEach((event, i) => {
      const stored: StoredEvent = { ...event, seq: i + 1, teamId: TEAM, createdAt: 0 };
      team.dispatch(stored);
      // What the gateway did before the index: every socket applies and receives every event.
      everyone.connections.forEach((connection) => connection.applyAccessChange(stored));
      everyone.connections.forEach((connection) => connection.receive(stored));
    });
    for (const signal of SIGNALS) {
      team.ofSignal(signal).forEach((connection) => connection.signal(signal));
      everyone.connections.forEach((connection) => connection.signal(signal));
    }
    for (const [label, socket] of everyone.sockets) {
      const mine = indexed.sockets.get(label);
      expect({ label, frames: mine?.frames, closedWith: mine?.closedWith }).toEqual({ label, frames: socket.frames, closedWith: socket.closedWith });
    }
    // Not vacuous: the sockets saw different things, access changes took effect, the merge moved c3.
    const names = (label: string) => indexed.sockets.get(label)?.frames.map((frame) => (JSON.parse(frame) as { name?: string }).name);
    expect(names("c2")).toEqual(["conversation.updated", "message.created", "message.created"]);
    expect(names("c3")).toEqual(["conversation.seen", "message.created", "typing.started"]);
    expect(indexed.sockets.get("bob")?.closedWith).toBe(4001);
    expect(indexed.sockets.get("carol")?.closedWith).toBe(4001);
    expect(names("dave")?.filter((name) => name === "message.created")).toHaveLength(1);
  });

  it("moves a visitor whose contact is merged while their socket is still replaying what it missed", () => {
    const team = new TeamConnections();
    const socket = new RecordingSocket();
    const visitor = new VisitorConnection(socket as unknown as WebSocket, TEAM, "contact_3", (id) => `/a/${id}`);
    team.add(visitor);
    team.dispatch({ name: "contact.merged", teamId: TEAM, seq: 1, createdAt: 0, payload: { mergedContactId: "contact_3", contactId: "contact_1" } });
    visitor.goLive();
    team.dispatch({ name: "message.created", teamId: TEAM, seq: 2, createdAt: 0, inboxId: A, payload: { message: message("outgoing", "conv_1"), contactId: "contact_1", private: false } });
    team.dispatch({ name: "message.created", teamId: TEAM, seq: 3, createdAt: 0, inboxId: A, payload: { message: message("outgoing", "conv_3"), contactId: "contact_3", private: false } });
    expect(socket.frames.map((frame) => (JSON.parse(frame) as { seq: number }).seq)).toEqual([2]);
  });

  it("files a visitor under the surviving contact once a merge replayed from the log has moved them", () => {
    const team = new TeamConnections();
    const socket = new RecordingSocket();
    const visitor = new VisitorConnection(socket as unknown as WebSocket, TEAM, "contact_3", (id) => `/a/${id}`);
    team.add(visitor);
    // What the gateway's replay does: deliver() straight from the event log, then refile before going live.
    visitor.deliver({ name: "contact.merged", teamId: TEAM, seq: 1, createdAt: 0, payload: { mergedContactId: "contact_3", contactId: "contact_1" } });
    team.refile(visitor);
    visitor.goLive();
    team.dispatch({ name: "message.created", teamId: TEAM, seq: 2, createdAt: 0, inboxId: A, payload: { message: message("outgoing", "conv_1"), contactId: "contact_1", private: false } });
    expect(socket.frames.map((frame) => (JSON.parse(frame) as { seq: number }).seq)).toEqual([2]);
  });

  it("looks only at the sockets an event can concern", () => {
    const { connections } = world();
    const team = new TeamConnections();
    connections.forEach((connection) => team.add(connection));
    const label = (set: ReadonlySet<StreamConnection>) => [...connections].filter(([, c]) => set.has(c)).map(([l]) => l).sort();
    const event = (e: Omit<StoredEvent, "seq" | "teamId" | "createdAt">): StoredEvent => ({ ...e, seq: 1, teamId: TEAM, createdAt: 0 });
    expect(label(team.ofEvent(event(EVENTS[0]!)))).toEqual(["admin", "alice", "alice-2nd-tab", "c1", "c1-2nd-tab", "carol", "owner"]);
    expect(label(team.ofEvent(event(EVENTS[4]!)))).toEqual(["bob"]);
    // A conversation moved from A to B reaches both inboxes' members.
    expect(label(team.ofEvent(event(EVENTS[2]!)))).toEqual(["admin", "alice", "alice-2nd-tab", "bob", "c2", "carol", "owner"]);
    expect(label(team.ofSignal(SIGNALS[0]!))).toEqual(["admin", "alice", "alice-2nd-tab", "c1", "c1-2nd-tab", "carol", "owner"]);
    // A closed socket is forgotten.
    team.delete(connections.get("c1")!);
    expect(label(team.ofEvent(event(EVENTS[0]!)))).not.toContain("c1");
    expect(team.size).toBe(connections.size - 1);
  });
});
