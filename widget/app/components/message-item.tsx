import type { ChatMessage } from "../timeline.js";
import type { Attachment } from "../types.js";

const URL_PATTERN = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/g;

/** Text with its web addresses made into links (never HTML: Preact escapes the rest). */
function Linked({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <a href={part} target="_blank" rel="noopener noreferrer nofollow">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

function fileSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function AttachmentView({ attachment }: { attachment: Attachment }) {
  if (attachment.contentType.startsWith("image/") && attachment.url) {
    return (
      <a class="image" href={attachment.url} target="_blank" rel="noopener noreferrer">
        <img src={attachment.url} alt={attachment.fileName} width={attachment.width ?? undefined} height={attachment.height ?? undefined} loading="lazy" />
      </a>
    );
  }
  return attachment.url ? (
    <a class="file" href={attachment.url} target="_blank" rel="noopener noreferrer" download={attachment.fileName}>
      📎 {attachment.fileName} <span class="muted">({fileSize(attachment.size)})</span>
    </a>
  ) : (
    <span class="file">
      📎 {attachment.fileName} <span class="muted">({fileSize(attachment.size)})</span>
    </span>
  );
}

/** One message: the visitor's on the right, the team's on the left under the author's name. */
export function MessageItem({ message, showAuthor, teamName, onRetry }: { message: ChatMessage; showAuthor: boolean; teamName: string; onRetry: () => void }) {
  const mine = message.fromVisitor;
  const time = new Date(message.createdAt);
  return (
    <div class={`msg ${mine ? "mine" : "theirs"}${message.local ? ` ${message.local.status}` : ""}`} data-message-id={message.id}>
      {showAuthor && <p class="author">{message.author.name ?? teamName}</p>}
      <div class="bubble" title={time.toLocaleString()}>
        {message.content !== "" && (
          <p class="text">
            <Linked text={message.content} />
          </p>
        )}
        {message.attachments.map((attachment) => (
          <AttachmentView key={attachment.id || attachment.fileName} attachment={attachment} />
        ))}
      </div>
      {message.local?.status === "sending" && <p class="status">Sending…</p>}
      {message.local?.status === "failed" && (
        <p class="status error" role="alert">
          Not sent. {message.local.error}{" "}
          <button type="button" class="link" onClick={onRetry}>
            Retry
          </button>
        </p>
      )}
    </div>
  );
}
