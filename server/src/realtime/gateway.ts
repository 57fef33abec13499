import type {} from "@fastify/websocket";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { WebSocket } from "ws";
import { agentClientFrame } from "../../../protocol/realtime.js";
import type { AppContext } from "../context.js";
import { AppError, unauthenticated } from "../errors.js";
import { visitInSlices } from "../lib/slices.js";
import type { Signal, StoredEvent } from "../events/domain-event.js";
import { actorFromCredential, credentialOf, resolveActor } from "../http/request-auth.js";
import { getVisibleConversation, visibleInboxIds } from "../modules/conversations/conversation.policy.js";
import { roleAtLeast } from "../modules/members/actor.js";
import { getMember } from "../modules/members/member.repo.js";
import { AgentConnection } from "./agent-connection.js";
import { PresenceTracker } from "./presence-tracker.js";
import { CloseCode, type StreamConnection } from "./stream-connection.js";
import { headSeq, oldestSeq, readEvents } from "./event-log.js";
import { TeamConnections } from "./team-connections.js";
import { TeamStream } from "./team-stream.js";
import { noteUpgrade, upgradeReleaser } from "./upgrade.js";

/** The most missed events a reconnecting client is sent; beyond it, it reloads over REST. */
export const MAX_REPLAY = 2000;
export const HEARTBEAT_MS = 25_000;
/** Credentials of open sockets are checked again this often (a revoked key or ended session stops the socket). */
export const REVALIDATE_EVERY_BEATS = 2;
/** Sockets a heartbeat visits in one turn of the event loop (see beat). */
export const HEARTBEAT_SLICE = 50;

/** What each credential stands for now, by kind and secret: a member id, null for no one, undefined if unread. */
type Verdicts = Map<string, Promise<string | null | undefined>>;

interface TeamEntry {
  stream: TeamStream;
  connections: TeamConnections;
}

/**
 * Realtime fan-out of committed events to sockets (agents here; widget visitors through attach()), in
 * per-team sequence order, with resume by sequence number and typing signals.
 */
export class RealtimeGateway {
  private readonly teams = new Map<string, Promise<TeamEntry>>();
  /** Who is connected, shared with every other process. */
  readonly presence: PresenceTracker;
  private readonly unsubscribe: (() => void)[];
  private readonly heartbeat: NodeJS.Timeout;
  private beats = 0;
  private beating = false;
  /** Sockets visited per turn of the event loop by a heartbeat (tests make it smaller). */
  heartbeatSlice = HEARTBEAT_SLICE;
  /** Each socket's connection, for the pong and close listeners every socket shares. */
  private readonly bySocket = new WeakMap<WebSocket, StreamConnection>();
  private readonly onPong: (this: WebSocket) => void;
  private readonly onClose: (this: WebSocket) => void;

  constructor(private readonly context: AppContext) {
    this.unsubscribe = [context.bus.subscribe((event) => this.onEvent(event)), context.bus.subscribeSignals((signal) => this.onSignal(signal))];
    this.presence = new PresenceTracker(context);
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    const bySocket = this.bySocket;
    const remove = (connection: StreamConnection) => this.remove(connection);
    this.onPong = function onPong(this: WebSocket) {
      const connection = bySocket.get(this);
      if (connection) {
        connection.alive = true;
      }
    };
    this.onClose = function onClose(this: WebSocket) {
      const connection = bySocket.get(this);
      if (connection) {
        void remove(connection);
      }
    };
  }

  /** Registers GET /api/realtime (WebSocket). */
  register(app: FastifyInstance): void {
    const release = upgradeReleaser(this.context.logger);
    app.get(
      "/api/realtime",
      {
        websocket: true,
        schema: { hide: true },
        onRequest: noteUpgrade,
        preValidation: async (request) => {
          request.actor = await resolveActor(this.context, request);
          if (!request.actor) {
            throw unauthenticated();
          }
          // Browsers send cookies on cross-site WebSocket upgrades too: only our own pages may use the session.
          if (request.actor.via === "session") {
            const origin = request.headers.origin;
            if (origin !== undefined && origin !== new URL(this.context.config.publicUrl).origin && origin !== `${request.protocol}://${request.host}`) {
              throw new AppError(403, "cross_site_request", "This connection came from another site and was refused.");
            }
          }
        },
      },
      (socket, request) => {
        release(socket, request);
        void this.accept(socket, request);
      },
    );
  }

  /** Closes every socket and stops listening. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.presence.clear().catch(() => undefined);
    for (const stop of this.unsubscribe) {
      stop();
    }
    for (const entry of this.teams.values()) {
      const { connections, stream } = await entry;
      stream.close();
      for (const connection of connections.all) {
        connection.socket.close(CloseCode.serverShutdown, "server shutting down");
      }
    }
    this.teams.clear();
  }

  /** How many sockets are open (for tests and metrics). */
  async connectionCount(): Promise<number> {
    let total = 0;
    for (const entry of this.teams.values()) {
      total += (await entry).connections.size;
    }
    return total;
  }

  private async accept(socket: WebSocket, request: FastifyRequest): Promise<void> {
    const actor = request.actor;
    if (!actor) {
      socket.close(CloseCode.unauthorized, "unauthenticated");
      return;
    }
    const { database, logger } = this.context;
    const credential = credentialOf(request);
    if (!credential) {
      socket.close(CloseCode.unauthorized, "unauthenticated");
      return;
    }
    const query = request.query as { lastSeq?: string };
    const lastSeq = query.lastSeq !== undefined && /^\d{1,15}$/.test(query.lastSeq) ? Number(query.lastSeq) : undefined;
    try {
      const inboxIds = await visibleInboxIds(database.db, actor, actor.teamId);
      const connection = new AgentConnection(socket, actor, inboxIds, credential, (conn) => void this.reloadAccess(conn));
      socket.on("message", (data: Buffer, isBinary: boolean) => void this.onFrame(connection, isBinary ? "" : data.toString("utf8")));
      socket.on("error", (error) => logger.debug({ err: error }, "agent socket error"));
      // connected() counts the socket before its first await, so a close that comes early still balances it.
      socket.on("close", () => void this.presence.disconnected(connection.memberId).catch((error: unknown) => logger.warn({ err: error }, "presence update failed")));
      const present = this.presence.connected(connection.memberId, connection.teamId);
      await this.attach(connection, lastSeq, { memberId: connection.memberId });
      await present;
    } catch (error) {
      logger.error({ err: error }, "could not open a realtime connection");
      socket.close(1011, "internal error");
    }
  }

  /**
   * Follows a team's stream with a connection: replays what it missed since `lastSeq` (or tells it to
   * reload), says hello, then sends live events; stops when the socket closes.
   */
  async attach(connection: StreamConnection, lastSeq: number | undefined, hello: Record<string, unknown>): Promise<void> {
    this.bySocket.set(connection.socket, connection);
    connection.socket.on("pong", this.onPong);
    connection.socket.on("close", this.onClose);
    const entry = await this.entryFor(connection.teamId);
    entry.connections.add(connection);
    await this.catchUp(connection, entry, lastSeq, hello);
  }

  /** Replays what a reconnecting client missed (or tells it to reload), then switches it to live events. */
  private async catchUp(connection: StreamConnection, entry: TeamEntry, lastSeq: number | undefined, hello: Record<string, unknown>): Promise<void> {
    const db = this.context.database.db;
    const live = entry.stream.delivered;
    if (lastSeq === undefined) {
      connection.lastSeq = live;
    } else {
      const [head, oldest] = await Promise.all([headSeq(db, connection.teamId), oldestSeq(db, connection.teamId)]);
      const aged = oldest !== undefined && lastSeq < oldest - 1;
      const missed = lastSeq > head || aged ? undefined : await readEvents(db, connection.teamId, lastSeq, MAX_REPLAY + 1);
      if (!missed || missed.length > MAX_REPLAY) {
        connection.lastSeq = Math.max(live, head);
        connection.send(JSON.stringify({ type: "resync", seq: connection.lastSeq, reason: lastSeq > head ? "unknown_position" : "too_far_behind" }));
      } else {
        connection.lastSeq = lastSeq;
        for (const event of missed) {
          connection.deliver(event);
          connection.lastSeq = event.seq;
        }
      }
    }
    // A replayed event can move what the socket is filed under (a visitor's contact merged meanwhile).
    entry.connections.refile(connection);
    connection.send(JSON.stringify({ type: "hello", seq: connection.lastSeq, ...hello }));
    connection.goLive();
  }

  private entryFor(teamId: string): Promise<TeamEntry> {
    let entry = this.teams.get(teamId);
    if (!entry) {
      entry = headSeq(this.context.database.db, teamId).then((head) => {
        const connections = new TeamConnections();
        const stream = new TeamStream(
          teamId,
          head,
          (team, after, to) => readEvents(this.context.database.db, team, after, to - after, to),
          (event) => connections.dispatch(event),
          (_from, to) => {
            for (const connection of connections.all) {
              connection.lastSeq = Math.max(connection.lastSeq, to);
              connection.send(JSON.stringify({ type: "resync", seq: connection.lastSeq, reason: "events_lost" }));
            }
          },
          this.context.logger,
        );
        return { stream, connections };
      });
      entry.catch(() => this.teams.delete(teamId));
      this.teams.set(teamId, entry);
    }
    return entry;
  }

  private async remove(connection: StreamConnection): Promise<void> {
    const pending = this.teams.get(connection.teamId);
    if (!pending) {
      return;
    }
    const entry = await pending;
    entry.connections.delete(connection);
    if (entry.connections.size === 0 && this.teams.get(connection.teamId) === pending) {
      entry.stream.close();
      this.teams.delete(connection.teamId);
    }
  }

  private onEvent(event: StoredEvent): void {
    const pending = this.teams.get(event.teamId);
    if (pending) {
      void pending.then((entry) => entry.stream.push(event));
    }
  }

  /** Files a socket again in its team's index once what it may see has changed. */
  private refile(connection: AgentConnection): void {
    void this.teams.get(connection.teamId)?.then(({ connections }) => connections.refile(connection));
  }

  private async reloadAccess(connection: AgentConnection): Promise<void> {
    // Until the reload is done a demoted member sees nothing new rather than too much.
    connection.inboxIds = roleAtLeast(connection.role, "admin") ? undefined : new Set();
    this.refile(connection);
    const actor = { ...connection.actor, role: connection.role };
    const ids = await visibleInboxIds(this.context.database.db, actor, connection.teamId);
    connection.inboxIds = ids ? new Set(ids) : undefined;
    this.refile(connection);
  }

  private async onFrame(connection: AgentConnection, text: string): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const frame = agentClientFrame.safeParse(parsed);
    if (!frame.success) {
      connection.send(JSON.stringify({ type: "error", code: "invalid_frame", message: frame.error.issues[0]?.message ?? "not a frame this endpoint understands" }));
      return;
    }
    if (frame.data.type === "ping") {
      connection.send(JSON.stringify({ type: "pong" }));
      return;
    }
    const { conversationId, state } = frame.data;
    try {
      const db = this.context.database.db;
      const actor = { ...connection.actor, role: connection.role };
      const conversation = await getVisibleConversation(db, actor, connection.teamId, conversationId);
      const member = await getMember(db, connection.teamId, connection.memberId);
      this.context.bus.publishSignal({
        name: state === "started" ? "typing.started" : "typing.stopped",
        teamId: connection.teamId,
        inboxId: conversation.inbox_id,
        payload: { conversationId, contactId: conversation.contact_id, member: { id: member.id, name: member.name }, private: frame.data.private === true },
        originConnectionId: connection.id,
      });
    } catch (error) {
      const code = error instanceof AppError ? error.code : "internal_error";
      connection.send(JSON.stringify({ type: "error", code, message: error instanceof Error ? error.message : "failed" }));
    }
  }

  private onSignal(signal: Signal): void {
    const pending = this.teams.get(signal.teamId);
    if (pending) {
      void pending.then(({ connections }) => {
        for (const connection of connections.ofSignal(signal)) {
          connection.signal(signal);
        }
      });
    }
  }

  /**
   * One heartbeat: pings (ending dead sockets), presence renewal, and every other time a credentials check.
   * The sockets are visited `heartbeatSlice` at a time, each slice in a turn of the event loop of its own and
   * after the previous slice's checks are done: visited at once, a thousand sockets held the loop for 13 to
   * 22 ms, and 50 to 200 ms when their credentials were read again, while every message arriving meanwhile
   * waited (decision 0006). A credential that several sockets share is read once a beat.
   */
  async beat(): Promise<void> {
    if (this.beating) {
      return; // the previous beat is still walking its sockets
    }
    this.beating = true;
    try {
      this.beats += 1;
      await this.presence.renew().catch((error: unknown) => this.context.logger.warn({ err: error }, "presence renewal failed"));
      const revalidate = this.beats % REVALIDATE_EVERY_BEATS === 0;
      const verdicts: Verdicts = new Map();
      const sockets: StreamConnection[] = [];
      for (const pending of [...this.teams.values()]) {
        const entry = await pending.catch(() => undefined);
        for (const connection of entry?.connections.all ?? []) {
          sockets.push(connection);
        }
      }
      await visitInSlices(sockets, this.heartbeatSlice, (connection) => {
        if (connection.socket.readyState !== connection.socket.OPEN) {
          return undefined; // closed since the walk began
        }
        if (!connection.alive) {
          connection.socket.terminate();
          return undefined;
        }
        connection.alive = false;
        connection.socket.ping();
        return revalidate && connection instanceof AgentConnection ? this.revalidate(connection, verdicts) : undefined;
      });
    } finally {
      this.beating = false;
    }
  }

  /**
   * Closes a socket whose session ended or key was revoked since it connected. `verdicts` holds, for each
   * credential, the member it stands for now (null: no one; undefined: it could not be read, and the socket
   * stays), read once for all the sockets of a beat that share it.
   */
  private async revalidate(connection: AgentConnection, verdicts: Verdicts): Promise<void> {
    const key = `${connection.credential.kind}:${connection.credential.secret}`;
    let verdict = verdicts.get(key);
    if (!verdict) {
      verdict = actorFromCredential(this.context, connection.credential).then(
        (found) => found?.actor.memberId ?? null,
        (error: unknown) => {
          this.context.logger.warn({ err: error }, "could not check a socket's credentials; will try again");
          return undefined;
        },
      );
      verdicts.set(key, verdict);
    }
    const memberId = await verdict;
    if (memberId !== undefined && memberId !== connection.memberId) {
      connection.socket.close(CloseCode.unauthorized, "credentials no longer valid");
    }
  }
}
