import type { Tx } from "../../db/database.js";
import { newSecret } from "../../lib/crypto.js";
import { findInstanceSecret, insertInstanceSecretIfMissing } from "./instance-secret.repo.js";

const cache = new WeakMap<Tx, Map<string, Promise<string>>>();

async function readOrCreate(db: Tx, name: string, now: number): Promise<string> {
  const existing = await findInstanceSecret(db, name);
  if (existing !== undefined) {
    return existing;
  }
  // Several processes may get here at once: the first insert wins and everyone reads what it wrote.
  await insertInstanceSecretIfMissing(db, name, newSecret(32), now);
  const value = await findInstanceSecret(db, name);
  if (value === undefined) {
    throw new Error(`The instance secret ${name} could not be stored.`);
  }
  return value;
}

/**
 * The installation's secret called `name`, made on first use and stored in the database so every process
 * sharing it (PostgreSQL scale-out) signs and checks with the same key; read once per process.
 */
export function getInstanceSecret(db: Tx, name: string, now: number): Promise<string> {
  let secrets = cache.get(db);
  if (!secrets) {
    secrets = new Map();
    cache.set(db, secrets);
  }
  let secret = secrets.get(name);
  if (!secret) {
    const pending = readOrCreate(db, name, now);
    const known = secrets;
    // A failure (database briefly away) is not remembered: the next caller tries again.
    void pending.catch(() => known.delete(name));
    secrets.set(name, pending);
    secret = pending;
  }
  return secret;
}
