import { useState, type FormEvent } from "react";
import { api } from "../api/client.js";
import type { Tag } from "../api/types.js";
import { Button, Notice, TextField } from "../ui/index.js";
import { ConfirmDialog, LoadState, SectionHeader, useFlash, useFormSubmit, useIsTeamAdmin, useLoad } from "./common.js";

const HEX = /^#[0-9A-Fa-f]{6}$/;

/** /settings/tags: everyone adds tags; owners and admins rename, recolour and delete them. */
export function TagsSettings() {
  const isAdmin = useIsTeamAdmin();
  const { loaded, reload, setData } = useLoad((signal) => api.get<{ data: Tag[] }>("/tags", undefined, signal).then((body) => body.data), []);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Tag | null>(null);
  const [flash, setFlash] = useFlash();

  return (
    <section className="settings-section">
      <SectionHeader title="Tags" description={isAdmin ? "Labels for conversations and contacts." : "Labels for conversations and contacts. You can add tags; owners and admins rename and delete them."} />
      {flash ? <Notice kind="success">{flash}</Notice> : null}
      <TagForm
        onSaved={(tag) => {
          setData((list) => [...list.filter((entry) => entry.id !== tag.id), tag]);
          setFlash(`Added ${tag.name}.`);
        }}
      />
      <LoadState loaded={loaded} onRetry={reload} label="tags" />
      {loaded.state === "ready" ? (
        loaded.data.length === 0 ? (
          <p className="muted">No tags yet.</p>
        ) : (
          <ul className="card-list" aria-label="Tags">
            {[...loaded.data]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((tag) =>
                editing === tag.id ? (
                  <li key={tag.id} className="card-row editing">
                    <TagForm
                      tag={tag}
                      onCancel={() => setEditing(null)}
                      onSaved={(saved) => {
                        setData((list) => list.map((entry) => (entry.id === saved.id ? saved : entry)));
                        setEditing(null);
                        setFlash(`Saved ${saved.name}.`);
                      }}
                    />
                  </li>
                ) : (
                  <li key={tag.id} className="card-row">
                    <span className="swatch" style={{ background: tag.color }} aria-hidden="true" />
                    <div className="card-main">
                      <span className="card-title">{tag.name}</span>
                      <span className="muted card-sub">{tag.color}</span>
                    </div>
                    {isAdmin ? (
                      <>
                        <Button aria-label={`Edit tag ${tag.name}`} onClick={() => setEditing(tag.id)}>
                          Edit
                        </Button>
                        <Button variant="danger" aria-label={`Delete tag ${tag.name}`} onClick={() => setDeleting(tag)}>
                          Delete
                        </Button>
                      </>
                    ) : null}
                  </li>
                ),
              )}
          </ul>
        )
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          confirmLabel="Delete tag"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api.delete(`/tags/${deleting.id}`);
            setData((list) => list.filter((entry) => entry.id !== deleting.id));
          }}
        >
          <p>The tag is taken off every conversation and contact that has it.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function TagForm({ tag, onSaved, onCancel }: { tag?: Tag; onSaved: (tag: Tag) => void; onCancel?: () => void }) {
  const [name, setName] = useState(tag?.name ?? "");
  const [color, setColor] = useState(tag?.color ?? "#3b82f6");
  const { errors, setErrors, message, busy, run } = useFormSubmit((path) => path === "name" || path === "color");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!HEX.test(color)) {
      setErrors({ color: "Expected a colour as #RRGGBB." });
      return;
    }
    return run(async () => {
      const saved = tag ? await api.patch<{ data: Tag }>(`/tags/${tag.id}`, { name, color }) : await api.post<{ data: Tag }>("/tags", { name, color });
      onSaved(saved.data);
      if (!tag) {
        setName("");
      }
    });
  };

  return (
    <form className="settings-card tag-form" onSubmit={(event) => void submit(event)} aria-label={tag ? `Edit tag ${tag.name}` : "New tag"} noValidate>
      {message ? <Notice>{message}</Notice> : null}
      <div className="row tag-form-row">
        <TextField label={tag ? "Name" : "New tag"} value={name} onChange={(event) => setName(event.target.value)} error={errors.name} autoFocus={Boolean(tag)} />
        <div className="field">
          <label htmlFor={`${tag?.id ?? "new"}-color`}>Colour</label>
          <input id={`${tag?.id ?? "new"}-color`} type="color" value={HEX.test(color) ? color : "#000000"} onChange={(event) => setColor(event.target.value)} />
          {errors.color ? <p className="field-error">{errors.color}</p> : null}
        </div>
        <Button type="submit" variant="primary" disabled={busy || !name.trim()}>
          {tag ? "Save tag" : "Add tag"}
        </Button>
        {onCancel ? <Button onClick={onCancel}>Cancel</Button> : null}
      </div>
    </form>
  );
}
