import { useEffect, useRef } from "preact/hooks";
import { EMOJI } from "../emoji.js";

const COLUMNS = 7;

/** A compact grid of native emoji; arrow keys move, Enter picks, Escape closes. */
export function EmojiPicker({ onPick, onClose }: { onPick: (emoji: string) => void; onClose: () => void }) {
  const gridRef = useRef<HTMLDivElement>(null);
  useEffect(() => gridRef.current?.querySelector<HTMLButtonElement>("button")?.focus(), []);

  const onKeyDown = (event: KeyboardEvent) => {
    const buttons = Array.from(gridRef.current?.querySelectorAll<HTMLButtonElement>("button") ?? []);
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS };
    const move = moves[event.key];
    if (event.key === "Escape") {
      event.preventDefault();
      onClose();
    } else if (move !== undefined && at >= 0) {
      event.preventDefault();
      buttons[Math.max(0, Math.min(buttons.length - 1, at + move))]?.focus();
    }
  };

  return (
    <div class="emoji-picker" ref={gridRef} role="group" aria-label="Emoji" onKeyDown={onKeyDown}>
      {EMOJI.map(([emoji, name], index) => (
        <button key={emoji} type="button" aria-label={name} title={name} tabIndex={index === 0 ? 0 : -1} onClick={() => onPick(emoji)}>
          {emoji}
        </button>
      ))}
    </div>
  );
}
