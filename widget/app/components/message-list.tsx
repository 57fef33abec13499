import { Fragment, type ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { ChatController, ChatState } from "../chat.js";
import { MessageItem } from "./message-item.js";

/** The conversation: greeting, messages (with a line where a conversation ended), typing, and the rating prompt. */
export function MessageList({ chat, state, children }: { chat: ChatController; state: ChatState; children?: ComponentChildren }) {
  const listRef = useRef<HTMLDivElement>(null);
  const { messages, conversations, inbox, typing } = state;
  const last = messages.at(-1);

  useEffect(() => {
    const list = listRef.current;
    if (list) {
      list.scrollTop = list.scrollHeight;
    }
  }, [messages.length, last?.id, last?.local?.status, typing?.name, Boolean(children)]);

  const closed = new Set(conversations.filter((conversation) => conversation.status === "closed").map((conversation) => conversation.id));
  const items = messages.map((message, index) => {
    const previous = messages[index - 1];
    const next = messages[index + 1];
    const ended = closed.has(message.conversationId) && (!next || next.conversationId !== message.conversationId);
    const showAuthor = !message.fromVisitor && (!previous || previous.fromVisitor || previous.author.name !== message.author.name || previous.conversationId !== message.conversationId);
    return (
      <Fragment key={message.id}>
        <MessageItem message={message} showAuthor={showAuthor} teamName={inbox?.name ?? "Support"} onRetry={() => chat.outbox.retry(message.id)} />
        {ended && (
          <p class="divider">
            <span>Conversation closed</span>
          </p>
        )}
      </Fragment>
    );
  });

  return (
    <div class="messages" ref={listRef} role="log" aria-label="Messages" aria-live="polite" tabIndex={0}>
      {inbox?.greeting && (
        <div class="msg theirs greeting">
          <div class="bubble">{inbox.greeting}</div>
        </div>
      )}
      {items}
      {typing && (
        <p class="typing" data-testid="typing">
          <span class="dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          {typing.name} is typing…
        </p>
      )}
      {children}
    </div>
  );
}
