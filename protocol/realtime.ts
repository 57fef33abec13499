import { z } from "zod";

/**
 * The agents' WebSocket at /api/realtime (session cookie or X-API-Key), JSON text frames.
 *
 * Server → client:
 * - `{ type: "hello", seq, memberId }` once connected live; `seq` is the team's event position now.
 * - `{ type: "event", seq, name, inboxId, data }` for every committed event the member may see, in `seq`
 *   order, each exactly once. Reconnect with `?lastSeq=<last seq seen>` to receive what was missed.
 * - `{ type: "resync", seq, reason }` when missed events cannot be replayed (too old or too many): reload
 *   state over REST, then carry on from `seq`.
 * - `{ type: "counts", seq, delta }` how the caller's view counts moved with the event of that `seq`.
 * - `{ type: "signal", name, data }` fleeting news: `typing.started` / `typing.stopped`.
 * - `{ type: "pong" }`, `{ type: "error", code, message }`.
 * Client → server: `{ type: "ping" }`, `{ type: "typing", conversationId, state: "started" | "stopped", private? }`.
 */
export const agentClientFrame = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("ping") }),
  z.strictObject({
    type: z.literal("typing"),
    conversationId: z.string().min(1).max(64),
    state: z.enum(["started", "stopped"]),
    private: z.boolean().optional(),
  }),
]);
export type AgentClientFrame = z.infer<typeof agentClientFrame>;

export const viewNames = ["unassigned", "mine", "open", "automated", "all", "closed", "spam", "pending", "snoozed"] as const;
export type CountsDelta = Partial<Record<(typeof viewNames)[number], number>>;
