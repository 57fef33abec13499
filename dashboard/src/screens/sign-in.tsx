import { useState, type FormEvent } from "react";
import { auth, errorMessage } from "../api/client.js";
import type { SignedIn } from "../api/types.js";
import { navigate, useLocation } from "../lib/router.js";
import { Button, Notice, TextField } from "../ui/index.js";

/** Email and password; after signing in, back to where the member was going. */
export function SignInPage({ onSignedIn }: { onSignedIn: (signedIn: SignedIn) => void }) {
  const { pathname, search } = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const signedIn = await auth.post<SignedIn>("/signin", { email, password });
      onSignedIn(signedIn);
      if (pathname === "/signin" || pathname === "/setup") {
        navigate(search.get("next") ?? "/", { replace: true });
      }
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={(event) => void submit(event)} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Parley</h1>
        {error ? <Notice>{error}</Notice> : null}
        <TextField label="Email" type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} autoFocus />
        <TextField label="Password" type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </main>
  );
}
