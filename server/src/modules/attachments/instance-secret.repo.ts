import type { Tx } from "../../db/database.js";

/** The value of an installation secret, if it has been made. */
export async function findInstanceSecret(tx: Tx, name: string): Promise<string | undefined> {
  const row = await tx.selectFrom("instance_secrets").select("value").where("name", "=", name).executeTakeFirst();
  return row?.value;
}

/** Stores a secret under name unless one is there already (then the existing one stays). */
export async function insertInstanceSecretIfMissing(tx: Tx, name: string, value: string, now: number): Promise<void> {
  await tx
    .insertInto("instance_secrets")
    .values({ name, value, created_at: now })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
}
