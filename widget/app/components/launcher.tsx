import type { RefObject } from "preact";
import { Icon } from "./icons.js";

/** The round chat bubble, with the number of unseen replies. */
export function Launcher({ unread, onOpen, buttonRef }: { unread: number; onOpen: () => void; buttonRef: RefObject<HTMLButtonElement> }) {
  const label = unread > 0 ? `Open chat, ${unread} unread ${unread === 1 ? "message" : "messages"}` : "Open chat";
  return (
    <button ref={buttonRef} type="button" class="launcher" aria-label={label} aria-expanded="false" onClick={onOpen}>
      <Icon name="chat" filled />
      {unread > 0 && (
        <span class="badge" aria-hidden="true" data-testid="unread-badge">
          {unread > 99 ? "99+" : unread}
        </span>
      )}
    </button>
  );
}
