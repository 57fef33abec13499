import { useEffect, useState } from "react";
import { api, errorMessage } from "../api/client.js";
import type { Contact, InboxMember, PatchThreadBody, Tag, Thread } from "../api/types.js";
import { useSession } from "../session.js";
import { Button, Popover } from "../ui/index.js";
import { useWorkspace } from "./store.js";

type Menu = "assign" | "transfer" | "snooze" | "tags" | "more" | null;

/** Snooze presets: in an hour, this evening's next morning, next Monday. */
export function snoozePresets(now = new Date()): { label: string; until: Date }[] {
  const hour = new Date(now.getTime() + 3_600_000);
  const threeHours = new Date(now.getTime() + 3 * 3_600_000);
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  const monday = new Date(now);
  monday.setDate(now.getDate() + ((8 - now.getDay()) % 7 || 7));
  monday.setHours(9, 0, 0, 0);
  return [
    { label: "1 hour", until: hour },
    { label: "3 hours", until: threeHours },
    { label: "Tomorrow 9:00", until: tomorrow },
    { label: "Next Monday 9:00", until: monday },
  ];
}

/** Loads the members of an inbox, for "assign to anyone in the inbox". */
export function useInboxMembers(inboxId: string): InboxMember[] {
  const [list, setList] = useState<InboxMember[]>([]);
  useEffect(() => {
    let live = true;
    api
      .get<{ data: InboxMember[] }>(`/inboxes/${inboxId}/members`)
      .then(({ data }) => live && setList(data))
      .catch(() => live && setList([]));
    return () => {
      live = false;
    };
  }, [inboxId]);
  return list;
}

/** The conversation header's actions: assign, transfer, close/reopen, snooze, tags, spam and block. */
export function ConversationActions({ thread, onChange, onError }: { thread: Thread; onChange: (patch: PatchThreadBody) => Promise<void>; onError: (message: string) => void }) {
  const { member } = useSession();
  const { inboxes, tags, reloadTags, memberName, publishThread } = useWorkspace();
  const inboxMembers = useInboxMembers(thread.inboxId);
  const [menu, setMenu] = useState<Menu>(null);
  const [customSnooze, setCustomSnooze] = useState("");
  const [newTag, setNewTag] = useState("");
  const close = () => setMenu(null);
  const toggle = (name: Exclude<Menu, null>) => setMenu((current) => (current === name ? null : name));

  const run = (patch: PatchThreadBody) => {
    close();
    void onChange(patch);
  };

  // Ticked at once; the server's answer confirms it (or the error puts it back).
  const [pendingTags, setPendingTags] = useState<string[] | null>(null);
  const shownTags = pendingTags ?? thread.tags;
  const setTag = async (name: string, on: boolean) => {
    const next = on ? [...new Set([...shownTags, name])] : shownTags.filter((tag) => tag !== name);
    setPendingTags(next);
    await onChange({ tags: next });
    setPendingTags(null);
  };

  const createTag = async () => {
    const name = newTag.trim();
    if (!name) {
      return;
    }
    try {
      if (!tags.some((tag) => tag.name.toLowerCase() === name.toLowerCase())) {
        await api.post<{ data: Tag }>("/tags", { name });
        await reloadTags();
      }
      setNewTag("");
      await setTag(name, true);
    } catch (caught) {
      onError(errorMessage(caught));
    }
  };

  const block = async (blocked: boolean) => {
    close();
    try {
      await api.post<{ data: Contact }>(`/contacts/${thread.contactId}/${blocked ? "block" : "unblock"}`, {});
      const { thread: updated } = await api.get<{ thread: Thread }>(`/threads/${thread.id}`);
      publishThread(updated);
    } catch (caught) {
      onError(errorMessage(caught));
    }
  };

  const assignee = memberName(thread.assignedToMemberId);
  const closed = thread.status === "closed";

  return (
    <div className="actions" role="toolbar" aria-label="Conversation actions">
      <div className="menu-anchor" data-popover-anchor>
        <Button onClick={() => toggle("assign")} aria-expanded={menu === "assign"} aria-haspopup="dialog">
          {assignee ? `Assigned: ${assignee}` : "Assign"}
        </Button>
        <Popover open={menu === "assign"} onClose={close} label="Assign">
          <div className="menu">
            {thread.assignedToMemberId !== member.id ? (
              <button type="button" className="menu-item" onClick={() => run({ assignedToMemberId: member.id })}>
                Assign to me
              </button>
            ) : null}
            {thread.assignedToMemberId ? (
              <button type="button" className="menu-item" onClick={() => run({ assignedToMemberId: null })}>
                Unassign
              </button>
            ) : null}
            <p className="menu-heading">Members of this inbox</p>
            {inboxMembers
              .filter((entry) => entry.userId !== thread.assignedToMemberId)
              .map((entry) => (
                <button key={entry.userId} type="button" className="menu-item" onClick={() => run({ assignedToMemberId: entry.userId })}>
                  <span className={`presence presence-${entry.availability}`} aria-hidden="true" /> {entry.name}
                  <span className="menu-note">{entry.availability}</span>
                </button>
              ))}
          </div>
        </Popover>
      </div>
      <div className="menu-anchor" data-popover-anchor>
        <Button onClick={() => toggle("transfer")} aria-expanded={menu === "transfer"} aria-haspopup="dialog">
          Transfer
        </Button>
        <Popover open={menu === "transfer"} onClose={close} label="Transfer">
          <div className="menu">
            <p className="menu-heading">To another inbox</p>
            {inboxes
              .filter((inbox) => inbox.id !== thread.inboxId)
              .map((inbox) => (
                <button key={inbox.id} type="button" className="menu-item" onClick={() => run({ inboxId: inbox.id })}>
                  {inbox.name}
                </button>
              ))}
            <p className="menu-heading">To a teammate</p>
            {inboxMembers
              .filter((entry) => entry.userId !== thread.assignedToMemberId && entry.userId !== member.id)
              .map((entry) => (
                <button key={entry.userId} type="button" className="menu-item" onClick={() => run({ assignedToMemberId: entry.userId })}>
                  {entry.name}
                </button>
              ))}
          </div>
        </Popover>
      </div>
      {closed ? (
        <Button onClick={() => run({ status: "open" })}>Reopen</Button>
      ) : (
        <Button variant="primary" onClick={() => run({ status: "closed" })} title="Close (Alt+E)">
          Close
        </Button>
      )}
      <div className="menu-anchor" data-popover-anchor>
        <Button onClick={() => toggle("snooze")} aria-expanded={menu === "snooze"} aria-haspopup="dialog">
          {thread.status === "snoozed" ? "Snoozed" : "Snooze"}
        </Button>
        <Popover open={menu === "snooze"} onClose={close} label="Snooze">
          <div className="menu">
            {snoozePresets().map((preset) => (
              <button key={preset.label} type="button" className="menu-item" onClick={() => run({ status: "snoozed", snoozedUntil: preset.until.toISOString() })}>
                {preset.label}
              </button>
            ))}
            <label className="menu-field">
              Until
              <input type="datetime-local" value={customSnooze} onChange={(event) => setCustomSnooze(event.target.value)} />
            </label>
            <Button disabled={!customSnooze} onClick={() => run({ status: "snoozed", snoozedUntil: new Date(customSnooze).toISOString() })}>
              Snooze until then
            </Button>
            {thread.status === "snoozed" ? (
              <button type="button" className="menu-item" onClick={() => run({ status: "open" })}>
                Wake up now
              </button>
            ) : null}
          </div>
        </Popover>
      </div>
      <div className="menu-anchor" data-popover-anchor>
        <Button onClick={() => toggle("tags")} aria-expanded={menu === "tags"} aria-haspopup="dialog">
          Tags{thread.tags.length > 0 ? ` (${thread.tags.length})` : ""}
        </Button>
        <Popover open={menu === "tags"} onClose={close} label="Tags">
          <div className="menu">
            {tags.map((tag) => (
              <label key={tag.id} className="menu-item check">
                <input type="checkbox" checked={shownTags.includes(tag.name)} onChange={(event) => void setTag(tag.name, event.target.checked)} />
                <span className="dot" style={{ background: tag.color }} aria-hidden="true" />
                {tag.name}
              </label>
            ))}
            <form
              className="menu-field"
              onSubmit={(event) => {
                event.preventDefault();
                void createTag();
              }}
            >
              <input aria-label="New tag" placeholder="New tag" value={newTag} onChange={(event) => setNewTag(event.target.value)} />
              <Button type="submit">Add</Button>
            </form>
          </div>
        </Popover>
      </div>
      <div className="menu-anchor" data-popover-anchor>
        <Button variant="ghost" aria-label="More actions" onClick={() => toggle("more")} aria-expanded={menu === "more"} aria-haspopup="dialog">
          ⋯
        </Button>
        <Popover open={menu === "more"} onClose={close} label="More actions" className="align-right">
          <div className="menu">
            <button type="button" className="menu-item" onClick={() => run({ spam: !thread.spam })}>
              {thread.spam ? "Not spam" : "Mark as spam"}
            </button>
            <button type="button" className="menu-item danger" onClick={() => void block(!thread.contact.blocked)}>
              {thread.contact.blocked ? "Unblock contact" : "Block contact"}
            </button>
          </div>
        </Popover>
      </div>
    </div>
  );
}
