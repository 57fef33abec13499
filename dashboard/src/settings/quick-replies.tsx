import { useState, type FormEvent } from "react";
import { api } from "../api/client.js";
import type { QuickReply } from "../api/types.js";
import { Button, Notice, TextField } from "../ui/index.js";
import { ConfirmDialog, LoadState, SectionHeader, TextAreaField, useFlash, useFormSubmit, useLoad } from "./common.js";

const FIELDS = ["shortcut", "title", "content"];

/** /settings/quick-replies: the team's saved answers, inserted in the composer with /shortcut. */
export function QuickRepliesSettings() {
  const { loaded, reload, setData } = useLoad((signal) => api.get<{ data: QuickReply[] }>("/quick-replies", undefined, signal).then((body) => body.data), []);
  /** The id of the quick reply being edited, or "new". */
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<QuickReply | null>(null);
  const [filter, setFilter] = useState("");
  const [flash, setFlash] = useFlash();
  const shown =
    loaded.state === "ready"
      ? loaded.data
          .filter((reply) => `${reply.shortcut} ${reply.title} ${reply.content}`.toLowerCase().includes(filter.trim().toLowerCase().replace(/^\//, "")))
          .sort((a, b) => a.shortcut.localeCompare(b.shortcut))
      : [];

  return (
    <section className="settings-section">
      <SectionHeader title="Quick replies" description="Type / and the shortcut in the composer to insert one. Everyone in the team shares them.">
        {editing !== "new" ? (
          <Button variant="primary" onClick={() => setEditing("new")}>
            New quick reply
          </Button>
        ) : null}
      </SectionHeader>
      {flash ? <Notice kind="success">{flash}</Notice> : null}
      {editing === "new" ? (
        <QuickReplyForm
          onCancel={() => setEditing(null)}
          onSaved={(reply) => {
            setData((list) => [...list, reply]);
            setEditing(null);
            setFlash(`Added /${reply.shortcut}.`);
          }}
        />
      ) : null}
      <LoadState loaded={loaded} onRetry={reload} label="quick replies" />
      {loaded.state === "ready" ? (
        <>
          {loaded.data.length > 5 ? <input type="search" className="list-filter" aria-label="Filter quick replies" placeholder="Filter quick replies" value={filter} onChange={(event) => setFilter(event.target.value)} /> : null}
          {loaded.data.length === 0 ? <p className="muted">No quick replies yet.</p> : null}
          <ul className="card-list" aria-label="Quick replies">
            {shown.map((reply) =>
              editing === reply.id ? (
                <li key={reply.id} className="card-row editing">
                  <QuickReplyForm
                    reply={reply}
                    onCancel={() => setEditing(null)}
                    onSaved={(saved) => {
                      setData((list) => list.map((entry) => (entry.id === saved.id ? saved : entry)));
                      setEditing(null);
                      setFlash(`Saved /${saved.shortcut}.`);
                    }}
                  />
                </li>
              ) : (
                <li key={reply.id} className="card-row">
                  <div className="card-main">
                    <span className="card-title">
                      <code>/{reply.shortcut}</code> {reply.title}
                    </span>
                    <span className="muted card-sub quick-reply-content">{reply.content}</span>
                  </div>
                  <Button aria-label={`Edit /${reply.shortcut}`} onClick={() => setEditing(reply.id)}>
                    Edit
                  </Button>
                  <Button variant="danger" aria-label={`Delete /${reply.shortcut}`} onClick={() => setDeleting(reply)}>
                    Delete
                  </Button>
                </li>
              ),
            )}
          </ul>
        </>
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete /${deleting.shortcut}?`}
          confirmLabel="Delete quick reply"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api.delete(`/quick-replies/${deleting.id}`);
            setData((list) => list.filter((entry) => entry.id !== deleting.id));
          }}
        >
          <p>Nobody in the team will be able to insert “{deleting.title}” any more.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function QuickReplyForm({ reply, onSaved, onCancel }: { reply?: QuickReply; onSaved: (reply: QuickReply) => void; onCancel: () => void }) {
  const [shortcut, setShortcut] = useState(reply?.shortcut ?? "");
  const [title, setTitle] = useState(reply?.title ?? "");
  const [content, setContent] = useState(reply?.content ?? "");
  const { errors, message, busy, run } = useFormSubmit((path) => FIELDS.includes(path));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      const body = { shortcut, title, content };
      const saved = reply ? await api.patch<{ data: QuickReply }>(`/quick-replies/${reply.id}`, body) : await api.post<{ data: QuickReply }>("/quick-replies", body);
      onSaved(saved.data);
    });
  };

  return (
    <form className="settings-card quick-reply-form" onSubmit={(event) => void submit(event)} aria-label={reply ? `Edit /${reply.shortcut}` : "New quick reply"} noValidate>
      {message ? <Notice>{message}</Notice> : null}
      <div className="grid-2">
        <TextField label="Shortcut" value={shortcut} onChange={(event) => setShortcut(event.target.value)} error={errors.shortcut} hint="Letters, digits, - and _; typed after /." autoFocus />
        <TextField label="Title" value={title} onChange={(event) => setTitle(event.target.value)} error={errors.title} />
      </div>
      <TextAreaField label="Content" value={content} onChange={(event) => setContent(event.target.value)} error={errors.content} rows={4} />
      <div className="row">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? "Saving…" : reply ? "Save quick reply" : "Add quick reply"}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
