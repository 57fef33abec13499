import { useCallback, useEffect, useId, useRef, useState, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { ApiError, errorMessage } from "../api/client.js";
import { useSession } from "../session.js";
import { Button, Modal, Notice, Spinner } from "../ui/index.js";

/** Owners and admins manage the whole team; members see the parts SPEC §4 allows them. */
export function useIsTeamAdmin(): boolean {
  const { member } = useSession();
  return member.role === "owner" || member.role === "admin";
}

export type Loaded<T> = { state: "loading" } | { state: "failed"; message: string } | { state: "ready"; data: T };

/** Loads once (and again on reload()); setData replaces the loaded value after a change. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]) {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: "loading" });
  const [round, setRound] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setLoaded((current) => (current.state === "ready" ? current : { state: "loading" }));
    loader
      .current(controller.signal)
      .then((data) => setLoaded({ state: "ready", data }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          setLoaded({ state: "failed", message: errorMessage(error) });
        }
      });
    return () => controller.abort();
  }, [round, ...deps]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  const setData = useCallback((update: (data: T) => T) => setLoaded((current) => (current.state === "ready" ? { state: "ready", data: update(current.data) } : current)), []);
  return { loaded, reload, setData };
}

/** The spinner or the failure of a Loaded value, or null once it is ready. */
export function LoadState({ loaded, onRetry, label }: { loaded: Loaded<unknown>; onRetry: () => void; label: string }) {
  if (loaded.state === "loading") {
    return (
      <div className="settings-loading">
        <Spinner label={`Loading ${label}`} />
      </div>
    );
  }
  if (loaded.state === "failed") {
    return (
      <div className="settings-failed">
        <Notice>{loaded.message}</Notice>
        <Button onClick={onRetry}>Try again</Button>
      </div>
    );
  }
  return null;
}

/** Field errors keyed by the dotted paths the server names (workingHours.schedule.monday.end). */
export type FieldErrors = Record<string, string>;

/**
 * The state of a form that sends one request: `busy` while it runs, and on failure the server's field errors
 * (for the paths the form shows) and the message to put above it. `setErrors` lets the form add its own checks.
 */
export function useFormSubmit(knownPaths: (path: string) => boolean) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      await action();
    } catch (caught) {
      const split = splitError(caught, knownPaths);
      setErrors(split.fields);
      setMessage(split.message);
    } finally {
      setBusy(false);
    }
  };
  return { errors, setErrors, message, busy, run };
}

/** Splits a failed request into field errors and the message to show above the form. */
export function splitError(error: unknown, knownPaths?: (path: string) => boolean): { fields: FieldErrors; message: string | null } {
  if (!(error instanceof ApiError) || error.fields.length === 0) {
    return { fields: {}, message: errorMessage(error) };
  }
  const fields: FieldErrors = {};
  const rest: string[] = [];
  for (const field of error.fields) {
    for (const path of field.path.split(", ")) {
      if (path && (!knownPaths || knownPaths(path))) {
        fields[path] ??= field.message;
      } else {
        rest.push(path ? `${path}: ${field.message}` : field.message);
      }
    }
  }
  const count = Object.keys(fields).length;
  const message = rest.length > 0 ? `${error.message} ${rest.join("; ")}`.trim() : `${count === 1 ? "One field needs" : `${count} fields need`} a change: see the marked fields.`;
  return { fields, message };
}

/** A labelled <select>, with an error or hint below it. */
export function SelectField({ label, error, hint, children, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string | null; hint?: string; children: ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={error || hint ? `${id}-note` : undefined} {...props}>
        {children}
      </select>
      <FieldNote id={`${id}-note`} error={error} hint={hint} />
    </div>
  );
}

/** A labelled <textarea>, with an error or hint below it. */
export function TextAreaField({ label, error, hint, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; error?: string | null; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={3} aria-invalid={error ? true : undefined} aria-describedby={error || hint ? `${id}-note` : undefined} {...props} />
      <FieldNote id={`${id}-note`} error={error} hint={hint} />
    </div>
  );
}

function FieldNote({ id, error, hint }: { id: string; error?: string | null; hint?: string }) {
  if (error) {
    return (
      <p id={id} className="field-error">
        {error}
      </p>
    );
  }
  return hint ? (
    <p id={id} className="field-hint">
      {hint}
    </p>
  ) : null;
}

/** A checkbox with its label to the right. */
export function CheckField({ label, checked, onChange, hint, disabled }: { label: string; checked: boolean; onChange: (checked: boolean) => void; hint?: string; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="check-field">
      <input id={id} type="checkbox" checked={checked} disabled={disabled} onChange={(event) => onChange(event.target.checked)} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** Puts text on the clipboard; falls back to a hidden textarea where the Clipboard API is unavailable. */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Permission refused: try the old way below.
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  const done = document.execCommand("copy");
  area.remove();
  if (!done) {
    throw new Error("The browser did not allow copying; select the text and copy it yourself.");
  }
}

/** "Copy" that says "Copied" for a moment (or why it could not). */
export function CopyButton({ text, label, what }: { text: string; label?: string; what: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") {
      return;
    }
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <span className="copy-button">
      <Button
        aria-label={`Copy ${what}`}
        onClick={() => {
          copyText(text).then(
            () => setState("copied"),
            () => setState("failed"),
          );
        }}
      >
        {label ?? "Copy"}
      </Button>
      <span role="status" className="copy-state">
        {state === "copied" ? "Copied" : state === "failed" ? "Could not copy; select it and copy by hand" : ""}
      </span>
    </span>
  );
}

/** A confirmation dialog for something that cannot be undone. */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose }: { title: string; children: ReactNode; confirmLabel: string; onConfirm: () => Promise<void>; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal title={title} onClose={onClose}>
      <div className="confirm-body">
        {children}
        {error ? <Notice>{error}</Notice> : null}
        <div className="row confirm-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="danger"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              setError(null);
              onConfirm().then(
                () => {
                  setBusy(false);
                  onClose();
                },
                (caught: unknown) => {
                  setBusy(false);
                  setError(errorMessage(caught));
                },
              );
            }}
          >
            {busy ? "Working…" : confirmLabel}
          </Button>
        </div>
      </div>
    </Modal>
  );
}

/** A page heading with optional actions to its right. */
export function SectionHeader({ title, children, description }: { title: string; children?: ReactNode; description?: ReactNode }) {
  return (
    <header className="settings-header">
      <div className="settings-header-text">
        <h1 id="settings-section-title">{title}</h1>
        {description ? <p className="muted">{description}</p> : null}
      </div>
      {children ? <div className="row">{children}</div> : null}
    </header>
  );
}

/** A short, dismissable "saved" confirmation that fades by itself after a few seconds. */
export function useFlash(): [string | null, (message: string | null) => void] {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    if (!message) {
      return;
    }
    const timer = setTimeout(() => setMessage(null), 6000);
    return () => clearTimeout(timer);
  }, [message]);
  return [message, setMessage];
}

/** "3 minutes ago", "never". */
export function relative(iso: string | null): string {
  if (!iso) {
    return "never";
  }
  const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const steps: [number, Intl.RelativeTimeFormatUnit][] = [
    [60, "second"],
    [60, "minute"],
    [24, "hour"],
    [30, "day"],
    [12, "month"],
    [Infinity, "year"],
  ];
  let value = seconds;
  for (const [size, unit] of steps) {
    if (Math.abs(value) < size) {
      return format.format(-Math.round(value), unit);
    }
    value /= size;
  }
  return new Date(iso).toLocaleDateString();
}
