import { z } from "zod";
import { availabilities, plans, teamRoles } from "./enums.js";
import { email, publicId, text, timestamp } from "./common.js";

export const team = z
  .object({
    id: publicId("team"),
    name: z.string(),
    createdAt: timestamp,
    plan: z.enum(plans),
  })
  .meta({ id: "Team" });
export type Team = z.infer<typeof team>;

export const updateTeamBody = z.strictObject({
  name: text(1, 100).optional(),
  plan: z.enum(plans).optional(),
});

export const member = z
  .object({
    id: publicId("member"),
    email: z.string(),
    name: z.string(),
    role: z.enum(teamRoles),
    availability: z.enum(availabilities),
    createdAt: timestamp,
    invitationPending: z.boolean().meta({ description: "True until the member has set a password from the invite link." }),
    online: z.boolean().meta({ description: "Has the dashboard or another realtime client open right now." }),
  })
  .meta({ id: "Member" });
export type Member = z.infer<typeof member>;

export const createMemberBody = z.strictObject({
  email,
  name: text(1, 100),
  role: z.enum(teamRoles).default("member"),
});

export const updateMemberBody = z.strictObject({
  name: text(1, 100).optional(),
  role: z.enum(teamRoles).optional(),
});

export const availabilityBody = z.strictObject({
  status: z.enum(availabilities),
});
