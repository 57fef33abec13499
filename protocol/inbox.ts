import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { assignmentTypes, availabilities, inboxRoles } from "./enums.js";
import { email, publicId, text, timestamp } from "./common.js";

const clockTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "expected HH:MM between 00:00 and 24:00");

export const dayHours = z
  .strictObject({ start: clockTime, end: clockTime })
  .refine((day) => day.start < day.end, { message: "start must be before end", path: ["end"] });

const dayEntry = dayHours.nullable();

export const schedule = z.strictObject({
  monday: dayEntry.optional(),
  tuesday: dayEntry.optional(),
  wednesday: dayEntry.optional(),
  thursday: dayEntry.optional(),
  friday: dayEntry.optional(),
  saturday: dayEntry.optional(),
  sunday: dayEntry.optional(),
});

export const timezone = z
  .string()
  .max(64)
  .refine((zone) => IANAZone.isValidZone(zone), { message: "expected an IANA time zone such as America/New_York" })
  // Stored in its canonical spelling ("utc" → "UTC", "america/new_york" → "America/New_York").
  .transform((zone) => new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone);

export const holiday = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
  .refine((date) => DateTime.fromISO(date, { zone: "utc" }).isValid, { message: "not a real calendar date" });

/** workingHours as a request gives it: every field optional, merged into the current value. */
export const workingHoursPatch = z.strictObject({
  enabled: z.boolean().optional(),
  timezone: timezone.optional(),
  schedule: schedule.optional(),
  holidays: z.array(holiday).max(400).optional(),
});

export const assignmentRulesPatch = z.strictObject({
  type: z.enum(assignmentTypes).optional(),
  fallbackUserId: publicId("member").nullable().optional(),
  /** Seed 000 shows workingHours inside assignmentRules; it is the inbox's one workingHours. */
  workingHours: workingHoursPatch.optional(),
});

export const autoResponderPatch = z.strictObject({
  enabled: z.boolean().optional(),
  message: z.string().trim().max(5000).optional(),
  delaySeconds: z.number().int().min(0).max(86_400).optional(),
  conditions: z.strictObject({ outsideWorkingHours: z.boolean().optional() }).optional(),
});

export const emailSettingsPatch = z.strictObject({
  replyByEmail: z.boolean().optional(),
  fromAddress: email.nullable().optional(),
  fromName: text(1, 100).nullable().optional(),
});

export const widgetSettingsPatch = z.strictObject({
  greeting: z.string().trim().max(500).nullable().optional(),
  preChatForm: z.strictObject({ enabled: z.boolean().optional(), requireName: z.boolean().optional(), requireEmail: z.boolean().optional() }).optional(),
  /** With it on, the site must sign `setUser` ids: hash = HMAC-SHA256(identitySecret, userId), hex. */
  identityVerification: z.boolean().optional(),
  /** Ask for a 1–5 rating when a conversation is closed. */
  csat: z.boolean().optional(),
});

/** Forwarding addresses are Parley's own; an inbox's public address must not take that shape. */
const inboxEmail = email.refine((address) => !/^inbox-[a-z0-9]{10}@/.test(address), { message: "this is the shape of a Parley forwarding address; use your own address" });

const inboxFields = {
  description: z.string().trim().max(500).nullable().optional(),
  email: inboxEmail.nullable().optional(),
  isDefault: z.boolean().optional(),
  color: z.string().regex(/^#[0-9A-Fa-f]{6}$/, "expected #RRGGBB").optional(),
  icon: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "expected a short lowercase icon name such as wrench").optional(),
  assignmentRules: assignmentRulesPatch.optional(),
  autoResponder: autoResponderPatch.optional(),
  workingHours: workingHoursPatch.optional(),
  outsideHoursMessage: z.string().trim().max(2000).nullable().optional(),
  emailSettings: emailSettingsPatch.optional(),
  widget: widgetSettingsPatch.optional(),
};

export const createInboxBody = z.strictObject({ name: text(1, 100), ...inboxFields });
export type CreateInboxBody = z.infer<typeof createInboxBody>;

export const updateInboxBody = z.strictObject({ name: text(1, 100).optional(), ...inboxFields });
export type UpdateInboxBody = z.infer<typeof updateInboxBody>;

const dayOut = z.object({ start: z.string(), end: z.string() }).nullable();

export const workingHours = z
  .object({
    enabled: z.boolean(),
    timezone: z.string(),
    schedule: z.object({ monday: dayOut, tuesday: dayOut, wednesday: dayOut, thursday: dayOut, friday: dayOut, saturday: dayOut, sunday: dayOut }),
    holidays: z.array(z.string()),
  })
  .meta({ id: "WorkingHours" });
export type WorkingHours = z.infer<typeof workingHours>;

export const autoResponder = z.object({
  enabled: z.boolean(),
  message: z.string(),
  delaySeconds: z.number().int(),
  conditions: z.object({ outsideWorkingHours: z.boolean() }),
});
export type AutoResponder = z.infer<typeof autoResponder>;

export const emailSettings = z.object({
  replyByEmail: z.boolean(),
  fromAddress: z.string().nullable(),
  fromName: z.string().nullable(),
});
export type EmailSettings = z.infer<typeof emailSettings>;

export const widgetSettings = z.object({
  greeting: z.string().nullable(),
  preChatForm: z.object({ enabled: z.boolean(), requireName: z.boolean(), requireEmail: z.boolean() }),
  identityVerification: z.boolean(),
  csat: z.boolean(),
});
export type WidgetSettings = z.infer<typeof widgetSettings>;

export const inbox = z
  .object({
    id: publicId("inbox"),
    name: z.string(),
    description: z.string().nullable(),
    email: z.string().nullable(),
    isDefault: z.boolean(),
    color: z.string(),
    icon: z.string(),
    assignmentRules: z.object({
      type: z.enum(assignmentTypes),
      fallbackUserId: z.string().nullable(),
      workingHours: workingHours.meta({ description: "The same object as the inbox's workingHours." }),
    }),
    autoResponder,
    workingHours,
    outsideHoursMessage: z.string().nullable(),
    emailSettings,
    widget: widgetSettings,
    widgetSnippet: z.string().meta({ description: "Paste into your site's HTML to show the chat widget of this inbox." }),
    forwardingAddress: z.string().meta({ description: "Mail sent or forwarded here becomes a conversation in this inbox." }),
    websiteToken: z.string().meta({ description: "Identifies this inbox to the website widget." }),
    identitySecret: z.string().optional().meta({ description: "HMAC key for widget identity verification; shown to inbox and team admins only." }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Inbox" });
export type Inbox = z.infer<typeof inbox>;

export const inboxMember = z
  .object({
    userId: publicId("member"),
    inboxId: publicId("inbox"),
    role: z.enum(inboxRoles),
    name: z.string(),
    email: z.string(),
    availability: z.enum(availabilities),
    createdAt: timestamp,
  })
  .meta({ id: "InboxMember" });
export type InboxMember = z.infer<typeof inboxMember>;

export const addInboxMemberBody = z.strictObject({
  userId: publicId("member"),
  role: z.enum(inboxRoles).default("agent"),
});
