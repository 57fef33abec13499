import { useEffect, useRef, useState } from "preact/hooks";
import type { ChatController } from "../chat.js";
import { EmojiPicker } from "./emoji-picker.js";
import { Icon } from "./icons.js";

/** Where the visitor writes: Enter sends, Shift+Enter starts a new line; emoji and files on the side. */
export function Composer({ chat, disabled }: { chat: ChatController; disabled: boolean }) {
  const [text, setText] = useState("");
  const [picking, setPicking] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const emojiButtonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => textRef.current?.focus(), []);
  useEffect(() => {
    // Grow with the text up to a few lines, then scroll.
    const area = textRef.current;
    if (area) {
      area.style.height = "auto";
      area.style.height = `${Math.min(area.scrollHeight, 120)}px`;
    }
  }, [text]);

  const send = () => {
    const content = text.trim();
    if (content === "" || disabled) {
      return;
    }
    chat.stopTyping();
    chat.outbox.sendText(content);
    setText("");
    textRef.current?.focus();
  };

  const insert = (emoji: string) => {
    const area = textRef.current;
    const start = area?.selectionStart ?? text.length;
    const end = area?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + emoji + text.slice(end));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + emoji.length, start + emoji.length);
    });
  };

  const closePicker = () => {
    setPicking(false);
    emojiButtonRef.current?.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {picking && (
        <EmojiPicker
          onPick={(emoji) => {
            insert(emoji);
            setPicking(false);
          }}
          onClose={closePicker}
        />
      )}
      <textarea
        ref={textRef}
        rows={1}
        value={text}
        aria-label="Write a message"
        placeholder="Write a message…"
        maxLength={10000}
        onInput={(event) => {
          setText(event.currentTarget.value);
          chat.typing();
        }}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            send();
          }
        }}
      />
      <div class="tools">
        <button
          ref={emojiButtonRef}
          type="button"
          class="icon-button"
          aria-label="Insert emoji"
          aria-haspopup="true"
          aria-expanded={picking}
          onClick={() => setPicking(!picking)}
        >
          <Icon name="smile" />
        </button>
        <button type="button" class="icon-button" aria-label="Attach a file" disabled={disabled} onClick={() => fileRef.current?.click()}>
          <Icon name="attach" />
        </button>
        <input
          ref={fileRef}
          type="file"
          hidden
          aria-label="File to send"
          onChange={(event) => {
            const input = event.currentTarget;
            for (const file of Array.from(input.files ?? [])) {
              chat.outbox.sendFile(file);
            }
            input.value = "";
          }}
        />
        <button type="submit" class="icon-button send" aria-label="Send message" disabled={disabled || text.trim() === ""}>
          <Icon name="send" />
        </button>
      </div>
    </form>
  );
}
