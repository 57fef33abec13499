import { useEffect, useMemo, useState } from "react";
import { api } from "../api/client.js";
import type { Member, QuickReply } from "../api/types.js";

/** What the composer offers under the caret: a quick reply (after "/") or a teammate (after "@" in a note). */
export type Suggestion = { kind: "quick-reply"; reply: QuickReply } | { kind: "mention"; id: string; name: string };

export interface Token {
  kind: "quick-reply" | "mention";
  query: string;
  /** Where the "/" or "@" is. */
  start: number;
}

/** The token being typed at the caret: "/ref" opens quick replies, "@al" (in a note) mentions. */
export function tokenAt(text: string, caret: number, note: boolean): Token | null {
  const before = text.slice(0, caret);
  const slash = /(^|\s)\/([\w-]*)$/.exec(before);
  if (slash) {
    return { kind: "quick-reply", query: slash[2] ?? "", start: caret - (slash[2]?.length ?? 0) - 1 };
  }
  if (note) {
    const at = /(^|\s)@([\p{L}\p{N}._-]*(?: [\p{L}\p{N}._-]*)?)$/u.exec(before);
    if (at) {
      return { kind: "mention", query: at[2] ?? "", start: caret - (at[2]?.length ?? 0) - 1 };
    }
  }
  return null;
}

/** The text a suggestion puts in place of its token. */
export function suggestionText(suggestion: Suggestion): string {
  return suggestion.kind === "quick-reply" ? suggestion.reply.content : `@${suggestion.name} `;
}

/** Searches quick replies as the shortcut is typed (debounced), or filters teammates for a mention. */
export function useSuggestions(token: Token | null, members: Member[], meId: string): Suggestion[] {
  const [quickReplies, setQuickReplies] = useState<QuickReply[]>([]);

  useEffect(() => {
    if (token?.kind !== "quick-reply") {
      setQuickReplies([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api
        .get<{ data: QuickReply[] }>("/quick-replies", { q: token.query, limit: 8 }, controller.signal)
        .then(({ data }) => setQuickReplies(data))
        .catch(() => undefined);
    }, 80);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [token?.kind, token?.query]);

  return useMemo(() => {
    if (token?.kind === "quick-reply") {
      return quickReplies.map((reply) => ({ kind: "quick-reply" as const, reply }));
    }
    if (token?.kind === "mention") {
      const query = token.query.toLowerCase();
      return members
        .filter((entry) => entry.id !== meId && (entry.name.toLowerCase().includes(query) || entry.email.toLowerCase().startsWith(query)))
        .slice(0, 8)
        .map((entry) => ({ kind: "mention" as const, id: entry.id, name: entry.name }));
    }
    return [];
  }, [token, quickReplies, members, meId]);
}
