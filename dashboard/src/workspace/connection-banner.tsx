import { useEffect, useRef, useState } from "react";
import { useWorkspace } from "./store.js";

/** Says when live updates stop, and when they are back. */
export function ConnectionBanner() {
  const { connection } = useWorkspace();
  const [back, setBack] = useState(false);
  const wasInterrupted = useRef(false);

  useEffect(() => {
    if (connection === "interrupted" || connection === "ended") {
      wasInterrupted.current = true;
      setBack(false);
      return;
    }
    if (connection === "live" && wasInterrupted.current) {
      wasInterrupted.current = false;
      setBack(true);
      const timer = setTimeout(() => setBack(false), 4000);
      return () => clearTimeout(timer);
    }
  }, [connection]);

  if (connection === "interrupted") {
    return (
      <div className="connection-banner warn" role="status">
        Live updates interrupted. Reconnecting…
      </div>
    );
  }
  if (connection === "ended") {
    return (
      <div className="connection-banner warn" role="alert">
        Live updates stopped: your session has ended. <a href="/signin">Sign in again</a>
      </div>
    );
  }
  if (back) {
    return (
      <div className="connection-banner ok" role="status">
        Live updates are back.
      </div>
    );
  }
  return null;
}
