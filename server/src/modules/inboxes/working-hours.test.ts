import { describe, expect, it } from "vitest";
import type { WorkingHours } from "../../../../protocol/inbox.js";
import { isWithinWorkingHours, nextOpening } from "./working-hours.js";

const nineToFive = { start: "09:00", end: "17:00" };
const newYork: WorkingHours = {
  enabled: true,
  timezone: "America/New_York",
  schedule: { monday: nineToFive, tuesday: nineToFive, wednesday: nineToFive, thursday: nineToFive, friday: nineToFive, saturday: null, sunday: null },
  holidays: ["2024-12-25"],
};
const at = (iso: string) => Date.parse(iso);

describe("isWithinWorkingHours", () => {
  it("is always open when working hours are disabled", () => {
    expect(isWithinWorkingHours({ ...newYork, enabled: false }, at("2024-12-25T03:00:00Z"))).toBe(true);
  });

  it("reads the schedule in the inbox's time zone", () => {
    // Monday 2024-03-04: 09:00 in New York is 14:00 UTC (EST, UTC−5).
    expect(isWithinWorkingHours(newYork, at("2024-03-04T13:59:00Z"))).toBe(false);
    expect(isWithinWorkingHours(newYork, at("2024-03-04T14:00:00Z"))).toBe(true);
    expect(isWithinWorkingHours(newYork, at("2024-03-04T21:59:00Z"))).toBe(true);
    expect(isWithinWorkingHours(newYork, at("2024-03-04T22:00:00Z"))).toBe(false);
  });

  it("keeps local hours across the spring daylight-saving change", () => {
    // Monday 2024-03-11, the day after clocks moved forward: 09:00 EDT is 13:00 UTC.
    expect(isWithinWorkingHours(newYork, at("2024-03-11T12:59:00Z"))).toBe(false);
    expect(isWithinWorkingHours(newYork, at("2024-03-11T13:00:00Z"))).toBe(true);
    expect(isWithinWorkingHours(newYork, at("2024-03-11T20:59:00Z"))).toBe(true);
    expect(isWithinWorkingHours(newYork, at("2024-03-11T21:00:00Z"))).toBe(false);
  });

  it("keeps local hours across the autumn daylight-saving change", () => {
    // Monday 2024-11-04, the day after clocks moved back: 09:00 EST is 14:00 UTC again.
    expect(isWithinWorkingHours(newYork, at("2024-11-04T13:30:00Z"))).toBe(false);
    expect(isWithinWorkingHours(newYork, at("2024-11-04T14:00:00Z"))).toBe(true);
  });

  it("is closed on days without hours and on holidays, judged by the local date", () => {
    expect(isWithinWorkingHours(newYork, at("2024-03-09T15:00:00Z"))).toBe(false); // Saturday
    expect(isWithinWorkingHours(newYork, at("2024-12-25T15:00:00Z"))).toBe(false); // Christmas, a Wednesday
    // 02:00 UTC on 26 December is still 25 December (21:00) in New York, and outside hours anyway;
    // 15:00 UTC on 24 December is a normal Tuesday.
    expect(isWithinWorkingHours(newYork, at("2024-12-24T15:00:00Z"))).toBe(true);
  });

  it("treats an end of 24:00 as midnight", () => {
    const lateShift: WorkingHours = { ...newYork, timezone: "UTC", holidays: [], schedule: { ...newYork.schedule, monday: { start: "18:00", end: "24:00" } } };
    expect(isWithinWorkingHours(lateShift, at("2024-03-04T23:59:00Z"))).toBe(true);
    expect(isWithinWorkingHours(lateShift, at("2024-03-05T00:00:00Z"))).toBe(false);
  });
});

describe("nextOpening", () => {
  it("is now when open", () => {
    expect(nextOpening(newYork, at("2024-03-04T15:00:00Z"))).toBe(at("2024-03-04T15:00:00Z"));
  });

  it("skips the weekend and holidays to the next local opening", () => {
    expect(nextOpening(newYork, at("2024-03-08T23:00:00Z"))).toBe(at("2024-03-11T13:00:00Z")); // Friday evening → Monday 09:00 EDT
    expect(nextOpening(newYork, at("2024-12-24T23:00:00Z"))).toBe(at("2024-12-26T14:00:00Z")); // over Christmas
  });

  it("is undefined when the schedule has no open day", () => {
    const closed: WorkingHours = { ...newYork, schedule: { monday: null, tuesday: null, wednesday: null, thursday: null, friday: null, saturday: null, sunday: null } };
    expect(nextOpening(closed, at("2024-03-04T15:00:00Z"))).toBeUndefined();
  });
});
