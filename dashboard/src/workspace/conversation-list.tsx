import { useEffect, useRef, useState } from "react";
import { api, errorMessage } from "../api/client.js";
import type { Channel, ConversationStatus, Thread } from "../api/types.js";
import { linkHandler, navigate } from "../lib/router.js";
import { relativeTime } from "../lib/time.js";
import { Avatar, Button, Notice, Spinner } from "../ui/index.js";
import { useWorkspace } from "./store.js";
import type { ConversationList as ListState } from "./use-conversation-list.js";
import { SIDEBAR_VIEWS, viewPath, type ListFilters, type SidebarView } from "./views.js";

const CHANNEL_LABELS: Record<Channel, string> = { widget: "Chat", email: "Email", api: "API" };
const STATUSES: ConversationStatus[] = ["open", "pending", "snoozed", "closed"];

/** The conversations of a view: filters, live rows, infinite scroll and bulk actions. */
export function ConversationList({ view, filters, list, selectedId }: { view: SidebarView; filters: ListFilters; list: ListState; selectedId: string | null }) {
  const { members, inboxes, tags, memberName, publishThread } = useWorkspace();
  const [showFilters, setShowFilters] = useState(Object.keys(filters).length > 0);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [bulkError, setBulkError] = useState<string | null>(null);
  const [bulkBusy, setBulkBusy] = useState(false);
  const sentinel = useRef<HTMLDivElement>(null);
  const { loadMore } = list;
  const title = SIDEBAR_VIEWS.find((entry) => entry.id === view)?.label ?? view;

  useEffect(() => setChecked(new Set()), [view, filters.inboxId, filters.tag]);

  useEffect(() => {
    const target = sentinel.current;
    if (!target || !list.hasMore) {
      return;
    }
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && loadMore(), { rootMargin: "400px" });
    observer.observe(target);
    return () => observer.disconnect();
  }, [list.hasMore, loadMore, list.threads.length]);

  const setFilter = (patch: ListFilters) => {
    const next: ListFilters = { ...filters, ...patch };
    for (const [name, value] of Object.entries(next)) {
      if (!value) {
        delete next[name as keyof ListFilters];
      }
    }
    navigate(viewPath(view, selectedId, next), { replace: true });
  };

  const toggle = (id: string) =>
    setChecked((current) => {
      const next = new Set(current);
      if (next.has(id)) {
        next.delete(id);
      } else {
        next.add(id);
      }
      return next;
    });

  const bulk = async (patch: (thread: Thread) => Record<string, unknown>) => {
    setBulkBusy(true);
    setBulkError(null);
    const chosen = list.threads.filter((thread) => checked.has(thread.id));
    const failures: string[] = [];
    await Promise.all(
      chosen.map(async (thread) => {
        try {
          const { thread: updated } = await api.patch<{ thread: Thread }>(`/threads/${thread.id}`, patch(thread));
          publishThread(updated);
        } catch (caught) {
          failures.push(`#${thread.number}: ${errorMessage(caught)}`);
        }
      }),
    );
    setBulkBusy(false);
    setChecked(new Set());
    if (failures.length > 0) {
      setBulkError(failures.join(" "));
    }
  };

  return (
    <section className="list-pane" aria-label={`${title} conversations`}>
      <header className="list-header">
        <h1>{title}</h1>
        <Button variant="ghost" aria-expanded={showFilters} onClick={() => setShowFilters((open) => !open)}>
          Filters{Object.keys(filters).length > 0 ? ` (${Object.keys(filters).length})` : ""}
        </Button>
      </header>
      {showFilters ? (
        <div className="filters" role="group" aria-label="Filters">
          <select aria-label="Filter by inbox" value={filters.inboxId ?? ""} onChange={(event) => setFilter({ inboxId: event.target.value })}>
            <option value="">All inboxes</option>
            {inboxes.map((inbox) => (
              <option key={inbox.id} value={inbox.id}>
                {inbox.name}
              </option>
            ))}
          </select>
          <select aria-label="Filter by assignee" value={filters.assignee ?? ""} onChange={(event) => setFilter({ assignee: event.target.value })}>
            <option value="">Anyone</option>
            <option value="none">Nobody</option>
            {members.map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
          </select>
          <select aria-label="Filter by tag" value={filters.tag ?? ""} onChange={(event) => setFilter({ tag: event.target.value })}>
            <option value="">Any tag</option>
            {tags.map((tag) => (
              <option key={tag.id} value={tag.name}>
                {tag.name}
              </option>
            ))}
          </select>
          <select aria-label="Filter by status" value={filters.status ?? ""} onChange={(event) => setFilter({ status: event.target.value as ConversationStatus })}>
            <option value="">Any status</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
          <select aria-label="Filter by channel" value={filters.channel ?? ""} onChange={(event) => setFilter({ channel: event.target.value as Channel })}>
            <option value="">Any channel</option>
            {(Object.keys(CHANNEL_LABELS) as Channel[]).map((channel) => (
              <option key={channel} value={channel}>
                {CHANNEL_LABELS[channel]}
              </option>
            ))}
          </select>
          {view === "closed" ? (
            <>
              <label className="inline-field">
                Closed from
                <input type="date" value={filters.from ?? ""} onChange={(event) => setFilter({ from: event.target.value })} />
              </label>
              <label className="inline-field">
                to
                <input type="date" value={filters.to ?? ""} onChange={(event) => setFilter({ to: event.target.value })} />
              </label>
            </>
          ) : null}
          {Object.keys(filters).length > 0 ? (
            <Button variant="ghost" onClick={() => navigate(viewPath(view, selectedId), { replace: true })}>
              Clear filters
            </Button>
          ) : null}
        </div>
      ) : null}
      {checked.size > 0 ? (
        <div className="bulk-bar" role="toolbar" aria-label="Bulk actions">
          <span>{checked.size} selected</span>
          <select aria-label="Assign selected to" value="" disabled={bulkBusy} onChange={(event) => event.target.value && void bulk(() => ({ assignedToMemberId: event.target.value === "none" ? null : event.target.value }))}>
            <option value="">Assign…</option>
            <option value="none">Unassign</option>
            {members.map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
          </select>
          <select aria-label="Tag selected" value="" disabled={bulkBusy} onChange={(event) => event.target.value && void bulk((thread) => ({ tags: [...new Set([...thread.tags, event.target.value])] }))}>
            <option value="">Tag…</option>
            {tags.map((tag) => (
              <option key={tag.id} value={tag.name}>
                {tag.name}
              </option>
            ))}
          </select>
          <Button disabled={bulkBusy} onClick={() => void bulk(() => ({ status: "closed" }))}>
            Close
          </Button>
          <Button variant="ghost" onClick={() => setChecked(new Set())}>
            Cancel
          </Button>
        </div>
      ) : null}
      {bulkError ? <Notice onDismiss={() => setBulkError(null)}>{bulkError}</Notice> : null}
      {list.error ? (
        <Notice>
          {list.error} <Button onClick={list.reload}>Retry</Button>
        </Notice>
      ) : null}
      <ul className="conversation-list" aria-busy={list.loading}>
        {list.threads.map((thread) => {
          const href = viewPath(view, thread.id, filters);
          const assignee = memberName(thread.assignedToMemberId);
          const name = thread.contact.name ?? thread.contact.email ?? `Visitor #${thread.number}`;
          return (
            <li key={thread.id} className={`conversation-row ${thread.id === selectedId ? "selected" : ""} ${thread.unreadCount > 0 ? "unread" : ""}`} data-conversation-id={thread.id}>
              <input type="checkbox" className="row-check" aria-label={`Select conversation with ${name}`} checked={checked.has(thread.id)} onChange={() => toggle(thread.id)} />
              <a href={href} onClick={linkHandler(href)} className="row-link" aria-current={thread.id === selectedId ? "true" : undefined}>
                <span className="row-top">
                  <span className="row-name">{name}</span>
                  <time className="row-time" dateTime={thread.lastActivityAt} title={new Date(thread.lastActivityAt).toLocaleString()}>
                    {relativeTime(thread.lastActivityAt)}
                  </time>
                </span>
                <span className="row-preview">{thread.lastMessage?.preview ?? thread.subject ?? ""}</span>
                <span className="row-meta">
                  <span className={`badge channel-${thread.channel}`}>{CHANNEL_LABELS[thread.channel]}</span>
                  {thread.status !== "open" ? <span className={`badge status-${thread.status}`}>{thread.status}</span> : null}
                  {thread.spam ? <span className="badge status-spam">spam</span> : null}
                  <span className="row-spacer" />
                  {thread.unreadCount > 0 ? (
                    <span className="unread-badge" aria-label={`${thread.unreadCount} unread`}>
                      {thread.unreadCount}
                    </span>
                  ) : null}
                  {assignee ? <Avatar name={assignee} size={20} title={`Assigned to ${assignee}`} /> : null}
                </span>
              </a>
            </li>
          );
        })}
      </ul>
      {list.loading && list.threads.length === 0 ? (
        <div className="list-empty">
          <Spinner label="Loading conversations" />
        </div>
      ) : null}
      {!list.loading && list.threads.length === 0 && !list.error ? <p className="list-empty">No conversations here.</p> : null}
      {list.hasMore ? (
        <div ref={sentinel} className="list-more">
          <Button variant="ghost" onClick={loadMore}>
            Load more
          </Button>
        </div>
      ) : null}
    </section>
  );
}
