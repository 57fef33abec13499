import { useState, type FormEvent } from "react";
import { api } from "../api/client.js";
import type { Member, TeamRole } from "../api/types.js";
import type { ApiKey } from "../../../protocol/api-key.js";
import { useSession } from "../session.js";
import { Button, Notice, TextField } from "../ui/index.js";
import { ConfirmDialog, CopyButton, LoadState, relative, SectionHeader, SelectField, useFormSubmit, useLoad } from "./common.js";

type CreatedKey = ApiKey & { secret: string };

/** /settings/api-keys (owners and admins): keys for the REST API; the secret is shown once. */
export function ApiKeysSettings() {
  const { member: me } = useSession();
  const { loaded, reload, setData } = useLoad(
    async (signal) => {
      const [keys, members] = await Promise.all([api.get<{ data: ApiKey[] }>("/api-keys", undefined, signal), api.get<{ members: Member[] }>("/members", undefined, signal)]);
      return { keys: keys.data, members: members.members };
    },
    [],
  );
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  return (
    <section className="settings-section">
      <SectionHeader title="API keys" description="Send a key as the X-API-Key header. A key acts as the member who created it, within its role.">
        {!creating ? (
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create API key
          </Button>
        ) : null}
      </SectionHeader>
      {creating ? (
        <CreateKeyForm
          myRole={me.role}
          onCancel={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
            const { secret: _secret, ...listed } = key;
            setData((data) => ({ ...data, keys: [listed, ...data.keys] }));
          }}
        />
      ) : null}
      {created ? (
        <div className="settings-card secret-card" role="region" aria-label="New API key">
          <h2>{created.name}: copy the key now</h2>
          <Notice kind="info">This is the only time the key is shown. Parley keeps only a hash of it; if you lose it, revoke it and create another.</Notice>
          <div className="row">
            <code className="break api-key-secret" aria-label="API key secret">
              {created.secret}
            </code>
            <CopyButton text={created.secret} what="API key" />
          </div>
          <Button onClick={() => setCreated(null)}>I have saved the key</Button>
        </div>
      ) : null}
      <LoadState loaded={loaded} onRetry={reload} label="API keys" />
      {loaded.state === "ready" ? (
        loaded.data.keys.length === 0 ? (
          <p className="muted">No API keys.</p>
        ) : (
          <div className="table-scroll">
            <table className="settings-table" aria-label="API keys">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Role</th>
                  <th scope="col">Created by</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {loaded.data.keys.map((key) => (
                  <tr key={key.id}>
                    <td>{key.name}</td>
                    <td>
                      <code>{key.prefix}_…</code>
                    </td>
                    <td className="capitalize">{key.role}</td>
                    <td>{loaded.data.members.find((member) => member.id === key.memberId)?.name ?? "A former member"}</td>
                    <td title={key.createdAt}>{relative(key.createdAt)}</td>
                    <td title={key.lastUsedAt ?? undefined}>{relative(key.lastUsedAt)}</td>
                    <td>
                      <Button variant="danger" aria-label={`Revoke ${key.name}`} onClick={() => setRevoking(key)}>
                        Revoke
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {revoking ? (
        <ConfirmDialog
          title={`Revoke ${revoking.name}?`}
          confirmLabel="Revoke key"
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await api.delete(`/api-keys/${revoking.id}`);
            setData((data) => ({ ...data, keys: data.keys.filter((key) => key.id !== revoking.id) }));
            if (created?.id === revoking.id) {
              setCreated(null);
            }
          }}
        >
          <p>Requests with this key are refused from now on, and its live connections are closed. This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function CreateKeyForm({ myRole, onCancel, onCreated }: { myRole: TeamRole; onCancel: () => void; onCreated: (key: CreatedKey) => void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<TeamRole>("admin");
  const { errors, message, busy, run } = useFormSubmit((path) => path === "name" || path === "role");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => onCreated((await api.post<{ data: CreatedKey }>("/api-keys", { name: name.trim(), role })).data));
  };

  return (
    <form className="settings-card" onSubmit={(event) => void submit(event)} aria-label="Create API key" noValidate>
      <h2>New API key</h2>
      {message ? <Notice>{message}</Notice> : null}
      <div className="grid-2">
        <TextField label="Key name" value={name} onChange={(event) => setName(event.target.value)} error={errors.name} hint="What uses it, such as Zapier or the billing system." autoFocus />
        <SelectField label="Key role" value={role} onChange={(event) => setRole(event.target.value as TeamRole)} error={errors.role} hint="Never more than your own role.">
          {myRole === "owner" ? <option value="owner">Owner</option> : null}
          <option value="admin">Admin</option>
          <option value="member">Member</option>
        </SelectField>
      </div>
      <div className="row">
        <Button type="submit" variant="primary" disabled={busy || !name.trim()}>
          {busy ? "Creating…" : "Create key"}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
