import type { FastifyRequest } from "fastify";
import type { AppContext } from "../context.js";
import type { TransactionOptions, Tx } from "../db/database.js";
import { conflict, invalidField, isUniqueViolation } from "../errors.js";
import { hashSecret } from "../lib/crypto.js";
import { actorOf } from "./request-auth.js";

export interface Outcome {
  status: number;
  body: unknown;
  replayed?: boolean;
}

/**
 * Runs a create in one transaction, honouring an `Idempotency-Key` header: the first request's response is
 * stored with the key in the same transaction, a retry with the same key and body gets that response again
 * and changes nothing, and the same key with a different body is a 409. Keys belong to the calling member.
 */
export async function idempotent(context: AppContext, request: FastifyRequest, work: (tx: Tx) => Promise<Outcome>, options: TransactionOptions = {}): Promise<Outcome> {
  const { database, clock } = context;
  const header = request.headers["idempotency-key"];
  if (header === undefined) {
    return database.transaction(work, options);
  }
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || key.length > 200) {
    throw invalidField("Idempotency-Key", "must be 1–200 characters");
  }
  const actor = actorOf(request);
  const scope = { team_id: actor.teamId, actor_id: actor.memberId, key };
  const requestHash = hashSecret(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`);
  const replay = async (tx: Tx): Promise<Outcome | undefined> => {
    const stored = await tx.selectFrom("idempotency_keys").selectAll().where("team_id", "=", scope.team_id).where("actor_id", "=", scope.actor_id).where("key", "=", key).executeTakeFirst();
    if (!stored) {
      return undefined;
    }
    if (stored.request_hash !== requestHash) {
      throw conflict("idempotency_key_reused", "This Idempotency-Key was already used for a different request.");
    }
    return { status: stored.status_code, body: JSON.parse(stored.response), replayed: true };
  };
  // The key row is read and then written, so it is one of the transaction's keys (TransactionOptions).
  const keys = options.keys ? [...options.keys, `idempotency:${scope.team_id}:${scope.actor_id}:${key}`] : undefined;
  try {
    return await database.transaction(async (tx) => {
      const previous = await replay(tx);
      if (previous) {
        return previous;
      }
      const outcome = await work(tx);
      await tx
        .insertInto("idempotency_keys")
        .values({ ...scope, request_hash: requestHash, status_code: outcome.status, response: JSON.stringify(outcome.body), created_at: clock.now() })
        .execute();
      return outcome;
    }, { keys });
  } catch (error) {
    // A concurrent request with the same key committed first: this one's work was rolled back; answer as it did.
    if (isUniqueViolation(error)) {
      const previous = await replay(database.db);
      if (previous) {
        return previous;
      }
    }
    throw error;
  }
}
