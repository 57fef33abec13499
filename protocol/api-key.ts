import { z } from "zod";
import { teamRoles } from "./enums.js";
import { publicId, text, timestamp } from "./common.js";

export const apiKey = z
  .object({
    id: publicId("key"),
    name: z.string(),
    role: z.enum(teamRoles),
    prefix: z.string().meta({ description: "The first characters of the secret, to recognise it." }),
    memberId: publicId("member"),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
  })
  .meta({ id: "ApiKey" });
export type ApiKey = z.infer<typeof apiKey>;

export const createApiKeyBody = z.strictObject({
  name: text(1, 100),
  role: z.enum(teamRoles).default("admin"),
});
