import { useState, type FormEvent } from "react";
import { api, errorMessage } from "../api/client.js";
import type { Member, TeamRole } from "../api/types.js";
import { useSession } from "../session.js";
import { Avatar, Button, Notice, TextField } from "../ui/index.js";
import { ConfirmDialog, CopyButton, LoadState, SectionHeader, SelectField, useFormSubmit, useIsTeamAdmin, useLoad } from "./common.js";

interface Invited {
  member: Member;
  inviteUrl: string;
}

const ROLE_LABEL: Record<TeamRole, string> = { owner: "Owner", admin: "Admin", member: "Member" };

/** /settings/members: everyone in the team; owners and admins invite, change roles and remove. */
export function MembersSettings() {
  const { member: me, setMember } = useSession();
  const isAdmin = useIsTeamAdmin();
  const isOwner = me.role === "owner";
  const { loaded, reload, setData } = useLoad((signal) => api.get<{ members: Member[] }>("/members", undefined, signal).then((body) => body.members), []);
  const [inviting, setInviting] = useState(false);
  const [invited, setInvited] = useState<Invited | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);

  /** Owners can be changed and removed only by owners, as the API enforces. */
  const canChange = (member: Member) => isAdmin && (member.role !== "owner" || isOwner);

  const changeRole = async (member: Member, role: TeamRole) => {
    setError(null);
    try {
      const reply = await api.patch<{ member: Member }>(`/members/${member.id}`, { role });
      setData((list) => list.map((entry) => (entry.id === member.id ? { ...reply.member, online: entry.online } : entry)));
      if (member.id === me.id) {
        setMember(reply.member);
      }
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  const reissue = async (member: Member) => {
    setError(null);
    try {
      setInvited(await api.post<Invited>(`/members/${member.id}/invite`));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <section className="settings-section">
      <SectionHeader title="Team members" description={isAdmin ? "Invite people with a one-time link; owners and admins manage settings, members work conversations." : "The people in your team. Only owners and admins can invite or change members."}>
        {isAdmin && !inviting ? (
          <Button variant="primary" onClick={() => setInviting(true)}>
            Invite member
          </Button>
        ) : null}
      </SectionHeader>
      {inviting ? (
        <InviteForm
          isOwner={isOwner}
          onCancel={() => setInviting(false)}
          onInvited={(result) => {
            setInviting(false);
            setInvited(result);
            setData((list) => [...list.filter((entry) => entry.id !== result.member.id), result.member]);
          }}
        />
      ) : null}
      {invited ? (
        <div className="settings-card secret-card" role="region" aria-label="Invite link">
          <h2>Invite link for {invited.member.name}</h2>
          <p>Send this link to {invited.member.email}; it works once, to set a password. It is shown only now.</p>
          <div className="row">
            <code className="break invite-link">{invited.inviteUrl}</code>
            <CopyButton text={invited.inviteUrl} what="invite link" />
          </div>
          <Button onClick={() => setInvited(null)}>Done</Button>
        </div>
      ) : null}
      {error ? <Notice onDismiss={() => setError(null)}>{error}</Notice> : null}
      <LoadState loaded={loaded} onRetry={reload} label="members" />
      {loaded.state === "ready" ? (
        <ul className="card-list" aria-label="Members">
          {loaded.data.map((member) => (
            <li key={member.id} className="card-row" data-member={member.email}>
              <Avatar name={member.name} />
              <div className="card-main">
                <span className="card-title">
                  {member.name}
                  {member.id === me.id ? <span className="muted"> (you)</span> : null}
                </span>
                <span className="muted card-sub">{member.email}</span>
              </div>
              <span className="availability-label" title={member.online ? "Online now" : "Not connected"}>
                <span className={`presence presence-${member.availability}`} aria-hidden="true" /> {member.availability}
                {member.online ? <span className="muted"> · online</span> : null}
              </span>
              {member.invitationPending ? <span className="badge">Invite pending</span> : null}
              {canChange(member) && member.id !== me.id ? (
                <select aria-label={`Role of ${member.name}`} value={member.role} onChange={(event) => void changeRole(member, event.target.value as TeamRole)}>
                  {(isOwner ? (["owner", "admin", "member"] as const) : (["admin", "member"] as const)).map((role) => (
                    <option key={role} value={role}>
                      {ROLE_LABEL[role]}
                    </option>
                  ))}
                </select>
              ) : (
                <span className="badge">{ROLE_LABEL[member.role]}</span>
              )}
              {canChange(member) && member.invitationPending ? (
                <Button variant="ghost" aria-label={`New invite link for ${member.name}`} onClick={() => void reissue(member)}>
                  New link
                </Button>
              ) : null}
              {canChange(member) && member.id !== me.id ? (
                <Button variant="danger" aria-label={`Remove ${member.name}`} onClick={() => setRemoving(member)}>
                  Remove
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {removing ? (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove member"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await api.delete(`/members/${removing.id}`);
            setData((list) => list.filter((entry) => entry.id !== removing.id));
          }}
        >
          <p>
            {removing.name} loses access at once, and their API keys stop working.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function InviteForm({ isOwner, onCancel, onInvited }: { isOwner: boolean; onCancel: () => void; onInvited: (invited: Invited) => void }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<TeamRole>("member");
  const { errors, message, busy, run } = useFormSubmit((path) => ["name", "email", "role"].includes(path));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => onInvited(await api.post<Invited>("/members", { name: name.trim(), email: email.trim(), role })));
  };

  return (
    <form className="settings-card" onSubmit={(event) => void submit(event)} aria-label="Invite member" noValidate>
      <h2>Invite a member</h2>
      {message ? <Notice>{message}</Notice> : null}
      <div className="grid-3">
        <TextField label="Name" value={name} onChange={(event) => setName(event.target.value)} error={errors.name} autoFocus />
        <TextField label="Email" type="email" value={email} onChange={(event) => setEmail(event.target.value)} error={errors.email} />
        <SelectField label="Role" value={role} onChange={(event) => setRole(event.target.value as TeamRole)} error={errors.role}>
          {isOwner ? <option value="owner">Owner</option> : null}
          <option value="admin">Admin</option>
          <option value="member">Member</option>
        </SelectField>
      </div>
      <div className="row">
        <Button type="submit" variant="primary" disabled={busy || !name.trim() || !email.trim()}>
          {busy ? "Inviting…" : "Create invite link"}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
