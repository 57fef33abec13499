/** Something that happened in a team, recorded in the same transaction as the change. */
export interface DomainEvent {
  /** `noun.past_tense`: the same string names the WebSocket frame, the webhook event and the analytics row. */
  name: string;
  teamId: string;
  /** The inbox the event belongs to, when it should reach only those who may see that inbox. */
  inboxId?: string | null;
  payload: Record<string, unknown>;
}

/** An event after commit: numbered in its team's strictly increasing sequence. */
export interface StoredEvent extends DomainEvent {
  seq: number;
  createdAt: number;
}

/** Something fleeting (typing, presence): delivered live to whoever is connected, never stored or replayed. */
export interface Signal {
  name: string;
  teamId: string;
  inboxId?: string | null;
  payload: Record<string, unknown>;
  /** The connection it came from, which does not get it back. */
  originConnectionId?: string;
}
