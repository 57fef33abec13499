import type { ChatController, ChatState } from "../chat.js";
import { Composer } from "./composer.js";
import { CsatPrompt } from "./csat-prompt.js";
import { Icon } from "./icons.js";
import { MessageList } from "./message-list.js";
import { PreChatForm, needsPreChat } from "./pre-chat-form.js";

function opensAtText(opensAt: string | null): string | null {
  if (!opensAt) {
    return null;
  }
  const when = new Date(opensAt);
  const sameDay = when.toDateString() === new Date().toDateString();
  const format = new Intl.DateTimeFormat(undefined, sameDay ? { hour: "numeric", minute: "2-digit" } : { weekday: "long", hour: "numeric", minute: "2-digit" });
  return `We'll be back ${sameDay ? "at " : "on "}${format.format(when)}.`;
}

/** The open chat: header, conversation, and the composer (or the pre-chat form). */
export function Panel({ chat, state }: { chat: ChatController; state: ChatState }) {
  const { inbox } = state;
  const title = inbox?.name ?? "Chat";
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape" && !event.defaultPrevented) {
      chat.setOpen(false);
    }
  };
  const preChat = state.phase === "ready" && needsPreChat(state);
  return (
    <section class="panel" role="dialog" aria-label={`Chat with ${title}`} onKeyDown={onKeyDown}>
      <header class="header">
        <div class="avatar" aria-hidden="true">
          {title.slice(0, 1).toUpperCase()}
        </div>
        <div class="title">
          <h1>{title}</h1>
          <p>{state.phase !== "ready" ? (state.problem ?? "Connecting…") : inbox?.isOpen ? "We're online" : "We're away right now"}</p>
        </div>
        <button type="button" class="icon-button" aria-label="Close chat" onClick={() => chat.setOpen(false)}>
          <Icon name="minimize" />
        </button>
      </header>
      {state.phase === "unavailable" ? (
        <p class="unavailable" role="alert">
          {state.problem}
        </p>
      ) : (
        <>
          <MessageList chat={chat} state={state}>
            {state.csat && <CsatPrompt chat={chat} csat={state.csat} />}
          </MessageList>
          {state.phase === "ready" && !state.online && (
            <p class="connection" role="status">
              Reconnecting…
            </p>
          )}
          {inbox && !inbox.isOpen && (
            <div class="notice" role="note" data-testid="outside-hours">
              {inbox.outsideHoursMessage && <p>{inbox.outsideHoursMessage}</p>}
              {opensAtText(inbox.opensAt) && <p class="muted">{opensAtText(inbox.opensAt)}</p>}
            </div>
          )}
          {preChat ? <PreChatForm chat={chat} state={state} /> : <Composer chat={chat} disabled={state.phase !== "ready"} />}
        </>
      )}
    </section>
  );
}
