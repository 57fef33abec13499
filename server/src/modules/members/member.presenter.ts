import type { Availability, TeamRole } from "../../../../protocol/enums.js";
import type { Member } from "../../../../protocol/team.js";
import type { MemberRow } from "../../db/schema.js";
import { iso } from "../../lib/time.js";

/** A member as seed 003 documents it, with availability and invitation state added. */
export function presentMember(row: MemberRow, online = false): Member {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as TeamRole,
    availability: row.availability as Availability,
    createdAt: iso(row.created_at),
    invitationPending: row.password_hash === null,
    online,
  };
}
