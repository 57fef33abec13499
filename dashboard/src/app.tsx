import { useCallback, useEffect, useMemo, useState } from "react";
import { auth, errorMessage, onUnauthorized } from "./api/client.js";
import type { Member, SetupState, SignedIn } from "./api/types.js";
import { matchPath, navigate, useLocation } from "./lib/router.js";
import { InvitePage } from "./screens/invite.js";
import { SetupPage } from "./screens/setup.js";
import { SignInPage } from "./screens/sign-in.js";
import { SessionContext, type Session } from "./session.js";
import { Button, Notice, Spinner } from "./ui/index.js";
import { Workspace } from "./workspace/workspace.js";

type Boot = { state: "loading" } | { state: "failed"; message: string } | { state: "ready"; setup: SetupState; signedIn: SignedIn | null };

/** Decides between first-run setup, sign-in, invite acceptance and the workspace. */
export function App() {
  const { pathname } = useLocation();
  const [boot, setBoot] = useState<Boot>({ state: "loading" });

  const load = useCallback(async () => {
    try {
      const setup = await auth.get<SetupState>("/setup");
      let signedIn: SignedIn | null = null;
      if (!setup.needsSetup) {
        signedIn = await auth.get<SignedIn>("/me").catch(() => null);
      }
      setBoot({ state: "ready", setup, signedIn });
    } catch (error) {
      setBoot({ state: "failed", message: errorMessage(error) });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(
    () =>
      onUnauthorized(() => {
        setBoot((current) => (current.state === "ready" && current.signedIn ? { ...current, signedIn: null } : current));
      }),
    [],
  );

  const signedInAs = useCallback((signedIn: SignedIn) => {
    setBoot((current) => ({ state: "ready", setup: current.state === "ready" ? { ...current.setup, needsSetup: false } : { needsSetup: false, signupEnabled: false }, signedIn }));
  }, []);

  const signedIn = boot.state === "ready" ? boot.signedIn : null;
  const session = useMemo<Session | null>(() => {
    if (!signedIn) {
      return null;
    }
    return {
      member: signedIn.member,
      team: signedIn.team,
      setMember: (member: Member) => setBoot((current) => (current.state === "ready" && current.signedIn ? { ...current, signedIn: { ...current.signedIn, member } } : current)),
      signOut: async () => {
        await auth.post("/signout").catch(() => undefined);
        setBoot((current) => (current.state === "ready" ? { ...current, signedIn: null } : current));
        navigate("/signin", { replace: true });
      },
    };
  }, [signedIn]);

  const invite = matchPath("/invite/:token", pathname);
  if (invite?.token) {
    return <InvitePage token={invite.token} onAccepted={signedInAs} />;
  }
  if (boot.state === "loading") {
    return (
      <div className="center-page">
        <Spinner label="Loading Parley" />
      </div>
    );
  }
  if (boot.state === "failed") {
    return (
      <div className="center-page">
        <Notice>{boot.message}</Notice>
        <Button onClick={() => void load()}>Try again</Button>
      </div>
    );
  }
  if (boot.setup.needsSetup || (pathname === "/setup" && !session)) {
    return <SetupPage onSignedUp={signedInAs} />;
  }
  if (!session) {
    return <SignInPage onSignedIn={signedInAs} />;
  }
  return (
    <SessionContext.Provider value={session}>
      <Workspace />
    </SessionContext.Provider>
  );
}
