import { useEffect, useRef } from "react";
import { api } from "../api/client.js";
import type { Message, Thread } from "../api/types.js";
import { navigate } from "../lib/router.js";
import { useSession } from "../session.js";
import { useWorkspace } from "./store.js";

let audio: AudioContext | undefined;

/** A short two-tone chime made on the spot (no sound file to download). */
export function playChime(): void {
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [offset, frequency] of [
      [0, 880],
      [0.12, 1320],
    ] as const) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.25);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.3);
    }
  } catch {
    // Sound is a nicety; browsers may refuse it before the first click.
  }
}

/** Asks for notification permission once, on the first click anywhere (browsers want a gesture). */
function askPermissionOnFirstGesture(): () => void {
  if (typeof Notification === "undefined" || Notification.permission !== "default") {
    return () => undefined;
  }
  const ask = () => {
    void Notification.requestPermission().catch(() => undefined);
  };
  document.addEventListener("click", ask, { once: true });
  return () => document.removeEventListener("click", ask);
}

/**
 * A browser notification and a chime for a new conversation, or for a visitor's message in a conversation
 * assigned to me — never for the conversation on screen while the tab is visible.
 */
export function useNotifications(openConversationId: string | null): void {
  const { member } = useSession();
  const { realtime, members } = useWorkspace();
  const open = useRef(openConversationId);
  open.current = openConversationId;
  const assignedToMe = useRef(new Set<string>());

  useEffect(askPermissionOnFirstGesture, []);

  useEffect(() => {
    api
      .get<{ threads: Thread[] }>("/threads", { inboxView: "mine", limit: 100 })
      .then(({ threads }) => threads.forEach((thread) => assignedToMe.current.add(thread.id)))
      .catch(() => undefined);
  }, []);

  useEffect(
    () =>
      realtime.subscribe({
        event: ({ name, data }) => {
          const conversation = data.conversation as { id?: string; assignedToMemberId?: string | null; spam?: boolean } | undefined;
          if (conversation?.id) {
            if (conversation.assignedToMemberId === member.id) {
              assignedToMe.current.add(conversation.id);
            } else {
              assignedToMe.current.delete(conversation.id);
            }
          }
          if (name === "conversation.assigned" && typeof data.conversationId === "string") {
            if (data.memberId === member.id) {
              assignedToMe.current.add(data.conversationId);
            } else {
              assignedToMe.current.delete(data.conversationId);
            }
          }
          let title: string | null = null;
          let body = "";
          let conversationId: string | undefined;
          if (name === "conversation.created" && conversation?.id && !conversation.spam) {
            title = "New conversation";
            conversationId = conversation.id;
          } else if (name === "message.created") {
            const message = data.message as Message | undefined;
            if (message?.direction === "incoming") {
              conversationId = message.conversationId;
              if (assignedToMe.current.has(message.conversationId)) {
                title = `${message.author.name ?? "A visitor"} wrote`;
                body = message.content.slice(0, 140);
              }
            }
          }
          const looking = conversationId === open.current && document.visibilityState === "visible";
          if (!title || !conversationId || looking) {
            return;
          }
          playChime();
          if (typeof Notification !== "undefined" && Notification.permission === "granted" && document.visibilityState !== "visible") {
            const notification = new Notification(title, { body, tag: conversationId });
            const target = conversationId;
            notification.onclick = () => {
              window.focus();
              navigate(`/inbox/all/${target}`);
            };
          }
        },
      }),
    [realtime, member.id, members],
  );
}
