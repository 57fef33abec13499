import { useState, type FormEvent } from "react";
import { api } from "../api/client.js";
import type { Inbox, InboxMember, Member } from "../api/types.js";
import type { AssignmentType } from "../../../protocol/enums.js";
import { linkHandler, navigate } from "../lib/router.js";
import { useSession } from "../session.js";
import { Button, Notice, TextField } from "../ui/index.js";
import { CheckField, ConfirmDialog, CopyButton, type FieldErrors, LoadState, SectionHeader, SelectField, splitError, TextAreaField, useFlash, useFormSubmit, useIsTeamAdmin, useLoad } from "./common.js";
import { InboxMembers } from "./inbox-members.js";
import { Holidays, TimeZonePicker, WEEKDAYS, WeeklyHours, validateHours, type Day, type DayDraft, type HoursDraft } from "./working-hours.js";

/** /settings/inboxes: the inboxes the member may see, and (for admins) a new one as seed 000 describes. */
export function InboxesSettings() {
  const isAdmin = useIsTeamAdmin();
  const { loaded, reload } = useLoad((signal) => api.get<{ data: Inbox[] }>("/inboxes", undefined, signal).then((body) => body.data), []);
  const [creating, setCreating] = useState(false);

  return (
    <section className="settings-section">
      <SectionHeader title="Inboxes" description="Each inbox collects conversations from its widget, its email address and the API.">
        {isAdmin && !creating ? (
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create inbox
          </Button>
        ) : null}
      </SectionHeader>
      {creating ? <CreateInboxForm onCancel={() => setCreating(false)} /> : null}
      <LoadState loaded={loaded} onRetry={reload} label="inboxes" />
      {loaded.state === "ready" ? (
        loaded.data.length === 0 ? (
          <p className="muted">You do not belong to any inbox yet. An admin can add you to one.</p>
        ) : (
          <ul className="card-list" aria-label="Inboxes">
            {loaded.data.map((inbox) => (
              <li key={inbox.id} className="card-row">
                <span className="swatch" style={{ background: inbox.color }} aria-hidden="true" />
                <div className="card-main">
                  <a href={`/settings/inboxes/${inbox.id}`} onClick={linkHandler(`/settings/inboxes/${inbox.id}`)} className="card-title">
                    {inbox.name}
                  </a>
                  <span className="muted card-sub">{inbox.description || inbox.email || inbox.forwardingAddress}</span>
                </div>
                {inbox.isDefault ? <span className="badge">Default</span> : null}
                {inbox.workingHours.enabled ? <span className="badge">Working hours</span> : null}
                <span className="badge">{assignmentLabel(inbox.assignmentRules.type)}</span>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}

function CreateInboxForm({ onCancel }: { onCancel: () => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [email, setEmail] = useState("");
  const { errors, message, busy, run } = useFormSubmit((path) => ["name", "description", "email"].includes(path));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      const body = { name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}), ...(email.trim() ? { email: email.trim() } : {}) };
      const created = await api.post<{ data: Inbox }>("/inboxes", body);
      navigate(`/settings/inboxes/${created.data.id}?created=1`);
    });
  };

  return (
    <form className="settings-card create-inbox" onSubmit={(event) => void submit(event)} aria-label="Create inbox" noValidate>
      <h2>New inbox</h2>
      {message ? <Notice>{message}</Notice> : null}
      <TextField label="Name" required value={name} onChange={(event) => setName(event.target.value)} error={errors.name} hint="Display name for the inbox, such as Technical Support." autoFocus />
      <TextField label="Description" value={description} onChange={(event) => setDescription(event.target.value)} error={errors.description} hint="Optional." />
      <TextField label="Email" type="email" value={email} onChange={(event) => setEmail(event.target.value)} error={errors.email} hint="Optional: mail to this address lands in the inbox." />
      <div className="row">
        <Button type="submit" variant="primary" disabled={busy || !name.trim()}>
          {busy ? "Creating…" : "Create"}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}

function assignmentLabel(type: AssignmentType): string {
  return type === "round_robin" ? "Round robin" : type === "least_busy" ? "Least busy" : "Manual";
}

interface Draft {
  name: string;
  description: string;
  email: string;
  color: string;
  isDefault: boolean;
  assignmentType: AssignmentType;
  fallbackUserId: string;
  hours: HoursDraft;
  autoEnabled: boolean;
  autoMessage: string;
  autoDelay: string;
  autoOutsideHours: boolean;
  outsideHoursMessage: string;
  replyByEmail: boolean;
  fromAddress: string;
  fromName: string;
  greeting: string;
  preChat: boolean;
  requireName: boolean;
  requireEmail: boolean;
  identityVerification: boolean;
  csat: boolean;
}

function draftOf(inbox: Inbox): Draft {
  const schedule = {} as Record<Day, DayDraft>;
  for (const day of WEEKDAYS) {
    const entry = inbox.workingHours.schedule[day];
    schedule[day] = entry ? { open: true, start: entry.start, end: entry.end } : { open: false, start: "09:00", end: "17:00" };
  }
  return {
    name: inbox.name,
    description: inbox.description ?? "",
    email: inbox.email ?? "",
    color: inbox.color,
    isDefault: inbox.isDefault,
    assignmentType: inbox.assignmentRules.type,
    fallbackUserId: inbox.assignmentRules.fallbackUserId ?? "",
    hours: { enabled: inbox.workingHours.enabled, timezone: inbox.workingHours.timezone, schedule, holidays: [...inbox.workingHours.holidays] },
    autoEnabled: inbox.autoResponder.enabled,
    autoMessage: inbox.autoResponder.message,
    autoDelay: String(inbox.autoResponder.delaySeconds),
    autoOutsideHours: inbox.autoResponder.conditions.outsideWorkingHours,
    outsideHoursMessage: inbox.outsideHoursMessage ?? "",
    replyByEmail: inbox.emailSettings.replyByEmail,
    fromAddress: inbox.emailSettings.fromAddress ?? "",
    fromName: inbox.emailSettings.fromName ?? "",
    greeting: inbox.widget.greeting ?? "",
    preChat: inbox.widget.preChatForm.enabled,
    requireName: inbox.widget.preChatForm.requireName,
    requireEmail: inbox.widget.preChatForm.requireEmail,
    identityVerification: inbox.widget.identityVerification,
    csat: inbox.widget.csat,
  };
}

const orNull = (value: string) => (value.trim() ? value.trim() : null);

/** The PUT body the draft stands for, every setting included; only changed ones are sent. */
function bodyOf(draft: Draft): Record<string, unknown> {
  const schedule: Record<string, { start: string; end: string } | null> = {};
  for (const day of WEEKDAYS) {
    const entry = draft.hours.schedule[day];
    schedule[day] = entry.open ? { start: entry.start, end: entry.end } : null;
  }
  return {
    name: draft.name.trim(),
    description: orNull(draft.description),
    email: orNull(draft.email),
    color: draft.color,
    isDefault: draft.isDefault,
    assignmentRules: { type: draft.assignmentType, fallbackUserId: draft.fallbackUserId || null },
    workingHours: { enabled: draft.hours.enabled, timezone: draft.hours.timezone, schedule, holidays: draft.hours.holidays },
    autoResponder: { enabled: draft.autoEnabled, message: draft.autoMessage.trim(), delaySeconds: Number(draft.autoDelay), conditions: { outsideWorkingHours: draft.autoOutsideHours } },
    outsideHoursMessage: orNull(draft.outsideHoursMessage),
    emailSettings: { replyByEmail: draft.replyByEmail, fromAddress: orNull(draft.fromAddress), fromName: orNull(draft.fromName) },
    widget: { greeting: orNull(draft.greeting), preChatForm: { enabled: draft.preChat, requireName: draft.requireName, requireEmail: draft.requireEmail }, identityVerification: draft.identityVerification, csat: draft.csat },
  };
}

function changes(draft: Draft, inbox: Inbox): Record<string, unknown> {
  const now = bodyOf(draft);
  const before = bodyOf(draftOf(inbox));
  return Object.fromEntries(Object.entries(now).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(before[key])));
}

function validate(draft: Draft): FieldErrors {
  const errors: FieldErrors = validateHours(draft.hours);
  if (!draft.name.trim()) {
    errors.name = "An inbox needs a name.";
  }
  if (!/^#[0-9A-Fa-f]{6}$/.test(draft.color)) {
    errors.color = "Expected a colour as #RRGGBB.";
  }
  const delay = Number(draft.autoDelay);
  if (draft.autoDelay.trim() === "" || !Number.isInteger(delay) || delay < 0 || delay > 86_400) {
    errors["autoResponder.delaySeconds"] = "Enter whole seconds from 0 to 86400.";
  }
  return errors;
}

/** Where a server-named path is shown: holidays.3 by the holidays, assignmentRules.workingHours.… as workingHours.… */
function normalizePath(path: string): string {
  return path.replace(/^assignmentRules\.workingHours\./, "workingHours.").replace(/^workingHours\.holidays\.\d+$/, "workingHours.holidays");
}

const SHOWN_PATHS = new Set([
  "name",
  "description",
  "email",
  "color",
  "isDefault",
  "assignmentRules.type",
  "assignmentRules.fallbackUserId",
  "workingHours.timezone",
  "workingHours.holidays",
  "autoResponder.message",
  "autoResponder.delaySeconds",
  "outsideHoursMessage",
  "emailSettings.fromAddress",
  "emailSettings.fromName",
  "widget.greeting",
  ...WEEKDAYS.flatMap((day) => [`workingHours.schedule.${day}`, `workingHours.schedule.${day}.start`, `workingHours.schedule.${day}.end`]),
]);

interface InboxData {
  inbox: Inbox;
  members: InboxMember[];
  team: Member[];
}

/** /settings/inboxes/:id: every setting of the inbox (SPEC §2.2), its widget and its members. */
export function InboxSettings({ inboxId }: { inboxId: string }) {
  const { member: me } = useSession();
  const isAdmin = useIsTeamAdmin();
  const { loaded, reload, setData } = useLoad(
    async (signal): Promise<InboxData> => {
      const [inbox, members, team] = await Promise.all([
        api.get<{ data: Inbox }>(`/inboxes/${inboxId}`, undefined, signal),
        api.get<{ data: InboxMember[] }>(`/inboxes/${inboxId}/members`, undefined, signal),
        api.get<{ members: Member[] }>("/members", undefined, signal),
      ]);
      return { inbox: inbox.data, members: members.data, team: team.members };
    },
    [inboxId],
  );

  if (loaded.state !== "ready") {
    return (
      <section className="settings-section">
        <p>
          <a href="/settings/inboxes" onClick={linkHandler("/settings/inboxes")}>
            ← Inboxes
          </a>
        </p>
        <LoadState loaded={loaded} onRetry={reload} label="the inbox" />
      </section>
    );
  }
  const { inbox, members, team } = loaded.data;
  const canManage = isAdmin || members.some((entry) => entry.userId === me.id && entry.role === "admin");
  return (
    <InboxForm
      inbox={inbox}
      members={members}
      team={team}
      canManage={canManage}
      isAdmin={isAdmin}
      onSaved={(saved) => setData((data) => ({ ...data, inbox: saved }))}
      onMembers={(next) => setData((data) => ({ ...data, members: next }))}
    />
  );
}

function InboxForm({
  inbox,
  members,
  team,
  canManage,
  isAdmin,
  onSaved,
  onMembers,
}: {
  inbox: Inbox;
  members: InboxMember[];
  team: Member[];
  canManage: boolean;
  isAdmin: boolean;
  onSaved: (inbox: Inbox) => void;
  onMembers: (members: InboxMember[]) => void;
}) {
  const [draft, setDraft] = useState(() => draftOf(inbox));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useFlash();
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [showSecret, setShowSecret] = useState(false);
  const [rotating, setRotating] = useState(false);
  const justCreated = new URLSearchParams(location.search).get("created") === "1";
  const pending = changes(draft, inbox);
  const dirty = Object.keys(pending).length > 0;

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const error = (path: string) => errors[path];

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    setSaved(null);
    const found = validate(draft);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setMessage(`${Object.keys(found).length === 1 ? "One field needs" : `${Object.keys(found).length} fields need`} a change before saving: see the marked fields.`);
      return;
    }
    if (!dirty) {
      setSaved("Nothing to save: no setting has changed.");
      return;
    }
    setBusy(true);
    try {
      const reply = await api.put<{ data: Inbox }>(`/inboxes/${inbox.id}`, pending);
      setBusy(false);
      onSaved(reply.data);
      setDraft(draftOf(reply.data));
      setErrors({});
      setSaved(`Saved ${reply.data.name}.`);
    } catch (caught) {
      setBusy(false);
      const split = splitError(caught, (path) => SHOWN_PATHS.has(normalizePath(path)));
      setErrors(Object.fromEntries(Object.entries(split.fields).map(([path, text]) => [normalizePath(path), text])));
      setMessage(split.message);
    }
  };

  const others = team.filter((entry) => entry.id !== draft.fallbackUserId);
  const fallback = team.find((entry) => entry.id === draft.fallbackUserId);

  return (
    <section className="settings-section inbox-settings">
      <p className="crumbs">
        <a href="/settings/inboxes" onClick={linkHandler("/settings/inboxes")}>
          ← Inboxes
        </a>
      </p>
      <SectionHeader title={inbox.name} description={canManage ? "Changes apply when you save." : "You can see this inbox's settings; only inbox admins and team admins can change them."}>
        {inbox.isDefault ? <span className="badge">Default inbox</span> : null}
      </SectionHeader>
      {justCreated ? <Notice kind="success">Inbox created. Set its working hours, assignment and widget below.</Notice> : null}
      <nav className="inbox-jump" aria-label="Inbox settings sections">
        {[
          ["general", "General"],
          ["hours", "Working hours"],
          ["assignment", "Assignment"],
          ["responses", "Automatic replies"],
          ["email", "Email"],
          ["widget", "Widget"],
          ["members", "Members"],
        ].map(([id, label]) => (
          <a key={id} href={`#inbox-${id}`}>
            {label}
          </a>
        ))}
      </nav>

      <form className="inbox-form" onSubmit={(event) => void save(event)} aria-label="Inbox settings" noValidate>
        <fieldset className="plain" disabled={!canManage}>
          <section className="settings-card" id="inbox-general" aria-labelledby="inbox-general-title">
            <h2 id="inbox-general-title">General</h2>
            <div className="grid-2">
              <TextField label="Name" value={draft.name} onChange={(event) => set("name", event.target.value)} error={error("name")} required />
              <TextField label="Email" type="email" value={draft.email} onChange={(event) => set("email", event.target.value)} error={error("email")} hint="Mail to this address lands in this inbox." />
            </div>
            <TextAreaField label="Description" value={draft.description} onChange={(event) => set("description", event.target.value)} error={error("description")} rows={2} />
            <div className="row color-row">
              <div className="field">
                <label htmlFor="inbox-color">Colour</label>
                <div className="row">
                  <input id="inbox-color" type="color" value={/^#[0-9A-Fa-f]{6}$/.test(draft.color) ? draft.color : "#000000"} onChange={(event) => set("color", event.target.value)} />
                  <input aria-label="Colour as hex" className="hex-input" value={draft.color} onChange={(event) => set("color", event.target.value)} aria-invalid={error("color") ? true : undefined} />
                </div>
                {error("color") ? <p className="field-error">{error("color")}</p> : <p className="field-hint">Also the chat widget&apos;s colour.</p>}
              </div>
              <CheckField
                label="Default inbox"
                checked={draft.isDefault}
                disabled={!isAdmin || inbox.isDefault}
                onChange={(value) => set("isDefault", value)}
                hint={inbox.isDefault ? "New conversations no rule routes go here. Make another inbox the default to change it." : "Conversations no routing rule matches go to the default inbox."}
              />
            </div>
            {error("isDefault") ? <p className="field-error">{error("isDefault")}</p> : null}
          </section>

          <section className="settings-card" id="inbox-hours" aria-labelledby="inbox-hours-title">
            <h2 id="inbox-hours-title">Working hours</h2>
            <CheckField label="Use working hours" checked={draft.hours.enabled} onChange={(value) => set("hours", { ...draft.hours, enabled: value })} hint="Outside them nothing is assigned automatically and the outside-hours message is sent." />
            <TimeZonePicker value={draft.hours.timezone} onChange={(zone) => set("hours", { ...draft.hours, timezone: zone })} error={error("workingHours.timezone")} disabled={!canManage} />
            <WeeklyHours hours={draft.hours} onChange={(hours) => set("hours", hours)} errors={errors} disabled={!canManage} />
            <Holidays holidays={draft.hours.holidays} onChange={(holidays) => set("hours", { ...draft.hours, holidays })} error={error("workingHours.holidays")} disabled={!canManage} />
          </section>

          <section className="settings-card" id="inbox-assignment" aria-labelledby="inbox-assignment-title">
            <h2 id="inbox-assignment-title">Assignment</h2>
            <div className="grid-2">
              <SelectField label="Assignment rule" value={draft.assignmentType} onChange={(event) => set("assignmentType", event.target.value as AssignmentType)} error={error("assignmentRules.type")} hint={assignmentHint(draft.assignmentType)}>
                <option value="round_robin">Round robin</option>
                <option value="least_busy">Least busy</option>
                <option value="manual">Manual</option>
              </SelectField>
              <SelectField
                label="Fallback member"
                value={draft.fallbackUserId}
                onChange={(event) => set("fallbackUserId", event.target.value)}
                error={error("assignmentRules.fallbackUserId")}
                hint={fallback && !members.some((entry) => entry.userId === fallback.id) ? `${fallback.name} does not belong to this inbox, so they will not get conversations.` : "Gets a conversation when no agent is available."}
              >
                <option value="">Nobody</option>
                {fallback ? <option value={fallback.id}>{fallback.name}</option> : null}
                {others.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry.name}
                    {members.some((inboxMember) => inboxMember.userId === entry.id) ? "" : " (not in this inbox)"}
                  </option>
                ))}
              </SelectField>
            </div>
          </section>

          <section className="settings-card" id="inbox-responses" aria-labelledby="inbox-responses-title">
            <h2 id="inbox-responses-title">Automatic replies</h2>
            <CheckField label="Auto-responder" checked={draft.autoEnabled} onChange={(value) => set("autoEnabled", value)} hint="Sent to the contact after the delay unless someone replied first." />
            <TextAreaField label="Auto-responder message" value={draft.autoMessage} onChange={(event) => set("autoMessage", event.target.value)} error={error("autoResponder.message")} placeholder="Thanks for reaching out! We typically respond within 2 hours." />
            <div className="grid-2">
              <TextField label="Delay (seconds)" type="number" min={0} max={86400} step={1} inputMode="numeric" value={draft.autoDelay} onChange={(event) => set("autoDelay", event.target.value)} error={error("autoResponder.delaySeconds")} />
              <CheckField label="Only outside working hours" checked={draft.autoOutsideHours} onChange={(value) => set("autoOutsideHours", value)} />
            </div>
            <TextAreaField
              label="Outside-hours message"
              value={draft.outsideHoursMessage}
              onChange={(event) => set("outsideHoursMessage", event.target.value)}
              error={error("outsideHoursMessage")}
              hint="Shown by the widget and sent to a new conversation while the inbox is closed."
              placeholder="We're currently offline. We'll respond when we're back."
            />
          </section>

          <section className="settings-card" id="inbox-email" aria-labelledby="inbox-email-title">
            <h2 id="inbox-email-title">Email</h2>
            <div className="field">
              <span className="field-label">Forwarding address</span>
              <div className="row">
                <code className="break">{inbox.forwardingAddress}</code>
                <CopyButton text={inbox.forwardingAddress} what="forwarding address" />
              </div>
              <p className="field-hint">Forward your support mail here; every message becomes or continues a conversation.</p>
            </div>
            <CheckField label="Reply by email" checked={draft.replyByEmail} onChange={(value) => set("replyByEmail", value)} hint="Agents' replies to email conversations go out as email." />
            <div className="grid-2">
              <TextField label="From address" type="email" value={draft.fromAddress} onChange={(event) => set("fromAddress", event.target.value)} error={error("emailSettings.fromAddress")} placeholder="support@example.com" />
              <TextField label="From name" value={draft.fromName} onChange={(event) => set("fromName", event.target.value)} error={error("emailSettings.fromName")} placeholder="Support Team" />
            </div>
          </section>

          <section className="settings-card" id="inbox-widget" aria-labelledby="inbox-widget-title">
            <h2 id="inbox-widget-title">Website widget</h2>
            <TextAreaField label="Greeting" value={draft.greeting} onChange={(event) => set("greeting", event.target.value)} error={error("widget.greeting")} rows={2} placeholder="Hi! How can we help?" />
            <div className="checks">
              <CheckField label="Pre-chat form" checked={draft.preChat} onChange={(value) => set("preChat", value)} hint="Ask for the visitor's name and email before the chat." />
              <CheckField label="Require name" checked={draft.requireName} disabled={!draft.preChat} onChange={(value) => set("requireName", value)} />
              <CheckField label="Require email" checked={draft.requireEmail} disabled={!draft.preChat} onChange={(value) => set("requireEmail", value)} />
              <CheckField label="Ask for a rating (CSAT)" checked={draft.csat} onChange={(value) => set("csat", value)} hint="A 1–5 rating when a conversation is closed." />
              <CheckField label="Identity verification" checked={draft.identityVerification} onChange={(value) => set("identityVerification", value)} hint="Parley.setUser must carry an HMAC of the user id." />
            </div>
          </section>
        </fieldset>
        {canManage ? (
          <div className="save-bar" role="group" aria-label="Save inbox settings">
            {message ? <Notice>{message}</Notice> : null}
            {saved ? <Notice kind="success">{saved}</Notice> : null}
            <span className="muted save-state">{dirty ? "Unsaved changes" : "All changes saved"}</span>
            <Button onClick={() => { setDraft(draftOf(inbox)); setErrors({}); setMessage(null); }} disabled={!dirty || busy}>
              Discard changes
            </Button>
            <Button type="submit" variant="primary" disabled={busy}>
              {busy ? "Saving…" : "Save settings"}
            </Button>
          </div>
        ) : null}
      </form>

      <section className="settings-card" aria-labelledby="inbox-snippet-title">
        <h2 id="inbox-snippet-title">Widget snippet</h2>
        <p className="muted">Paste before &lt;/body&gt; on every page that should show the chat.</p>
        <pre className="snippet" aria-label="Widget snippet">{inbox.widgetSnippet}</pre>
        <CopyButton text={inbox.widgetSnippet} what="widget snippet" label="Copy snippet" />
        {inbox.identitySecret ? (
          <div className="field secret-field">
            <span className="field-label">Identity secret</span>
            <div className="row">
              <code className="break" aria-label="Identity secret">{showSecret ? inbox.identitySecret : "•".repeat(24)}</code>
              <Button onClick={() => setShowSecret((shown) => !shown)} aria-pressed={showSecret}>
                {showSecret ? "Hide secret" : "Reveal secret"}
              </Button>
              <CopyButton text={inbox.identitySecret} what="identity secret" />
              {canManage ? (
                <Button variant="danger" onClick={() => setRotating(true)}>
                  Replace secret
                </Button>
              ) : null}
            </div>
            <p className="field-hint">Sign user ids on your server: hash = HMAC-SHA256(secret, userId) in hex. Keep it off your pages; replace it if it leaks.</p>
          </div>
        ) : null}
        {rotating ? (
          <ConfirmDialog
            title="Replace the identity secret?"
            confirmLabel="Replace secret"
            onClose={() => setRotating(false)}
            onConfirm={async () => {
              const reply = await api.post<{ data: Inbox }>(`/inboxes/${inbox.id}/identity-secret`);
              onSaved(reply.data);
              setShowSecret(true);
              setRotating(false);
            }}
          >
            <p>Hashes made with the current secret stop working at once: identified visitors are refused until your site signs with the new secret.</p>
          </ConfirmDialog>
        ) : null}
      </section>

      <InboxMembers inbox={inbox} members={members} team={team} canManage={canManage} onChange={onMembers} />

      {isAdmin ? (
        <section className="settings-card danger-zone" aria-labelledby="inbox-delete-title">
          <h2 id="inbox-delete-title">Delete inbox</h2>
          <p className="muted">Its routing rules go with it; its conversations move to another inbox.</p>
          <Button variant="danger" onClick={() => setDeleting(true)}>
            Delete inbox
          </Button>
          {deleting ? <DeleteInboxDialog inbox={inbox} onClose={() => setDeleting(false)} /> : null}
        </section>
      ) : null}
    </section>
  );
}

function assignmentHint(type: AssignmentType): string {
  return type === "round_robin"
    ? "The next available agent in turn."
    : type === "least_busy"
      ? "The available agent with the fewest open conversations."
      : "Nobody is assigned automatically.";
}

function DeleteInboxDialog({ inbox, onClose }: { inbox: Inbox; onClose: () => void }) {
  const { loaded } = useLoad((signal) => api.get<{ data: Inbox[] }>("/inboxes", undefined, signal).then((body) => body.data.filter((entry) => entry.id !== inbox.id)), [inbox.id]);
  const [target, setTarget] = useState("");
  const others = loaded.state === "ready" ? loaded.data : [];
  const moveTo = target || others.find((entry) => entry.isDefault)?.id || others[0]?.id || "";
  return (
    <ConfirmDialog
      title={`Delete ${inbox.name}?`}
      confirmLabel="Delete inbox"
      onClose={onClose}
      onConfirm={async () => {
        await api.delete(`/inboxes/${inbox.id}${moveTo ? `?moveConversationsTo=${encodeURIComponent(moveTo)}` : ""}`);
        navigate("/settings/inboxes");
      }}
    >
      <p>This cannot be undone. The widget snippet and forwarding address of this inbox stop working.</p>
      {others.length > 0 ? (
        <SelectField label="Move its conversations to" value={moveTo} onChange={(event) => setTarget(event.target.value)}>
          {others.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.name}
            </option>
          ))}
        </SelectField>
      ) : null}
    </ConfirmDialog>
  );
}
