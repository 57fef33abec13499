import { createContext, useContext } from "react";
import type { Member, Team } from "./api/types.js";

/** Who is signed in, and how to change that. */
export interface Session {
  member: Member;
  team: Team;
  /** Replaces the member (after an availability change, for instance). */
  setMember: (member: Member) => void;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in session; only used under the signed-in part of the app. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) {
    throw new Error("useSession() outside a signed-in page");
  }
  return session;
}
