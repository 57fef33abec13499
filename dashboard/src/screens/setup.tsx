import { useState, type FormEvent } from "react";
import { auth, errorMessage } from "../api/client.js";
import type { SignedIn, SignedUp } from "../api/types.js";
import { navigate } from "../lib/router.js";
import { Button, Notice, TextField } from "../ui/index.js";

/** First run: creates the team and its owner, then shows how to put the chat widget on a site. */
export function SetupPage({ onSignedUp }: { onSignedUp: (signedIn: SignedIn) => void }) {
  const [form, setForm] = useState({ teamName: "", name: "", email: "", password: "" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<SignedUp | null>(null);
  const [copied, setCopied] = useState(false);

  const change = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm((current) => ({ ...current, [key]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setCreated(await auth.post<SignedUp>("/signup", form));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    const copy = async () => {
      await navigator.clipboard?.writeText(created.inbox.widgetSnippet).catch(() => undefined);
      setCopied(true);
    };
    return (
      <main className="auth-page">
        <section className="auth-card wide" aria-labelledby="installed-title">
          <h1 id="installed-title">{created.team.name} is ready</h1>
          <p>
            Your first inbox, <strong>{created.inbox.name}</strong>, is waiting. Paste this snippet before <code>&lt;/body&gt;</code> on your website to show the chat
            widget:
          </p>
          <pre className="snippet" aria-label="Widget snippet">
            {created.inbox.widgetSnippet}
          </pre>
          <div className="row">
            <Button onClick={() => void copy()}>{copied ? "Copied" : "Copy snippet"}</Button>
            <a className="btn btn-ghost" href="/demo" target="_blank" rel="noreferrer">
              Try it on the demo page
            </a>
          </div>
          <p>Mail forwarded to <code>{created.inbox.forwardingAddress}</code> lands in the same inbox.</p>
          <Button
            variant="primary"
            onClick={() => {
              onSignedUp(created);
              navigate("/", { replace: true });
            }}
          >
            Go to the inbox
          </Button>
        </section>
      </main>
    );
  }

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={(event) => void submit(event)} aria-labelledby="setup-title">
        <h1 id="setup-title">Set up Parley</h1>
        <p>Create your team and your own account. You can invite the rest of the team afterwards.</p>
        {error ? <Notice>{error}</Notice> : null}
        <TextField label="Team or company name" required value={form.teamName} onChange={change("teamName")} autoFocus />
        <TextField label="Your name" autoComplete="name" required value={form.name} onChange={change("name")} />
        <TextField label="Email" type="email" autoComplete="username" required value={form.email} onChange={change("email")} />
        <TextField label="Password" type="password" autoComplete="new-password" minLength={8} required hint="At least 8 characters." value={form.password} onChange={change("password")} />
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? "Creating…" : "Create team"}
        </Button>
      </form>
    </main>
  );
}
