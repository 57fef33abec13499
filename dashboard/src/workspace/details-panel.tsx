import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { api, errorMessage } from "../api/client.js";
import type { Contact, ContactConversation, Thread } from "../api/types.js";
import { linkHandler } from "../lib/router.js";
import { dateTime, duration, relativeTime } from "../lib/time.js";
import { Button, Notice, Spinner } from "../ui/index.js";
import { useWorkspace } from "./store.js";
import { viewPath } from "./views.js";

type Editable = "name" | "email" | "phone" | "city" | "country";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="detail-row">
      <dt>{label}</dt>
      <dd>{children ?? "—"}</dd>
    </div>
  );
}

/** The contact (editable), the conversation's facts and the contact's previous conversations. */
export function DetailsPanel({ thread, onClose }: { thread: Thread; onClose?: () => void }) {
  const { memberName, inboxName, reloadTags } = useWorkspace();
  const [contact, setContact] = useState<Contact | null>(null);
  const [history, setHistory] = useState<ContactConversation[] | null>(null);
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState<Record<Editable, string>>({ name: "", email: "", phone: "", city: "", country: "" });
  const [newAttribute, setNewAttribute] = useState({ key: "", value: "" });
  const [newTag, setNewTag] = useState("");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setContact(null);
    setHistory(null);
    setEditing(false);
    api
      .get<{ data: Contact }>(`/contacts/${thread.contactId}`)
      .then(({ data }) => live && setContact(data))
      .catch((caught: unknown) => live && setError(errorMessage(caught)));
    api
      .get<{ data: ContactConversation[] }>(`/contacts/${thread.contactId}/conversations`, { limit: 20 })
      .then(({ data }) => live && setHistory(data))
      .catch(() => live && setHistory([]));
    return () => {
      live = false;
    };
  }, [thread.contactId, thread.status]);

  const save = async (body: Record<string, unknown>) => {
    setError(null);
    try {
      const { data } = await api.patch<{ data: Contact }>(`/contacts/${thread.contactId}`, body);
      setContact(data);
      return true;
    } catch (caught) {
      setError(errorMessage(caught));
      return false;
    }
  };

  const startEditing = () => {
    if (!contact) {
      return;
    }
    setForm({ name: contact.name ?? "", email: contact.email ?? "", phone: contact.phone ?? "", city: contact.location.city ?? "", country: contact.location.country ?? "" });
    setEditing(true);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const orNull = (value: string) => (value.trim() === "" ? null : value.trim());
    const ok = await save({ name: orNull(form.name), email: orNull(form.email), phone: orNull(form.phone), location: { city: orNull(form.city), country: orNull(form.country) } });
    if (ok) {
      setEditing(false);
    }
  };

  const addAttribute = async (event: FormEvent) => {
    event.preventDefault();
    if (!newAttribute.key.trim()) {
      return;
    }
    if (await save({ attributes: { [newAttribute.key.trim()]: newAttribute.value } })) {
      setNewAttribute({ key: "", value: "" });
    }
  };

  const addTag = async (event: FormEvent) => {
    event.preventDefault();
    if (!contact || !newTag.trim()) {
      return;
    }
    if (await save({ tags: [...new Set([...contact.tags, newTag.trim()])] })) {
      setNewTag("");
      void reloadTags().catch(() => undefined);
    }
  };

  const field = (key: Editable, label: string, type = "text") => (
    <label className="detail-edit">
      <span>{label}</span>
      <input type={type} value={form[key]} onChange={(event) => setForm((current) => ({ ...current, [key]: event.target.value }))} />
    </label>
  );

  return (
    <aside className="details-panel" aria-label="Details">
      {onClose ? (
        <button type="button" className="btn btn-ghost details-close" onClick={onClose}>
          Close details
        </button>
      ) : null}
      {error ? <Notice onDismiss={() => setError(null)}>{error}</Notice> : null}
      <section>
        <header className="details-header">
          <h3>Contact</h3>
          {contact && !editing ? (
            <Button variant="ghost" onClick={startEditing}>
              Edit
            </Button>
          ) : null}
        </header>
        {!contact ? (
          <Spinner label="Loading the contact" />
        ) : editing ? (
          <form onSubmit={(event) => void submit(event)} className="detail-form" aria-label="Edit contact">
            {field("name", "Name")}
            {field("email", "Email", "email")}
            {field("phone", "Phone", "tel")}
            {field("city", "City")}
            {field("country", "Country")}
            <div className="row">
              <Button type="submit" variant="primary">
                Save
              </Button>
              <Button variant="ghost" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <dl className="details">
            <Row label="Name">{contact.name}</Row>
            <Row label="ID">
              <code>{contact.id}</code>
            </Row>
            <Row label="Email">{contact.email}</Row>
            <Row label="Phone">{contact.phone}</Row>
            <Row label="Location">{[contact.location.city, contact.location.country].filter(Boolean).join(", ") || null}</Row>
            <Row label="Device">{contact.device}</Row>
            <Row label="OS">{contact.os}</Row>
            <Row label="Browser">{contact.browser}</Row>
            <Row label="Language">{contact.language}</Row>
            <Row label="Time zone">{contact.timezone}</Row>
            <Row label="Page">
              {thread.sourceUrl && /^https?:\/\//i.test(thread.sourceUrl) ? (
                <a href={thread.sourceUrl} target="_blank" rel="noreferrer" className="break">
                  {thread.sourceUrl}
                </a>
              ) : (thread.sourceUrl ?? null)}
            </Row>
            <Row label="Last seen">{relativeTime(contact.lastSeenAt)}</Row>
            {contact.blocked ? <Row label="Blocked">yes</Row> : null}
          </dl>
        )}
        {contact ? (
          <>
            <h4>Contact tags</h4>
            <ul className="chips">
              {contact.tags.map((tag) => (
                <li key={tag} className="chip">
                  {tag}
                  <button type="button" aria-label={`Remove tag ${tag}`} onClick={() => void save({ tags: contact.tags.filter((entry) => entry !== tag) })}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
            <form className="inline-form" onSubmit={(event) => void addTag(event)}>
              <input aria-label="Add a contact tag" placeholder="Add tag" value={newTag} onChange={(event) => setNewTag(event.target.value)} />
              <Button type="submit">Add</Button>
            </form>
            <h4>Attributes</h4>
            <dl className="details">
              {Object.entries(contact.attributes).map(([key, value]) => (
                <div className="detail-row" key={key}>
                  <dt>{key}</dt>
                  <dd>
                    {String(value)}{" "}
                    <button type="button" className="link" aria-label={`Remove attribute ${key}`} onClick={() => void save({ attributes: { [key]: null } })}>
                      ×
                    </button>
                  </dd>
                </div>
              ))}
            </dl>
            <form className="inline-form" onSubmit={(event) => void addAttribute(event)}>
              <input aria-label="Attribute name" placeholder="name" value={newAttribute.key} onChange={(event) => setNewAttribute((current) => ({ ...current, key: event.target.value }))} />
              <input aria-label="Attribute value" placeholder="value" value={newAttribute.value} onChange={(event) => setNewAttribute((current) => ({ ...current, value: event.target.value }))} />
              <Button type="submit">Set</Button>
            </form>
          </>
        ) : null}
      </section>
      <section>
        <h3>Conversation</h3>
        <dl className="details">
          <Row label="Number">#{thread.number}</Row>
          <Row label="ID">
            <code>{thread.id}</code>
          </Row>
          <Row label="Status">{thread.status === "snoozed" && thread.snoozedUntil ? `snoozed until ${dateTime(thread.snoozedUntil)}` : thread.status}</Row>
          <Row label="Inbox">{inboxName(thread.inboxId)}</Row>
          <Row label="Channel">{thread.channel}</Row>
          <Row label="Assignee">{memberName(thread.assignedToMemberId)}</Row>
          <Row label="Started">{dateTime(thread.createdAt)}</Row>
          <Row label="Ended">{thread.closedAt ? dateTime(thread.closedAt) : null}</Row>
          <Row label="First response">{thread.firstResponseAt ? dateTime(thread.firstResponseAt) : null}</Row>
          <Row label="Tags">{thread.tags.length > 0 ? thread.tags.join(", ") : null}</Row>
          {thread.csat ? (
            <Row label="Rating">
              {"★".repeat(thread.csat.rating)}
              {thread.csat.comment ? ` “${thread.csat.comment}”` : ""}
            </Row>
          ) : null}
        </dl>
      </section>
      <section>
        <h3>Previous conversations</h3>
        {history === null ? (
          <Spinner label="Loading previous conversations" />
        ) : history.filter((entry) => entry.id !== thread.id).length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul className="history">
            {history
              .filter((entry) => entry.id !== thread.id)
              .map((entry) => {
                const href = viewPath("all", entry.id);
                return (
                  <li key={entry.id}>
                    <a href={href} onClick={linkHandler(href)}>
                      #{entry.number} {entry.subject ?? ""}
                    </a>
                    <span className="muted">
                      {dateTime(entry.startedAt)} · {entry.status} · {entry.durationSeconds !== null ? duration(entry.durationSeconds) : "ongoing"}
                    </span>
                  </li>
                );
              })}
          </ul>
        )}
      </section>
    </aside>
  );
}
