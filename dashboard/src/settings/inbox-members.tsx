import { useState } from "react";
import { api, errorMessage } from "../api/client.js";
import type { Inbox, InboxMember, Member } from "../api/types.js";
import type { InboxRole } from "../../../protocol/enums.js";
import { Avatar, Button, Notice } from "../ui/index.js";
import { ConfirmDialog } from "./common.js";

/** The inbox's members and their inbox roles; inbox admins and team admins add, change and remove them. */
export function InboxMembers({ inbox, members, team, canManage, onChange }: { inbox: Inbox; members: InboxMember[]; team: Member[]; canManage: boolean; onChange: (members: InboxMember[]) => void }) {
  const candidates = team.filter((entry) => !members.some((inboxMember) => inboxMember.userId === entry.id));
  const [userId, setUserId] = useState("");
  const [role, setRole] = useState<InboxRole>("agent");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<InboxMember | null>(null);
  const chosen = candidates.some((entry) => entry.id === userId) ? userId : (candidates[0]?.id ?? "");

  const put = async (memberId: string, nextRole: InboxRole) => {
    setBusy(true);
    setError(null);
    try {
      const reply = await api.post<{ data: InboxMember }>(`/inboxes/${inbox.id}/members`, { userId: memberId, role: nextRole });
      const exists = members.some((entry) => entry.userId === memberId);
      onChange(exists ? members.map((entry) => (entry.userId === memberId ? reply.data : entry)) : [...members, reply.data]);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settings-card" id="inbox-members" aria-labelledby="inbox-members-title">
      <h2 id="inbox-members-title">Inbox members</h2>
      <p className="muted">Agents work this inbox&apos;s conversations; inbox admins also change its settings and members. Team owners and admins see every inbox.</p>
      {error ? <Notice onDismiss={() => setError(null)}>{error}</Notice> : null}
      {members.length === 0 ? (
        <p className="muted">Nobody belongs to this inbox yet.</p>
      ) : (
        <ul className="card-list" aria-label="Inbox members">
          {members.map((entry) => (
            <li key={entry.userId} className="card-row">
              <Avatar name={entry.name} />
              <div className="card-main">
                <span className="card-title">{entry.name}</span>
                <span className="muted card-sub">
                  {entry.email} · <span className={`presence presence-${entry.availability}`} aria-hidden="true" /> {entry.availability}
                </span>
              </div>
              {canManage ? (
                <>
                  <select aria-label={`Inbox role of ${entry.name}`} value={entry.role} disabled={busy} onChange={(event) => void put(entry.userId, event.target.value as InboxRole)}>
                    <option value="agent">Agent</option>
                    <option value="admin">Admin</option>
                  </select>
                  <Button variant="danger" aria-label={`Remove ${entry.name} from ${inbox.name}`} onClick={() => setRemoving(entry)}>
                    Remove
                  </Button>
                </>
              ) : (
                <span className="badge">{entry.role}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {canManage && candidates.length > 0 ? (
        <div className="row add-row">
          <select aria-label="Member to add" value={chosen} onChange={(event) => setUserId(event.target.value)}>
            {candidates.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.name} ({entry.email})
              </option>
            ))}
          </select>
          <select aria-label="Inbox role for the new member" value={role} onChange={(event) => setRole(event.target.value as InboxRole)}>
            <option value="agent">Agent</option>
            <option value="admin">Admin</option>
          </select>
          <Button variant="primary" disabled={busy || !chosen} onClick={() => void put(chosen, role)}>
            Add to inbox
          </Button>
        </div>
      ) : null}
      {removing ? (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove from inbox"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await api.delete(`/inboxes/${inbox.id}/members/${removing.userId}`);
            onChange(members.filter((entry) => entry.userId !== removing.userId));
          }}
        >
          <p>
            {removing.name} stops seeing {inbox.name}&apos;s conversations unless they are a team owner or admin.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
