import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ClipboardEvent, type DragEvent, type KeyboardEvent } from "react";
import { api, errorMessage } from "../api/client.js";
import type { AttachmentSummary, Thread, Upload } from "../api/types.js";
import { drafts } from "../lib/storage.js";
import { useSession } from "../session.js";
import { Button, Popover } from "../ui/index.js";
import { suggestionText, tokenAt, useSuggestions, type Suggestion } from "./composer-suggestions.js";
import { EMOJI } from "./emoji.js";
import { useWorkspace } from "./store.js";

/** What the composer hands over to send. */
export interface OutgoingMessage {
  content: string;
  private: boolean;
  attachments: AttachmentSummary[];
  /** Assign the conversation to me first (the "assign to me?" prompt). */
  assignToMe?: boolean;
}

interface FileChip {
  localId: string;
  name: string;
  state: "uploading" | "ready" | "failed";
  upload?: AttachmentSummary;
  error?: string;
}

const TYPING_REPEAT_MS = 3000;
const TYPING_IDLE_MS = 4000;

/** Reply or private note, with emoji, files (button, drop, paste), quick replies, mentions and a kept draft. */
export function Composer({ thread, onSend }: { thread: Thread; onSend: (message: OutgoingMessage) => void }) {
  const { member } = useSession();
  const { members, realtime, memberName } = useWorkspace();
  const [note, setNote] = useState(false);
  const [text, setText] = useState(() => drafts.get(thread.id));
  const [files, setFiles] = useState<FileChip[]>([]);
  const [emojiOpen, setEmojiOpen] = useState(false);
  const [caret, setCaret] = useState(0);
  const [highlight, setHighlight] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [confirmAssign, setConfirmAssign] = useState(false);
  const [dragging, setDragging] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const typingSentAt = useRef(0);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => drafts.set(thread.id, text), [thread.id, text]);

  const stopTyping = useCallback(() => {
    clearTimeout(typingTimer.current);
    if (typingSentAt.current !== 0) {
      typingSentAt.current = 0;
      realtime.send({ type: "typing", conversationId: thread.id, state: "stopped" });
    }
  }, [realtime, thread.id]);

  useEffect(() => stopTyping, [stopTyping]);

  const token = useMemo(() => (dismissedAt === caret ? null : tokenAt(text, caret, note)), [text, caret, note, dismissedAt]);
  const suggestions = useSuggestions(token, members, member.id);

  useEffect(() => setHighlight(0), [suggestions.length, token?.kind]);

  // The caret goes where an insertion ended in the same commit that shows the new text, before the
  // browser handles another key; placing it a frame later would move it under keys typed meanwhile.
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const position = pendingCaret.current;
    pendingCaret.current = null;
    if (position !== null && box.current) {
      box.current.focus();
      box.current.setSelectionRange(position, position);
    }
  }, [text]);

  const placeCaret = (next: string, position: number) => {
    if (next === text) {
      box.current?.focus();
      box.current?.setSelectionRange(position, position);
      return;
    }
    pendingCaret.current = position;
    setText(next);
    setCaret(position);
  };

  const replaceToken = (insert: string) => {
    if (!token) {
      return;
    }
    const next = text.slice(0, token.start) + insert + text.slice(caret);
    const position = token.start + insert.length;
    placeCaret(next, position);
  };

  const choose = (suggestion: Suggestion) => {
    replaceToken(suggestionText(suggestion));
  };

  const insertAtCaret = (insert: string) => {
    const element = box.current;
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? text.length;
    const next = text.slice(0, start) + insert + text.slice(end);
    placeCaret(next, start + insert.length);
  };

  const upload = (list: FileList | File[]) => {
    for (const file of Array.from(list)) {
      const localId = `${Date.now()}-${Math.random()}`;
      setFiles((current) => [...current, { localId, name: file.name || "pasted file", state: "uploading" }]);
      api
        .upload<{ data: Upload & Partial<AttachmentSummary> }>(file)
        .then(({ data }) => {
          const summary: AttachmentSummary = { id: data.id, fileName: data.fileName, contentType: data.contentType, size: data.size, width: data.width ?? null, height: data.height ?? null, url: data.url ?? `/api/support/attachments/${data.id}` };
          setFiles((current) => current.map((chip) => (chip.localId === localId ? { ...chip, state: "ready", upload: summary } : chip)));
        })
        .catch((caught: unknown) => setFiles((current) => current.map((chip) => (chip.localId === localId ? { ...chip, state: "failed", error: errorMessage(caught) } : chip))));
    }
  };

  const uploading = files.some((chip) => chip.state === "uploading");
  const ready = files.flatMap((chip) => (chip.state === "ready" && chip.upload ? [chip.upload] : []));
  const canSend = !uploading && (text.trim() !== "" || ready.length > 0);
  const assignedElsewhere = !note && thread.assignedToMemberId !== null && thread.assignedToMemberId !== member.id;

  const send = (assignToMe?: boolean) => {
    if (!canSend) {
      return;
    }
    if (assignedElsewhere && assignToMe === undefined) {
      setConfirmAssign(true);
      return;
    }
    setConfirmAssign(false);
    onSend({ content: text.trim(), private: note, attachments: ready, ...(assignToMe ? { assignToMe } : {}) });
    setText("");
    setFiles([]);
    setCaret(0);
    stopTyping();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (suggestions.length > 0) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        setHighlight((current) => (current + (event.key === "ArrowDown" ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
        event.preventDefault();
        const chosen = suggestions[highlight];
        if (chosen) {
          choose(chosen);
        }
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        setDismissedAt(caret);
        return;
      }
    }
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  const onChange = (value: string, position: number) => {
    setText(value);
    setCaret(position);
    setDismissedAt(null);
    const now = Date.now();
    if (value.trim() !== "" && now - typingSentAt.current > TYPING_REPEAT_MS) {
      typingSentAt.current = now;
      realtime.send({ type: "typing", conversationId: thread.id, state: "started", private: note });
    }
    clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (event.dataTransfer.files.length > 0) {
      upload(event.dataTransfer.files);
    }
  };

  const onPaste = (event: ClipboardEvent) => {
    const pasted = Array.from(event.clipboardData.files);
    if (pasted.length > 0) {
      event.preventDefault();
      upload(pasted);
    }
  };

  return (
    <div
      className={`composer ${note ? "note-mode" : ""} ${dragging ? "dragging" : ""}`}
      onDragOver={(event) => {
        if (event.dataTransfer.types.includes("Files")) {
          event.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <div className="composer-tabs" role="tablist" aria-label="Message type">
        <button type="button" role="tab" aria-selected={!note} className={!note ? "active" : ""} onClick={() => setNote(false)}>
          Reply
        </button>
        <button type="button" role="tab" aria-selected={note} className={note ? "active" : ""} onClick={() => setNote(true)}>
          Private note
        </button>
        {note ? <span className="note-hint">Only your team sees notes; the visitor won't. Type @ to mention.</span> : null}
      </div>
      {confirmAssign ? (
        <div className="assign-prompt" role="alertdialog" aria-label="Assign to me?">
          <span>This conversation is assigned to {memberName(thread.assignedToMemberId) ?? "someone else"}. Assign it to you?</span>
          <Button variant="primary" onClick={() => send(true)}>
            Assign to me and send
          </Button>
          <Button onClick={() => send(false)}>Just send</Button>
          <Button variant="ghost" onClick={() => setConfirmAssign(false)}>
            Cancel
          </Button>
        </div>
      ) : null}
      {suggestions.length > 0 ? (
        <ul className="suggestions" role="listbox" aria-label={token?.kind === "mention" ? "Mention a teammate" : "Quick replies"}>
          {suggestions.map((suggestion, index) => (
            <li
              key={suggestion.kind === "quick-reply" ? suggestion.reply.id : suggestion.id}
              role="option"
              aria-selected={index === highlight}
              className={index === highlight ? "active" : ""}
              onPointerDown={(event) => {
                event.preventDefault();
                choose(suggestion);
              }}
            >
              {suggestion.kind === "quick-reply" ? (
                <>
                  <strong>/{suggestion.reply.shortcut}</strong> {suggestion.reply.title}
                  <span className="muted suggestion-preview">{suggestion.reply.content}</span>
                </>
              ) : (
                <>@{suggestion.name}</>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <textarea
        ref={box}
        className="composer-input"
        aria-label={note ? "Write a private note" : "Write a reply"}
        placeholder={note ? "Private note — the visitor won't see it" : "Reply… (/ for quick replies, Enter to send, Shift+Enter for a new line)"}
        rows={3}
        value={text}
        onChange={(event) => onChange(event.target.value, event.target.selectionStart)}
        onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        onBlur={stopTyping}
        aria-autocomplete="list"
        aria-expanded={suggestions.length > 0}
      />
      {files.length > 0 ? (
        <ul className="file-chips" aria-label="Attachments">
          {files.map((chip) => (
            <li key={chip.localId} className={`file-chip ${chip.state}`}>
              <span>{chip.name}</span>
              <span className="muted">{chip.state === "uploading" ? "uploading…" : chip.state === "failed" ? `failed: ${chip.error ?? ""}` : ""}</span>
              <button type="button" aria-label={`Remove ${chip.name}`} onClick={() => setFiles((current) => current.filter((entry) => entry.localId !== chip.localId))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="composer-bar">
        <div className="menu-anchor" data-popover-anchor>
          <Button variant="ghost" aria-label="Insert emoji" aria-expanded={emojiOpen} onClick={() => setEmojiOpen((open) => !open)}>
            🙂
          </Button>
          <Popover open={emojiOpen} onClose={() => setEmojiOpen(false)} label="Emoji" className="emoji-popover up">
            <div className="emoji-grid">
              {EMOJI.map((emoji) => (
                <button
                  key={emoji.char}
                  type="button"
                  aria-label={emoji.name}
                  title={emoji.name}
                  onClick={() => {
                    insertAtCaret(emoji.char);
                    setEmojiOpen(false);
                  }}
                >
                  {emoji.char}
                </button>
              ))}
            </div>
          </Popover>
        </div>
        <Button variant="ghost" aria-label="Attach files" onClick={() => fileInput.current?.click()}>
          📎
        </Button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label="Choose files to attach"
          onChange={(event) => {
            if (event.target.files) {
              upload(event.target.files);
            }
            event.target.value = "";
          }}
        />
        <span className="row-spacer" />
        <Button variant="primary" disabled={!canSend} onClick={() => send()}>
          {note ? "Add note" : "Send"}
        </Button>
      </div>
    </div>
  );
}
