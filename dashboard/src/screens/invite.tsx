import { useEffect, useState, type FormEvent } from "react";
import { auth, errorMessage } from "../api/client.js";
import type { SignedIn } from "../api/types.js";
import { navigate } from "../lib/router.js";
import { Button, Notice, Spinner, TextField } from "../ui/index.js";

interface Invite {
  email: string;
  name: string;
  teamName: string;
}

/** The one-time invite link: the new member chooses a password (and may fix their name), then is signed in. */
export function InvitePage({ token, onAccepted }: { token: string; onAccepted: (signedIn: SignedIn) => void }) {
  const [invite, setInvite] = useState<Invite | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    auth
      .get<Invite>(`/invites/${encodeURIComponent(token)}`)
      .then((found) => {
        setInvite(found);
        setName(found.name);
      })
      .catch((caught: unknown) => setLoadError(errorMessage(caught)));
  }, [token]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) {
      setError("The two passwords differ.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const signedIn = await auth.post<SignedIn>(`/invites/${encodeURIComponent(token)}/accept`, { password, ...(name.trim() && name.trim() !== invite?.name ? { name: name.trim() } : {}) });
      onAccepted(signedIn);
      navigate("/", { replace: true });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  if (loadError) {
    return (
      <main className="auth-page">
        <section className="auth-card">
          <h1>This invite link does not work</h1>
          <Notice>{loadError}</Notice>
          <p>Ask whoever invited you for a new link.</p>
          <a className="btn btn-default" href="/signin">
            Go to sign-in
          </a>
        </section>
      </main>
    );
  }
  if (!invite) {
    return (
      <div className="center-page">
        <Spinner label="Checking the invite" />
      </div>
    );
  }
  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={(event) => void submit(event)} aria-labelledby="invite-title">
        <h1 id="invite-title">Join {invite.teamName}</h1>
        <p>
          Choose a password for <strong>{invite.email}</strong>.
        </p>
        {error ? <Notice>{error}</Notice> : null}
        <TextField label="Your name" autoComplete="name" required value={name} onChange={(event) => setName(event.target.value)} />
        <TextField label="Password" type="password" autoComplete="new-password" minLength={8} required hint="At least 8 characters." value={password} onChange={(event) => setPassword(event.target.value)} autoFocus />
        <TextField label="Repeat the password" type="password" autoComplete="new-password" required value={confirm} onChange={(event) => setConfirm(event.target.value)} />
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? "Joining…" : "Join the team"}
        </Button>
      </form>
    </main>
  );
}
