import { useCallback, useEffect, useMemo, useState } from "react";
import { api, errorMessage } from "../api/client.js";
import type { Thread } from "../api/types.js";
import { navigate } from "../lib/router.js";
import { useSession } from "../session.js";
import { Notice } from "../ui/index.js";
import { CommandPalette, type Command } from "./command-palette.js";
import { ConversationList } from "./conversation-list.js";
import { ConversationPane } from "./conversation-pane.js";
import { snoozePresets } from "./conversation-actions.js";
import { DetailsPanel } from "./details-panel.js";
import { ShortcutHelp } from "./shortcut-help.js";
import { useWorkspace } from "./store.js";
import { useConversationList } from "./use-conversation-list.js";
import { SIDEBAR_VIEWS, viewPath, type ListFilters, type SidebarView } from "./views.js";

/** Whether a key press happened in a text field, where plain-key shortcuts must not fire. */
function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName));
}

/** The list, the open conversation and its details, with the keyboard shortcuts. */
export function InboxScreen({ view, conversationId, filters }: { view: SidebarView; conversationId: string | null; filters: ListFilters }) {
  const { member, signOut } = useSession();
  const { inboxes, publishThread } = useWorkspace();
  const list = useConversationList(view, filters);
  const [thread, setThread] = useState<Thread | null>(null);
  const [palette, setPalette] = useState(false);
  const [help, setHelp] = useState(false);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onThreadLoaded = useCallback((loaded: Thread | null) => setThread(loaded), []);

  const open = useCallback((id: string | null) => navigate(viewPath(view, id, filters)), [view, filters]);

  const step = useCallback(
    (by: number) => {
      const ids = list.threads.map((entry) => entry.id);
      if (ids.length === 0) {
        return;
      }
      const index = conversationId ? ids.indexOf(conversationId) : -1;
      const next = ids[index === -1 ? (by > 0 ? 0 : ids.length - 1) : Math.min(ids.length - 1, Math.max(0, index + by))];
      if (next) {
        open(next);
      }
      if (index + by >= ids.length - 3) {
        list.loadMore();
      }
    },
    [list, conversationId, open],
  );

  const patch = useCallback(
    async (body: Record<string, unknown>) => {
      if (!conversationId) {
        return;
      }
      try {
        const { thread: updated } = await api.patch<{ thread: Thread }>(`/threads/${conversationId}`, body);
        publishThread(updated);
      } catch (caught) {
        setError(errorMessage(caught));
      }
    },
    [conversationId, publishThread],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Alt+J / Alt+K / Alt+E work everywhere, the composer included; event.code, since macOS turns Alt+J into "∆".
      if (event.altKey && !event.ctrlKey && !event.metaKey) {
        if (event.code === "KeyJ" || event.code === "KeyK") {
          event.preventDefault();
          step(event.code === "KeyJ" ? 1 : -1);
          return;
        }
        if (event.code === "KeyE" && conversationId) {
          event.preventDefault();
          void patch({ status: "closed" });
          return;
        }
      }
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setPalette((current) => !current);
        return;
      }
      if (event.key === "?" && !isTyping(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        setHelp(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [step, patch, conversationId]);

  const commands = useMemo<Command[]>(() => {
    const list: Command[] = SIDEBAR_VIEWS.map((entry) => ({ id: `view-${entry.id}`, label: `Go to ${entry.label}`, run: () => navigate(viewPath(entry.id, null, filters)) }));
    if (conversationId) {
      list.push(
        { id: "assign-me", label: "Assign to me", run: () => void patch({ assignedToMemberId: member.id }) },
        { id: "unassign", label: "Unassign", run: () => void patch({ assignedToMemberId: null }) },
        { id: "close", label: "Close conversation", hint: "Alt+E", run: () => void patch({ status: "closed" }) },
        { id: "reopen", label: "Reopen conversation", run: () => void patch({ status: "open" }) },
        ...snoozePresets().map((preset) => ({ id: `snooze-${preset.label}`, label: `Snooze: ${preset.label}`, run: () => void patch({ status: "snoozed", snoozedUntil: preset.until.toISOString() }) })),
      );
    }
    list.push({ id: "inbox-all", label: "Show all inboxes", run: () => navigate(viewPath(view, conversationId, { ...filters, inboxId: undefined })) });
    for (const inbox of inboxes) {
      list.push({ id: `inbox-${inbox.id}`, label: `Switch to inbox: ${inbox.name}`, run: () => navigate(viewPath(view, null, { ...filters, inboxId: inbox.id })) });
      if (conversationId) {
        list.push({ id: `transfer-${inbox.id}`, label: `Transfer to inbox: ${inbox.name}`, run: () => void patch({ inboxId: inbox.id }) });
      }
    }
    list.push({ id: "settings", label: "Open settings", run: () => navigate("/settings") }, { id: "help", label: "Keyboard shortcuts", hint: "?", run: () => setHelp(true) }, { id: "signout", label: "Sign out", run: () => void signOut() });
    return list;
  }, [conversationId, filters, inboxes, member.id, patch, signOut, view]);

  return (
    <div className={`inbox-screen ${conversationId ? "has-conversation" : ""} ${detailsOpen ? "details-open" : ""}`}>
      <ConversationList view={view} filters={filters} list={list} selectedId={conversationId} />
      {conversationId ? (
        <>
          <ConversationPane key={conversationId} conversationId={conversationId} onBack={() => open(null)} onThreadLoaded={onThreadLoaded} detailsOpen={detailsOpen} onToggleDetails={() => setDetailsOpen((open) => !open)} />
          {thread && thread.id === conversationId ? <DetailsPanel thread={thread} onClose={detailsOpen ? () => setDetailsOpen(false) : undefined} /> : <aside className="details-panel" aria-label="Details" />}
        </>
      ) : (
        <section className="conversation-pane empty" aria-label="No conversation open">
          <p className="muted">Pick a conversation. Alt+J and Alt+K move through the list, Ctrl+K opens the command palette, ? lists every shortcut.</p>
        </section>
      )}
      {error ? (
        <div className="toast">
          <Notice onDismiss={() => setError(null)}>{error}</Notice>
        </div>
      ) : null}
      {palette ? <CommandPalette commands={commands} onClose={() => setPalette(false)} /> : null}
      {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
    </div>
  );
}
