import type { AssignmentType } from "../../../../protocol/enums.js";
import type { AutoResponder, EmailSettings, UpdateInboxBody, WidgetSettings, WorkingHours } from "../../../../protocol/inbox.js";
import { invalidField } from "../../errors.js";

/** The settings of an inbox kept as one JSON document (SPEC §2.2). */
export interface InboxSettings {
  assignmentRules: { type: AssignmentType; fallbackUserId: string | null };
  autoResponder: AutoResponder;
  workingHours: WorkingHours;
  outsideHoursMessage: string | null;
  emailSettings: EmailSettings;
  widget: WidgetSettings;
}

const weekday = { start: "09:00", end: "17:00" };

/** What a new inbox starts with: manual assignment, no auto-responder, working hours off (Mon–Fri 9–17 UTC ready to enable). */
export function defaultInboxSettings(): InboxSettings {
  return {
    assignmentRules: { type: "manual", fallbackUserId: null },
    autoResponder: { enabled: false, message: "", delaySeconds: 0, conditions: { outsideWorkingHours: false } },
    workingHours: {
      enabled: false,
      timezone: "UTC",
      schedule: { monday: weekday, tuesday: weekday, wednesday: weekday, thursday: weekday, friday: weekday, saturday: null, sunday: null },
      holidays: [],
    },
    outsideHoursMessage: "We're away right now. Leave a message and we'll get back to you as soon as we're back.",
    emailSettings: { replyByEmail: true, fromAddress: null, fromName: null },
    widget: { greeting: "Hi there 👋 How can we help?", preChatForm: { enabled: false, requireName: false, requireEmail: false }, identityVerification: false, csat: true },
  };
}

function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

type WorkingHoursPatch = NonNullable<UpdateInboxBody["workingHours"]>;

function mergeWorkingHours(current: WorkingHours, patch: WorkingHoursPatch | undefined): WorkingHours {
  if (!patch) {
    return current;
  }
  const { schedule, ...rest } = patch;
  // Days not named keep their hours, so a request can change Monday alone; null closes a day.
  return { ...current, ...defined(rest), schedule: { ...current.schedule, ...defined(schedule ?? {}) } };
}

/** Applies a PUT/POST body to settings: objects merge field by field, lists and scalars replace. */
export function mergeInboxSettings(current: InboxSettings, body: UpdateInboxBody): InboxSettings {
  const fromRules = body.assignmentRules?.workingHours;
  if (fromRules && body.workingHours) {
    throw invalidField("assignmentRules.workingHours", "give workingHours once, either at the top level or inside assignmentRules");
  }
  const { workingHours: _ignored, ...rulesPatch } = body.assignmentRules ?? {};
  const next: InboxSettings = {
    assignmentRules: { ...current.assignmentRules, ...defined(rulesPatch) },
    autoResponder: {
      ...current.autoResponder,
      ...defined({ ...body.autoResponder, conditions: undefined }),
      conditions: { ...current.autoResponder.conditions, ...defined(body.autoResponder?.conditions ?? {}) },
    },
    workingHours: mergeWorkingHours(current.workingHours, body.workingHours ?? fromRules),
    outsideHoursMessage: body.outsideHoursMessage !== undefined ? body.outsideHoursMessage || null : current.outsideHoursMessage,
    emailSettings: { ...current.emailSettings, ...defined(body.emailSettings ?? {}) },
    widget: {
      ...current.widget,
      ...defined({ ...body.widget, preChatForm: undefined }),
      preChatForm: { ...current.widget.preChatForm, ...defined(body.widget?.preChatForm ?? {}) },
    },
  };
  if (next.autoResponder.enabled && next.autoResponder.message.trim() === "") {
    throw invalidField("autoResponder.message", "an enabled auto-responder needs a message");
  }
  next.workingHours.holidays = [...new Set(next.workingHours.holidays)].sort();
  return next;
}

/** Parses the stored JSON, filling anything a later version added with its default. */
export function parseInboxSettings(json: string): InboxSettings {
  const stored = JSON.parse(json) as Partial<InboxSettings>;
  const defaults = defaultInboxSettings();
  return {
    assignmentRules: { ...defaults.assignmentRules, ...stored.assignmentRules },
    autoResponder: { ...defaults.autoResponder, ...stored.autoResponder },
    workingHours: { ...defaults.workingHours, ...stored.workingHours },
    outsideHoursMessage: stored.outsideHoursMessage === undefined ? defaults.outsideHoursMessage : stored.outsideHoursMessage,
    emailSettings: { ...defaults.emailSettings, ...stored.emailSettings },
    widget: { ...defaults.widget, ...stored.widget, preChatForm: { ...defaults.widget.preChatForm, ...stored.widget?.preChatForm } },
  };
}

/** The rating choice of each distinct settings JSON seen lately (a pure function of the text, so never stale). */
const csatBySettings = new Map<string, boolean>();
const CSAT_KEPT = 1000;

/** Whether the widget asks visitors to rate a closed conversation. Every widget answer carries it, so it is not parsed from the JSON each time. */
export function widgetCsatOf(json: string): boolean {
  let csat = csatBySettings.get(json);
  if (csat === undefined) {
    csat = parseInboxSettings(json).widget.csat;
    if (csatBySettings.size >= CSAT_KEPT) {
      csatBySettings.clear();
    }
    csatBySettings.set(json, csat);
  }
  return csat;
}
