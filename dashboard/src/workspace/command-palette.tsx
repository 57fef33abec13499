import { useMemo, useState, type KeyboardEvent } from "react";
import { Modal } from "../ui/index.js";

export interface Command {
  id: string;
  label: string;
  hint?: string;
  run: () => void;
}

/** Ctrl/Cmd+K: type to filter, arrows to pick, Enter to run. */
export function CommandPalette({ commands, onClose }: { commands: Command[]; onClose: () => void }) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const matches = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return commands.filter((command) => words.every((word) => command.label.toLowerCase().includes(word)));
  }, [commands, query]);

  const run = (command: Command | undefined) => {
    if (command) {
      onClose();
      command.run();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setActive((current) => (matches.length === 0 ? 0 : (current + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length));
    } else if (event.key === "Enter") {
      event.preventDefault();
      run(matches[active]);
    }
  };

  return (
    <Modal title="Command palette" onClose={onClose} className="palette">
      <input
        className="palette-input"
        aria-label="Search commands"
        placeholder="Type a command…"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={matches[active] ? `cmd-${matches[active].id}` : undefined}
      />
      <ul id="palette-list" className="palette-list" role="listbox" aria-label="Commands">
        {matches.map((command, index) => (
          <li
            key={command.id}
            id={`cmd-${command.id}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? "active" : ""}
            onPointerDown={(event) => {
              event.preventDefault();
              run(command);
            }}
          >
            {command.label}
            {command.hint ? <kbd>{command.hint}</kbd> : null}
          </li>
        ))}
        {matches.length === 0 ? <li className="muted">No command matches.</li> : null}
      </ul>
    </Modal>
  );
}
