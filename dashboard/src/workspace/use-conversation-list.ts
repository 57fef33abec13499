import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage } from "../api/client.js";
import type { Thread } from "../api/types.js";
import { useSession } from "../session.js";
import { useWorkspace } from "./store.js";
import { compareThreads, listQuery, threadMatches, type ListFilters, type SidebarView } from "./views.js";

const PAGE = 30;

export interface ConversationList {
  threads: Thread[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/**
 * One view's conversations, a page at a time (keyset cursor), kept live: a changed conversation is
 * re-checked against the view and its filters, moved to its place by activity, added or dropped.
 */
export function useConversationList(view: SidebarView, filters: ListFilters): ConversationList {
  const { member } = useSession();
  const { onThread, resyncs } = useWorkspace();
  const [threads, setThreads] = useState<Thread[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const generation = useRef(0);
  const loadingMore = useRef(false);
  const key = JSON.stringify([view, filters]);

  useEffect(() => {
    const controller = new AbortController();
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    const [currentView, currentFilters] = JSON.parse(key) as [SidebarView, ListFilters];
    api
      .get<{ threads: Thread[]; nextCursor: string | null }>("/threads", { ...listQuery(currentView, currentFilters), limit: PAGE }, controller.signal)
      .then((page) => {
        if (generation.current === mine) {
          setThreads(page.threads);
          setCursor(page.nextCursor);
        }
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) {
          setError(errorMessage(caught));
        }
      })
      .finally(() => {
        if (generation.current === mine) {
          setLoading(false);
        }
      });
    return () => controller.abort();
  }, [key, resyncs, reloads]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore.current) {
      return;
    }
    loadingMore.current = true;
    const mine = generation.current;
    api
      .get<{ threads: Thread[]; nextCursor: string | null }>("/threads", { ...listQuery(view, filters), limit: PAGE, cursor })
      .then((page) => {
        if (generation.current === mine) {
          setThreads((current) => {
            const known = new Set(current.map((thread) => thread.id));
            return [...current, ...page.threads.filter((thread) => !known.has(thread.id))];
          });
          setCursor(page.nextCursor);
        }
      })
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => {
        loadingMore.current = false;
      });
    // view and filters are part of key; cursor changes with each page.
  }, [cursor, key]);

  useEffect(
    () =>
      onThread((thread, id) => {
        setThreads((current) => {
          const index = current.findIndex((entry) => entry.id === id);
          const belongs = thread !== null && threadMatches(thread, view, filters, member.id);
          if (!belongs) {
            return index === -1 ? current : current.filter((entry) => entry.id !== id);
          }
          const rest = index === -1 ? current : current.filter((entry) => entry.id !== id);
          const last = rest.at(-1);
          // A conversation older than everything loaded belongs to a page not fetched yet.
          if (index === -1 && cursor !== null && last && compareThreads(thread, last) > 0) {
            return current;
          }
          return [...rest, thread].sort(compareThreads);
        });
      }),
    [onThread, key, member.id, cursor],
  );

  return { threads, loading, error, hasMore: cursor !== null, loadMore, reload: () => setReloads((value) => value + 1) };
}
