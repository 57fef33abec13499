import { DateTime } from "luxon";
import { weekdays } from "../../../../protocol/enums.js";
import type { WorkingHours } from "../../../../protocol/inbox.js";

function minutesOf(clock: string): number {
  const [hours = "0", minutes = "0"] = clock.split(":");
  return Number(hours) * 60 + Number(minutes);
}

/**
 * Whether an inbox is open at an instant. Wall-clock hours are read in the inbox's own time zone, so a
 * 09:00–17:00 day stays 09:00–17:00 local time across daylight-saving changes; holidays close the whole
 * local day. With working hours disabled the inbox is always open.
 */
export function isWithinWorkingHours(hours: WorkingHours, at: number): boolean {
  if (!hours.enabled) {
    return true;
  }
  const local = DateTime.fromMillis(at, { zone: hours.timezone });
  if (hours.holidays.includes(local.toISODate() ?? "")) {
    return false;
  }
  const day = hours.schedule[weekdays[local.weekday - 1] ?? "monday"];
  if (!day) {
    return false;
  }
  const minute = local.hour * 60 + local.minute;
  return minute >= minutesOf(day.start) && minute < minutesOf(day.end);
}

/** The next instant at or after `at` when the inbox opens, looking up to two weeks ahead; undefined if never. */
export function nextOpening(hours: WorkingHours, at: number): number | undefined {
  if (isWithinWorkingHours(hours, at)) {
    return at;
  }
  const start = DateTime.fromMillis(at, { zone: hours.timezone }).startOf("day");
  for (let offset = 0; offset < 15; offset++) {
    const date = start.plus({ days: offset });
    const day = hours.schedule[weekdays[date.weekday - 1] ?? "monday"];
    if (!day || hours.holidays.includes(date.toISODate() ?? "")) {
      continue;
    }
    const opening = date.set({ hour: Math.floor(minutesOf(day.start) / 60), minute: minutesOf(day.start) % 60 }).toMillis();
    if (opening >= at) {
      return opening;
    }
  }
  return undefined;
}
