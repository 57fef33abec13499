import { foldWord, WORD, type SearchQuery } from "./search-query.js";

// Highlights are built here rather than by the engines (snippet(), ts_headline()): the text is cut into
// words and gaps, every piece is escaped, and only <mark> tags we write ourselves are added, so no
// content (not even a private-use "sentinel" character a customer typed) can produce markup. The same
// code serves SQLite and PostgreSQL, so both answer the same snippets.

/** Roughly how long a message snippet is, in UTF-16 units. */
export const SNIPPET_LENGTH = 200;
/** How much text comes before the first match in a snippet. */
const LEAD = 60;
/** How far a snippet edge may move to land on a space instead of mid-word. */
const SNAP = 24;

/** Tells whether a word of a document is one the query matched. */
export type WordMatcher = (word: string) => boolean;

/** The matcher of a query: exact words, and the last one as a prefix. */
export function matcherFor(query: SearchQuery): WordMatcher {
  const exact = new Set(query.terms.map(foldWord));
  const last = foldWord(query.terms.at(-1) ?? "");
  return (word) => {
    const folded = foldWord(word);
    return exact.has(folded) || (query.prefix && folded.startsWith(last));
  };
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe to place in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

interface Span {
  start: number;
  end: number;
}

function matchedSpans(text: string, matches: WordMatcher): Span[] {
  const spans: Span[] = [];
  for (const found of text.matchAll(WORD)) {
    if (matches(found[0])) {
      spans.push({ start: found.index, end: found.index + found[0].length });
    }
  }
  return spans;
}

/** text[from, to) as escaped HTML with the matched words (clipped to the range) in <mark>. */
function render(text: string, spans: Span[], from: number, to: number): string {
  let out = "";
  let at = from;
  for (const span of spans) {
    const start = Math.max(span.start, from);
    const end = Math.min(span.end, to);
    if (end <= start) {
      continue;
    }
    out += `${escapeHtml(text.slice(at, start))}<mark>${escapeHtml(text.slice(start, end))}</mark>`;
    at = end;
  }
  return out + escapeHtml(text.slice(at, to));
}

/** The whole text as escaped HTML with every matched word in <mark>; null stays null. */
export function highlightAll(text: string | null, matches: WordMatcher): string | null {
  return text === null ? null : render(text, matchedSpans(text, matches), 0, text.length);
}

/** About SNIPPET_LENGTH characters around the first match (the start when nothing matches), escaped, with <mark>s and … where cut. */
export function snippetOf(content: string, matches: WordMatcher): string {
  const text = content.replace(/\s+/gu, " ").trim();
  const spans = matchedSpans(text, matches);
  const first = spans[0];
  let start = first ? Math.max(0, first.start - LEAD) : 0;
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  start = Math.max(0, Math.min(start, end - SNIPPET_LENGTH));
  if (start > 0) {
    const space = text.indexOf(" ", start);
    start = space !== -1 && space < start + SNAP && (!first || space < first.start) ? space + 1 : graphemeStart(text, start);
  }
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    end = space > end - SNAP && (!first || space >= first.end) ? space : graphemeStart(text, end);
  }
  if (first) {
    end = Math.max(end, first.end);
  }
  return `${start > 0 ? "…" : ""}${render(text, spans, start, end)}${end < text.length ? "…" : ""}`;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The start of the grapheme (a whole emoji, a letter with its accents) that index falls in, so a cut never splits one. */
function graphemeStart(text: string, index: number): number {
  const from = Math.max(0, index - 32);
  let best = from;
  for (const { index: at } of graphemes.segment(text.slice(from, Math.min(text.length, index + 32)))) {
    if (from + at > index) {
      break;
    }
    best = from + at;
  }
  return best;
}
