import { useEffect, useRef } from "preact/hooks";
import type { ChatController } from "../chat.js";
import { useStore } from "../store.js";
import { Launcher } from "./launcher.js";
import { Panel } from "./panel.js";

/** The inbox colour as the accent, with black or white text on it, whichever reads better. */
function accentStyle(color: string | undefined): Record<string, string> {
  const hex = /^#[0-9a-f]{6}$/i.test(color ?? "") ? (color as string) : "#3b82f6";
  const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return { "--accent": hex, "--on-accent": luminance > 0.4 ? "#111827" : "#ffffff" };
}

/** The whole frame: the bubble when closed, the chat panel when open. */
export function App({ chat }: { chat: ChatController }) {
  const state = useStore(chat.store);
  const launcherRef = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(state.open);
  useEffect(() => {
    // Closing the panel gives the focus back to the bubble, so keyboard users stay in place.
    if (wasOpen.current && !state.open) {
      launcherRef.current?.focus();
    }
    wasOpen.current = state.open;
  }, [state.open]);
  return (
    <div class={`parley${state.mobile ? " mobile" : ""}`} style={accentStyle(state.inbox?.color)}>
      {state.open ? <Panel chat={chat} state={state} /> : <Launcher buttonRef={launcherRef} unread={state.unread} onOpen={() => chat.setOpen(true)} />}
    </div>
  );
}
