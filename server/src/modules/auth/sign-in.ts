import type { Database } from "../../db/database.js";
import type { MemberRow } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { verifyAgainstDummy, verifyPassword } from "../../lib/passwords.js";
import { findActiveMemberByEmail } from "../members/member.repo.js";
import { createSession, type SessionContext } from "./create-session.js";
import { assertWithinAttemptLimits, clearSuccessfulAttempt, recordSignInAttempt } from "./login-throttle.js";

/** Checks email and password, throttling repeated failures per account and per address; returns a new session token. */
export async function signIn(database: Database, input: { email: string; password: string } & SessionContext): Promise<{ member: MemberRow; token: string }> {
  const { email, password, ip, now } = input;
  await database.transaction((tx) => recordSignInAttempt(tx, email, ip, now));
  await assertWithinAttemptLimits(database.db, email, ip, now);
  const member = await findActiveMemberByEmail(database.db, email);
  // Password hashing runs outside any transaction: it takes tens of milliseconds and must not hold a write lock.
  const ok = member?.password_hash ? await verifyPassword(member.password_hash, password) : await verifyAgainstDummy(password);
  if (!member || !ok) {
    throw new AppError(401, "invalid_credentials", "The email address or password is not correct.");
  }
  const token = await database.transaction(async (tx) => {
    await clearSuccessfulAttempt(tx, email, ip, now);
    return createSession(tx, member, input);
  });
  return { member, token };
}
