import { useLayoutEffect, useRef } from "react";
import type { AttachmentSummary, Message } from "../api/types.js";
import { clockTime } from "../lib/time.js";
import { Button } from "../ui/index.js";
import type { Typist } from "./store.js";

/** A reply shown before the server has it: sending, or failed with a retry. */
export interface PendingMessage {
  key: string;
  content: string;
  private: boolean;
  attachments: AttachmentSummary[];
  state: "sending" | "failed";
  error?: string;
}

function Attachment({ file }: { file: AttachmentSummary }) {
  if (file.contentType.startsWith("image/")) {
    const width = file.width ?? 240;
    const height = file.height ?? 180;
    const scale = Math.min(1, 280 / width, 220 / height);
    return (
      <a href={file.url} target="_blank" rel="noreferrer" className="attachment-image">
        <img src={file.url} alt={file.fileName} width={Math.round(width * scale)} height={Math.round(height * scale)} loading="lazy" />
      </a>
    );
  }
  if (file.contentType.startsWith("audio/")) {
    return (
      <audio className="attachment-audio" controls preload="none" src={file.url} aria-label={`Audio message ${file.fileName}`}>
        <a href={file.url}>{file.fileName}</a>
      </audio>
    );
  }
  return (
    <a className="attachment-file" href={file.url} target="_blank" rel="noreferrer" download={file.fileName}>
      📎 {file.fileName} <span className="muted">({Math.max(1, Math.round(file.size / 1024))} KB)</span>
    </a>
  );
}

function Bubble({ message, readByContact }: { message: Message; readByContact: boolean }) {
  if (message.direction === "activity") {
    return (
      <li className="msg activity" data-direction="activity">
        <span>{message.content}</span> <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
      </li>
    );
  }
  const mine = message.direction !== "incoming";
  return (
    <li className={`msg ${message.direction} ${mine ? "mine" : "theirs"}`} data-direction={message.direction} data-message-id={message.id}>
      <div className="bubble">
        {message.direction === "note" ? <span className="note-label">Private note</span> : null}
        {message.content ? <p className="msg-text">{message.content}</p> : null}
        {message.attachments.map((file) => (
          <Attachment key={file.id} file={file} />
        ))}
      </div>
      <div className="msg-meta">
        <span>{message.author.name ?? (message.author.kind === "bot" ? "Bot" : message.author.kind === "contact" ? "Visitor" : "")}</span>
        <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
        {message.direction === "outgoing" ? <span className="read-state">{readByContact || message.readAt ? "Seen" : "Sent"}</span> : null}
      </div>
    </li>
  );
}

/** The thread, oldest first, staying at the bottom as messages arrive unless the reader scrolled up. */
export function MessageList({
  messages,
  pending,
  readUpTo,
  typing,
  hasOlder,
  onLoadOlder,
  onRetry,
  onDiscard,
}: {
  messages: Message[];
  pending: PendingMessage[];
  readUpTo: string | null;
  typing: Typist[];
  hasOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (key: string) => void;
  onDiscard: (key: string) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const firstId = useRef<string | undefined>(undefined);
  const previousHeight = useRef(0);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) {
      return;
    }
    const first = messages[0]?.id;
    if (firstId.current !== undefined && first !== firstId.current && !atBottom.current) {
      // Older messages were added above: keep what the reader was looking at in place.
      element.scrollTop += element.scrollHeight - previousHeight.current;
    } else if (atBottom.current) {
      element.scrollTop = element.scrollHeight;
    }
    firstId.current = first;
    previousHeight.current = element.scrollHeight;
  }, [messages, pending, typing.length]);

  const contactTyping = typing.find((entry) => entry.kind === "contact");
  const memberTyping = typing.filter((entry) => entry.kind === "member");

  return (
    <div
      className="messages"
      ref={scroller}
      onScroll={(event) => {
        const element = event.currentTarget;
        atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
      }}
    >
      {hasOlder ? (
        <div className="load-older">
          <Button variant="ghost" onClick={onLoadOlder}>
            Load earlier messages
          </Button>
        </div>
      ) : null}
      <ol className="message-list" aria-label="Messages" aria-live="polite" aria-relevant="additions">
        {messages.map((message) => (
          <Bubble key={message.id} message={message} readByContact={readUpTo !== null && message.createdAt <= readUpTo} />
        ))}
        {pending.map((entry) => (
          <li key={entry.key} className={`msg ${entry.private ? "note" : "outgoing"} mine pending ${entry.state}`} data-direction={entry.private ? "note" : "outgoing"}>
            <div className="bubble">
              {entry.private ? <span className="note-label">Private note</span> : null}
              {entry.content ? <p className="msg-text">{entry.content}</p> : null}
              {entry.attachments.map((file) => (
                <span key={file.id} className="attachment-file">
                  📎 {file.fileName}
                </span>
              ))}
            </div>
            <div className="msg-meta">
              {entry.state === "sending" ? (
                <span>Sending…</span>
              ) : (
                <span className="failed" role="alert">
                  Not sent{entry.error ? `: ${entry.error}` : ""}.{" "}
                  <button type="button" className="link" onClick={() => onRetry(entry.key)}>
                    Retry
                  </button>{" "}
                  <button type="button" className="link" onClick={() => onDiscard(entry.key)}>
                    Discard
                  </button>
                </span>
              )}
            </div>
          </li>
        ))}
      </ol>
      <div className="typing-line" aria-live="polite">
        {contactTyping ? <span data-testid="contact-typing">{contactTyping.name} is typing…</span> : null}
        {memberTyping.length > 0 ? <span className="muted"> {memberTyping.map((entry) => entry.name).join(", ")} {memberTyping.length > 1 ? "are" : "is"} writing{memberTyping.every((entry) => entry.private) ? " a note" : ""}…</span> : null}
      </div>
    </div>
  );
}
