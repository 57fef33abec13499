import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { api, ApiError } from "../api/client.js";
import type { Inbox, Member, Tag, Thread, ViewCounts } from "../api/types.js";
import { RealtimeClient, type ConnectionState, type RealtimeEvent } from "../realtime/client.js";
import { useSession } from "../session.js";
import { bucketOf, conversationIdOf } from "./views.js";

type ThreadListener = (thread: Thread | null, id: string) => void;

/** Someone typing in a conversation: the contact, or a member (in a reply or a note). */
export interface Typist {
  name: string;
  kind: "contact" | "member";
  private: boolean;
  until: number;
}

/** The team's data every screen of the workspace shares, kept live by the realtime socket. */
export interface WorkspaceData {
  realtime: RealtimeClient;
  connection: ConnectionState;
  members: Member[];
  inboxes: Inbox[];
  tags: Tag[];
  counts: ViewCounts | null;
  /** Conversations in Unassigned or Mine with messages I have not read: the tab title's number. */
  unreadIds: ReadonlySet<string>;
  typing: ReadonlyMap<string, Typist[]>;
  onlineMemberIds: ReadonlySet<string>;
  memberName: (id: string | null | undefined) => string | null;
  inboxName: (id: string) => string;
  /** Fresh copies of conversations as they change (null: gone or no longer visible). */
  onThread: (listener: ThreadListener) => () => void;
  /** Reports a conversation fetched or changed by this tab, so every screen agrees at once. */
  publishThread: (thread: Thread) => void;
  /** Bumped on resync: screens reload what they show. */
  resyncs: number;
  reloadTags: () => Promise<void>;
}

const WorkspaceContext = createContext<WorkspaceData | null>(null);

export function useWorkspace(): WorkspaceData {
  const data = useContext(WorkspaceContext);
  if (!data) {
    throw new Error("useWorkspace() outside <WorkspaceProvider>");
  }
  return data;
}

const TYPING_MS = 6000;

/** Loads members, inboxes, tags and counts, runs the realtime socket and turns its events into fresh conversations. */
export function WorkspaceProvider({ children }: { children: ReactNode }) {
  const session = useSession();
  const me = session.member.id;
  const realtime = useMemo(() => new RealtimeClient(), []);
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const [members, setMembers] = useState<Member[]>([]);
  const [inboxes, setInboxes] = useState<Inbox[]>([]);
  const [tags, setTags] = useState<Tag[]>([]);
  const [counts, setCounts] = useState<ViewCounts | null>(null);
  const [unreadIds, setUnreadIds] = useState<ReadonlySet<string>>(new Set());
  const [typing, setTyping] = useState<ReadonlyMap<string, Typist[]>>(new Map());
  const [onlineMemberIds, setOnline] = useState<ReadonlySet<string>>(new Set());
  const [resyncs, setResyncs] = useState(0);
  const threadListeners = useRef(new Set<ThreadListener>());
  const pending = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const countsSeq = useRef(0);

  const trackUnread = useCallback(
    (thread: Thread | null, id: string) => {
      const bucket = thread ? bucketOf(thread) : null;
      const counted = thread !== null && thread.unreadCount > 0 && (bucket === "unassigned" || (bucket === "assigned" && thread.assignedToMemberId === me));
      setUnreadIds((current) => {
        if (counted === current.has(id)) {
          return current;
        }
        const next = new Set(current);
        if (counted) {
          next.add(id);
        } else {
          next.delete(id);
        }
        return next;
      });
    },
    [me],
  );

  const publish = useCallback(
    (thread: Thread | null, id: string) => {
      trackUnread(thread, id);
      threadListeners.current.forEach((listener) => listener(thread, id));
    },
    [trackUnread],
  );

  // Several events about one conversation in a burst cost one request.
  const refetch = useCallback(
    (id: string) => {
      const timers = pending.current;
      clearTimeout(timers.get(id));
      timers.set(
        id,
        setTimeout(() => {
          timers.delete(id);
          api
            .get<{ thread: Thread }>(`/threads/${id}`)
            .then(({ thread }) => publish(thread, id))
            .catch((error: unknown) => {
              if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
                publish(null, id);
              }
            });
        }, 40),
      );
    },
    [publish],
  );

  const loadCounts = useCallback(async () => {
    const { data } = await api.get<{ data: ViewCounts }>("/conversations/counts");
    setCounts(data);
  }, []);

  const loadUnread = useCallback(async () => {
    const [unassigned, mine] = await Promise.all(["unassigned", "mine"].map((view) => api.get<{ threads: Thread[] }>("/threads", { inboxView: view, limit: 100 })));
    const ids = [...(unassigned?.threads ?? []), ...(mine?.threads ?? [])].filter((thread) => thread.unreadCount > 0).map((thread) => thread.id);
    setUnreadIds(new Set(ids));
  }, []);

  const reloadTags = useCallback(async () => {
    setTags((await api.get<{ data: Tag[] }>("/tags")).data);
  }, []);

  const loadTeam = useCallback(async () => {
    const [memberList, inboxList] = await Promise.all([api.get<{ members: Member[] }>("/members"), api.get<{ data: Inbox[] }>("/inboxes")]);
    setMembers(memberList.members);
    setOnline(new Set(memberList.members.filter((member) => member.online).map((member) => member.id)));
    setInboxes(inboxList.data);
  }, []);

  useEffect(() => {
    void loadTeam().catch(() => undefined);
    void reloadTags().catch(() => undefined);
    void loadUnread().catch(() => undefined);
  }, [loadTeam, reloadTags, loadUnread]);

  useEffect(() => {
    const onEvent = (event: RealtimeEvent) => {
      const id = conversationIdOf(event.data);
      if (event.name.startsWith("conversation.") || event.name === "message.created") {
        if (id) {
          refetch(id);
        }
        if (event.name === "message.created" && id) {
          const message = event.data.message as { author?: { kind?: string; id?: string } } | undefined;
          // A message ends its author's typing indicator.
          const authorKind = message?.author?.kind === "contact" ? "contact" : "member";
          setTyping((current) => {
            const list = current.get(id);
            if (!list) {
              return current;
            }
            const rest = list.filter((entry) => entry.kind !== authorKind);
            const next = new Map(current);
            if (rest.length > 0) {
              next.set(id, rest);
            } else {
              next.delete(id);
            }
            return next;
          });
        }
      } else if (event.name === "contact.blocked" || event.name === "contact.unblocked" || event.name === "contact.deleted") {
        setResyncs((value) => value + 1);
      } else if (event.name.startsWith("member.") || event.name.startsWith("inbox")) {
        void loadTeam().catch(() => undefined);
      } else if (event.name.startsWith("tag.")) {
        void reloadTags().catch(() => undefined);
      }
    };
    const unsubscribe = realtime.subscribe({
      state: setConnection,
      event: onEvent,
      counts: (delta, seq) => {
        if (seq <= countsSeq.current) {
          return;
        }
        setCounts((current) => {
          if (!current) {
            return current;
          }
          const next = { ...current };
          for (const [view, change] of Object.entries(delta)) {
            if (view in next && typeof change === "number") {
              next[view as keyof ViewCounts] = Math.max(0, next[view as keyof ViewCounts] + change);
            }
          }
          return next;
        });
      },
      hello: (resumed) => {
        if (!resumed) {
          countsSeq.current = Number.MAX_SAFE_INTEGER;
          void loadCounts()
            .catch(() => undefined)
            .finally(() => {
              countsSeq.current = 0;
            });
        }
      },
      resync: () => {
        setResyncs((value) => value + 1);
        void loadUnread().catch(() => undefined);
        void loadTeam().catch(() => undefined);
      },
      signal: ({ name, data }) => {
        if (name === "presence.changed" && typeof data.memberId === "string") {
          const memberId = data.memberId;
          setOnline((current) => {
            const next = new Set(current);
            if (data.online === true) {
              next.add(memberId);
            } else {
              next.delete(memberId);
            }
            return next;
          });
          return;
        }
        if ((name === "typing.started" || name === "typing.stopped") && typeof data.conversationId === "string") {
          const conversationId = data.conversationId;
          const contact = data.contact as { name?: string | null } | undefined;
          const member = data.member as { id?: string; name?: string } | undefined;
          const typist: Typist = { name: member?.name ?? contact?.name ?? "The visitor", kind: member ? "member" : "contact", private: data.private === true, until: Date.now() + TYPING_MS };
          setTyping((current) => {
            const next = new Map(current);
            const others = (current.get(conversationId) ?? []).filter((entry) => entry.kind !== typist.kind || entry.name !== typist.name);
            const list = name === "typing.started" ? [...others, typist] : others;
            if (list.length > 0) {
              next.set(conversationId, list);
            } else {
              next.delete(conversationId);
            }
            return next;
          });
        }
      },
    });
    realtime.start();
    // Typing indicators expire if the "stopped" never comes (a closed tab).
    const sweeper = setInterval(() => {
      const now = Date.now();
      setTyping((current) => {
        let changed = false;
        const next = new Map<string, Typist[]>();
        for (const [id, list] of current) {
          const alive = list.filter((entry) => entry.until > now);
          changed ||= alive.length !== list.length;
          if (alive.length > 0) {
            next.set(id, alive);
          }
        }
        return changed ? next : current;
      });
    }, 1000);
    return () => {
      unsubscribe();
      realtime.stop();
      clearInterval(sweeper);
    };
  }, [realtime, refetch, loadCounts, loadTeam, loadUnread, reloadTags]);

  const value = useMemo<WorkspaceData>(
    () => ({
      realtime,
      connection,
      members,
      inboxes,
      tags,
      counts,
      unreadIds,
      typing,
      onlineMemberIds,
      resyncs,
      reloadTags,
      memberName: (id) => (id ? (members.find((member) => member.id === id)?.name ?? null) : null),
      inboxName: (id) => inboxes.find((inbox) => inbox.id === id)?.name ?? "Inbox",
      onThread: (listener) => {
        threadListeners.current.add(listener);
        return () => threadListeners.current.delete(listener);
      },
      publishThread: (thread) => publish(thread, thread.id),
    }),
    [realtime, connection, members, inboxes, tags, counts, unreadIds, typing, onlineMemberIds, resyncs, reloadTags, publish],
  );

  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}
