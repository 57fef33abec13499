import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiError, errorMessage } from "../api/client.js";
import type { Message, PatchThreadBody, Thread } from "../api/types.js";
import { useSession } from "../session.js";
import { Button, Notice, Spinner } from "../ui/index.js";
import { Composer, type OutgoingMessage } from "./composer.js";
import { ConversationActions } from "./conversation-actions.js";
import { MessageList, type PendingMessage } from "./message-list.js";
import { useWorkspace } from "./store.js";

interface Outbox extends PendingMessage {
  body: { content: string; private: boolean; attachmentIds: string[] };
}

const CHANNEL_NAMES = { widget: "Website chat", email: "Email", api: "API" } as const;

function newKey(): string {
  return typeof crypto.randomUUID === "function" ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** Sorted by position, without duplicates. */
function merge(current: Message[], added: Message[]): Message[] {
  const byId = new Map(current.map((message) => [message.id, message]));
  for (const message of added) {
    byId.set(message.id, message);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** One conversation: header and actions, the live thread, and the composer. */
export function ConversationPane({ conversationId, onBack, onThreadLoaded, onToggleDetails, detailsOpen }: { conversationId: string; onBack: () => void; onThreadLoaded: (thread: Thread | null) => void; onToggleDetails: () => void; detailsOpen: boolean }) {
  const { member } = useSession();
  const { realtime, onThread, publishThread, typing, inboxName, resyncs } = useWorkspace();
  const [thread, setThread] = useState<Thread | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [olderCursor, setOlderCursor] = useState<string | null>(null);
  const [outbox, setOutbox] = useState<Outbox[]>([]);
  const [readUpTo, setReadUpTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const markingRead = useRef(false);

  useEffect(() => {
    let live = true;
    setThread(null);
    setMessages([]);
    setOutbox([]);
    setReadUpTo(null);
    setLoadError(null);
    Promise.all([api.get<{ thread: Thread }>(`/threads/${conversationId}`), api.get<{ messages: Message[]; nextCursor: string | null }>(`/threads/${conversationId}/messages`, { limit: 50 })])
      .then(([{ thread: loaded }, page]) => {
        if (!live) {
          return;
        }
        setThread(loaded);
        setMessages(page.messages);
        setOlderCursor(page.nextCursor);
        const lastRead = page.messages.filter((message) => message.direction === "outgoing" && message.readAt).at(-1);
        setReadUpTo(lastRead?.createdAt ?? null);
      })
      .catch((caught: unknown) => live && setLoadError(caught instanceof ApiError && caught.status === 404 ? "This conversation does not exist or you cannot see it." : errorMessage(caught)));
    return () => {
      live = false;
    };
  }, [conversationId, resyncs]);

  useEffect(() => onThreadLoaded(thread), [thread, onThreadLoaded]);

  // Everything the contact wrote is read once it is on screen.
  useEffect(() => {
    if (!thread || thread.unreadCount === 0 || markingRead.current) {
      return;
    }
    markingRead.current = true;
    api
      .post<{ thread: Thread }>(`/threads/${thread.id}/read`)
      .then(({ thread: updated }) => publishThread(updated))
      .catch(() => undefined)
      .finally(() => {
        markingRead.current = false;
      });
  }, [thread, publishThread]);

  useEffect(
    () =>
      onThread((updated, id) => {
        if (id === conversationId && updated) {
          setThread(updated);
        }
      }),
    [onThread, conversationId],
  );

  useEffect(
    () =>
      realtime.subscribe({
        event: ({ name, data }) => {
          if (name === "message.created") {
            const message = data.message as Message | undefined;
            if (message?.conversationId === conversationId) {
              setMessages((current) => merge(current, [message]));
              // The socket may beat the POST's answer (or bring a message whose answer was lost): drop its optimistic copy.
              if (message.author.kind === "member" && message.author.id === member.id) {
                setOutbox((current) => {
                  const index = current.findIndex((entry) => entry.content === message.content && entry.private === (message.direction === "note"));
                  return index === -1 ? current : current.filter((_entry, position) => position !== index);
                });
              }
            }
          } else if (name === "conversation.read_by_contact" && data.conversationId === conversationId) {
            const at = data.readAt;
            setReadUpTo(typeof at === "number" ? new Date(at).toISOString() : typeof at === "string" ? at : new Date().toISOString());
          }
        },
      }),
    [realtime, conversationId, member.id],
  );

  const change = useCallback(
    async (patch: PatchThreadBody) => {
      setError(null);
      try {
        const { thread: updated } = await api.patch<{ thread: Thread }>(`/threads/${conversationId}`, patch);
        setThread(updated);
        publishThread(updated);
      } catch (caught) {
        setError(errorMessage(caught));
      }
    },
    [conversationId, publishThread],
  );

  const deliver = useCallback(
    async (entry: Outbox) => {
      setOutbox((current) => current.map((item) => (item.key === entry.key ? { ...item, state: "sending", error: undefined } : item)));
      try {
        const { message } = await api.post<{ message: Message }>(`/threads/${conversationId}/messages`, entry.body, { "Idempotency-Key": entry.key });
        setMessages((current) => merge(current, [message]));
        setOutbox((current) => current.filter((item) => item.key !== entry.key));
        const { thread: updated } = await api.get<{ thread: Thread }>(`/threads/${conversationId}`);
        setThread(updated);
        publishThread(updated);
      } catch (caught) {
        setOutbox((current) => current.map((item) => (item.key === entry.key ? { ...item, state: "failed", error: errorMessage(caught) } : item)));
      }
    },
    [conversationId, publishThread],
  );

  const send = useCallback(
    (outgoing: OutgoingMessage) => {
      const entry: Outbox = {
        key: newKey(),
        content: outgoing.content,
        private: outgoing.private,
        attachments: outgoing.attachments,
        state: "sending",
        body: { content: outgoing.content, private: outgoing.private, attachmentIds: outgoing.attachments.map((file) => file.id) },
      };
      setOutbox((current) => [...current, entry]);
      void (async () => {
        if (outgoing.assignToMe) {
          await change({ assignedToMemberId: member.id });
        }
        await deliver(entry);
      })();
    },
    [change, deliver, member.id],
  );

  const loadOlder = () => {
    if (!olderCursor) {
      return;
    }
    api
      .get<{ messages: Message[]; nextCursor: string | null }>(`/threads/${conversationId}/messages`, { limit: 50, cursor: olderCursor })
      .then((page) => {
        setMessages((current) => merge(current, page.messages));
        setOlderCursor(page.nextCursor);
      })
      .catch((caught: unknown) => setError(errorMessage(caught)));
  };

  if (loadError) {
    return (
      <section className="conversation-pane" aria-label="Conversation">
        <Notice>{loadError}</Notice>
        <Button onClick={onBack}>Back to the list</Button>
      </section>
    );
  }
  if (!thread) {
    return (
      <section className="conversation-pane loading" aria-label="Conversation">
        <Spinner label="Loading the conversation" />
      </section>
    );
  }
  const name = thread.contact.name ?? thread.contact.email ?? `Visitor #${thread.number}`;
  return (
    <section className="conversation-pane" aria-label={`Conversation with ${name}`}>
      <header className="pane-header">
        <button type="button" className="btn btn-ghost back-button" aria-label="Back to the list" onClick={onBack}>
          ←
        </button>
        <div className="pane-title">
          <h2>{name}</h2>
          <span className="muted">
            #{thread.number} · {CHANNEL_NAMES[thread.channel]} · {inboxName(thread.inboxId)} · <span className={`status-text status-${thread.status}`}>{thread.status}</span>
            {thread.spam ? " · spam" : ""}
            {thread.contact.blocked ? " · blocked" : ""}
          </span>
        </div>
        <ConversationActions thread={thread} onChange={change} onError={setError} />
        <button type="button" className="btn btn-ghost details-toggle" aria-expanded={detailsOpen} onClick={onToggleDetails}>
          Details
        </button>
      </header>
      {error ? <Notice onDismiss={() => setError(null)}>{error}</Notice> : null}
      <MessageList
        messages={messages}
        pending={outbox}
        readUpTo={readUpTo}
        typing={typing.get(thread.id) ?? []}
        hasOlder={olderCursor !== null}
        onLoadOlder={loadOlder}
        onRetry={(key) => {
          const entry = outbox.find((item) => item.key === key);
          if (entry) {
            void deliver(entry);
          }
        }}
        onDiscard={(key) => setOutbox((current) => current.filter((item) => item.key !== key))}
      />
      <Composer key={thread.id} thread={thread} onSend={send} />
    </section>
  );
}
