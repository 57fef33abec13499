import { useState } from "preact/hooks";
import type { ChatController, ChatState } from "../chat.js";

const CHOICES = [
  [1, "😞", "Very bad"],
  [2, "🙁", "Bad"],
  [3, "😐", "OK"],
  [4, "🙂", "Good"],
  [5, "😍", "Great"],
] as const;

/** After a conversation closes: a 1–5 rating with an optional comment, asked once. */
export function CsatPrompt({ chat, csat }: { chat: ChatController; csat: NonNullable<ChatState["csat"]> }) {
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  if (csat.stage === "thanks") {
    return (
      <div class="csat" role="status" data-testid="csat-thanks">
        <p>Thank you for your feedback! 🙏</p>
      </div>
    );
  }
  return (
    <form
      class="csat"
      data-testid="csat"
      aria-label="Rate this conversation"
      onSubmit={(event) => {
        event.preventDefault();
        if (rating !== null) {
          void chat.rate(rating, comment);
        }
      }}
    >
      <fieldset>
        <legend>How would you rate this conversation?</legend>
        <div class="choices">
          {CHOICES.map(([value, face, label]) => (
            <button key={value} type="button" aria-label={`${value} of 5: ${label}`} aria-pressed={rating === value} title={label} onClick={() => setRating(value)}>
              {face}
            </button>
          ))}
        </div>
      </fieldset>
      {rating !== null && (
        <>
          <label class="sr-only" for="csat-comment">
            Comment (optional)
          </label>
          <textarea id="csat-comment" rows={2} maxLength={2000} placeholder="Anything to add? (optional)" value={comment} onInput={(event) => setComment(event.currentTarget.value)} />
        </>
      )}
      {csat.error && (
        <p class="field-error" role="alert">
          {csat.error}
        </p>
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={rating === null || csat.stage === "sending"}>
          {csat.stage === "sending" ? "Sending…" : "Send rating"}
        </button>
        <button type="button" class="link" onClick={() => chat.dismissCsat()}>
          No thanks
        </button>
      </div>
    </form>
  );
}
