import { invalidField } from "../../errors.js";

/** What the user typed, read as words: never as FTS5 or tsquery syntax. */
export interface SearchQuery {
  /** Whitespace-separated pieces as typed (trimmed of outer punctuation), each with its words. */
  chunks: QueryChunk[];
  /** Every word, in order (NFC). All must match. */
  terms: string[];
  /** Whether the last word also matches longer words that start with it ("invo" → "invoice"). */
  prefix: boolean;
}

export interface QueryChunk {
  /** The piece as typed, e.g. `alice@exa` or `+1555`: PostgreSQL indexes emails, hosts and signed numbers whole. */
  text: string;
  terms: string[];
}

/** Longest q accepted (checked by the request schema). */
export const MAX_QUERY_LENGTH = 200;

/** A single letter as a prefix would match a large part of the index for no useful result. */
const MIN_PREFIX_LENGTH = 2;

// Emoji pieces that are marks or digits rather than symbols: keycaps (1️⃣), variation selectors, the zero-width joiner.
const EMOJI_PARTS = /[0-9#*]\uFE0F?\u20E3|\u200D|\u20E3|\p{Variation_Selector}/gu;
/** A word: a letter or digit followed by letters, digits and combining marks (the marks of हिन्दी, or a decomposed é). */
export const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;

/** The words of a text, in order. */
export function wordsOf(text: string): string[] {
  return text.normalize("NFC").replace(EMOJI_PARTS, "").match(WORD) ?? [];
}

/** A word compared the way both engines compare it: lower case, Latin diacritics removed (FTS5 remove_diacritics 2). */
export function foldWord(word: string): string {
  return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC").toLowerCase();
}

/** Reads a search box's text into words; 400 validation_failed when it holds none (empty, punctuation, emoji). */
export function parseSearchQuery(q: string): SearchQuery {
  const chunks: QueryChunk[] = [];
  for (const piece of q.normalize("NFC").replace(EMOJI_PARTS, "").split(/\s+/u)) {
    const terms = piece.match(WORD) ?? [];
    if (terms.length > 0) {
      chunks.push({ text: trimPiece(piece), terms });
    }
  }
  const terms = chunks.flatMap((chunk) => chunk.terms);
  const last = terms.at(-1);
  if (last === undefined) {
    throw invalidField("q", "must contain at least one letter or digit");
  }
  return { chunks, terms, prefix: [...last].length >= MIN_PREFIX_LENGTH };
}

/** Drops punctuation around a piece ("(alice@acme.io)," → "alice@acme.io"), keeping a sign or slash right before the first word. */
function trimPiece(piece: string): string {
  const first = piece.search(/[\p{L}\p{N}]/u);
  const lead = first > 0 && /[+\-/]/.test(piece.charAt(first - 1)) ? first - 1 : first;
  const tail = piece.slice(lead).match(/^.*[\p{L}\p{N}\p{M}]/su);
  return tail ? tail[0] : piece.slice(lead);
}
