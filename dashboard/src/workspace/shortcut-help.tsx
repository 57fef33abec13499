import { Modal } from "../ui/index.js";

/** Every keyboard shortcut, as the README lists them. */
export const SHORTCUTS: readonly [keys: string, what: string][] = [
  ["Alt+J", "Next conversation (works in the composer too)"],
  ["Alt+K", "Previous conversation"],
  ["Alt+E", "Close the open conversation"],
  ["Ctrl+K / ⌘K", "Command palette: go to a view, assign, close, snooze, switch inbox"],
  ["?", "This help"],
  ["Enter", "Send (in the composer)"],
  ["Shift+Enter", "New line"],
  ["/", "Quick replies, at the start of a word in the composer"],
  ["@", "Mention a teammate in a private note"],
  ["Esc", "Close a menu or dialog"],
];

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <dl className="shortcuts">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys} className="shortcut">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
