import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, describeError } from "../api.js";
import type { ChatController, ChatState } from "../chat.js";

/** Close to the server's check (zod's email), so most mistakes are caught before sending. */
const EMAIL = /^(?!\.)(?!.*\.\.)[A-Za-z0-9_'+\-.]*[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** Whether the inbox's pre-chat form must be shown before the visitor can write. */
export function needsPreChat({ inbox, visitor, preChatDone }: ChatState): boolean {
  const form = inbox?.preChatForm;
  if (!form?.enabled || !visitor) {
    return false;
  }
  if ((form.requireName && !visitor.name) || (form.requireEmail && !visitor.email)) {
    return true;
  }
  return !preChatDone && !form.requireName && !form.requireEmail && !visitor.name && !visitor.email;
}

/** Name and email before the chat starts (POST /api/widget/profile), with inline errors. */
export function PreChatForm({ chat, state }: { chat: ChatController; state: ChatState }) {
  const form = state.inbox?.preChatForm ?? { enabled: true, requireName: false, requireEmail: false };
  const [name, setName] = useState(state.visitor?.name ?? "");
  const [email, setEmail] = useState(state.visitor?.email ?? "");
  const [errors, setErrors] = useState<{ name?: string; email?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const firstRef = useRef<HTMLInputElement>(null);
  useEffect(() => firstRef.current?.focus(), []);

  const validate = () => {
    const found: typeof errors = {};
    if (form.requireName && name.trim() === "") {
      found.name = "Please tell us your name.";
    }
    if (email.trim() === "" ? form.requireEmail : !EMAIL.test(email.trim())) {
      found.email = email.trim() === "" ? "Please enter your email address." : "This doesn't look like an email address. Please check it.";
    }
    return found;
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0 || busy) {
      return;
    }
    setBusy(true);
    try {
      await chat.submitPreChat({
        ...(name.trim() && name.trim() !== state.visitor?.name ? { name: name.trim() } : {}),
        ...(email.trim() && email.trim().toLowerCase() !== state.visitor?.email ? { email: email.trim() } : {}),
      });
    } catch (error) {
      if (error instanceof ApiError && error.code === "email_taken") {
        setErrors({ email: "We already know this email address from another conversation. Please use a different one." });
      } else {
        setErrors({ form: describeError(error) });
      }
    } finally {
      setBusy(false);
    }
  };

  const field = (id: "name" | "email", label: string, required: boolean, value: string, set: (value: string) => void) => (
    <div class="field">
      <label for={`prechat-${id}`}>
        {label}
        {!required && <span class="muted"> (optional)</span>}
      </label>
      <input
        ref={id === "name" ? firstRef : undefined}
        id={`prechat-${id}`}
        type={id === "email" ? "email" : "text"}
        autocomplete={id}
        value={value}
        required={required}
        aria-invalid={errors[id] ? "true" : undefined}
        aria-describedby={errors[id] ? `prechat-${id}-error` : undefined}
        onInput={(event) => set(event.currentTarget.value)}
        onBlur={() => errors[id] && setErrors({ ...errors, [id]: validate()[id] })}
      />
      {errors[id] && (
        <p class="field-error" id={`prechat-${id}-error`} role="alert">
          {errors[id]}
        </p>
      )}
    </div>
  );

  return (
    <form class="prechat" noValidate onSubmit={(event) => void submit(event)} aria-label="Before we start">
      <p>Before we start, please tell us who you are so we can follow up.</p>
      {field("name", "Name", form.requireName, name, setName)}
      {field("email", "Email", form.requireEmail, email, setEmail)}
      {errors.form && (
        <p class="field-error" role="alert">
          {errors.form}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? "Saving…" : "Start chatting"}
      </button>
    </form>
  );
}
