import { useId, useMemo, useState } from "react";
import { Button } from "../ui/index.js";
import { CheckField, type FieldErrors } from "./common.js";

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Day = (typeof WEEKDAYS)[number];

export const dayName = (day: Day) => day[0]!.toUpperCase() + day.slice(1);

export interface DayDraft {
  open: boolean;
  start: string;
  end: string;
}

export interface HoursDraft {
  enabled: boolean;
  timezone: string;
  schedule: Record<Day, DayDraft>;
  holidays: string[];
}

const CLOCK = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** The same checks as the server's: HH:MM times, start before end on open days. Keys are the API's paths. */
export function validateHours(hours: HoursDraft): FieldErrors {
  const errors: FieldErrors = {};
  for (const day of WEEKDAYS) {
    const entry = hours.schedule[day];
    if (!entry.open) {
      continue;
    }
    const base = `workingHours.schedule.${day}`;
    if (!CLOCK.test(entry.start)) {
      errors[`${base}.start`] = "Enter a time as HH:MM.";
    }
    if (!CLOCK.test(entry.end)) {
      errors[`${base}.end`] = "Enter a time as HH:MM.";
    }
    if (CLOCK.test(entry.start) && CLOCK.test(entry.end) && entry.start >= entry.end) {
      errors[`${base}.end`] = `The end must be after the start (${entry.start}).`;
    }
  }
  return errors;
}

let zones: string[] | undefined;
/** Every IANA zone the browser knows, with UTC (which some browsers leave out of the list). */
export function timeZones(): string[] {
  if (!zones) {
    const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
    zones = known.includes("UTC") ? [...known] : ["UTC", ...known];
  }
  return zones;
}

/** A search box over the zones and a list of the matches; the chosen zone always stays in the list. */
export function TimeZonePicker({ value, onChange, error, disabled }: { value: string; onChange: (zone: string) => void; error?: string; disabled?: boolean }) {
  const id = useId();
  const [filter, setFilter] = useState("");
  const matches = useMemo(() => {
    const words = filter.trim().toLowerCase().replaceAll(" ", "_").split(/[\s,]+/).filter(Boolean);
    const found = timeZones().filter((zone) => words.every((word) => zone.toLowerCase().includes(word)));
    return found.includes(value) || !value ? found : [value, ...found];
  }, [filter, value]);
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <div className="field timezone-picker">
      <label htmlFor={`${id}-zone`}>Time zone</label>
      <div className="row">
        <input type="search" aria-label="Filter time zones" placeholder="Filter: berlin, new york…" value={filter} disabled={disabled} onChange={(event) => setFilter(event.target.value)} />
        <select
          id={`${id}-zone`}
          value={value}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-note`}
          onChange={(event) => onChange(event.target.value)}
        >
          {matches.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll("_", " ")}
            </option>
          ))}
        </select>
        {browserZone && browserZone !== value ? (
          <Button variant="ghost" disabled={disabled} onClick={() => onChange(browserZone)}>
            Use mine ({browserZone.replaceAll("_", " ")})
          </Button>
        ) : null}
      </div>
      <p id={`${id}-note`} className={error ? "field-error" : "field-hint"}>
        {error ?? `${matches.length} of ${timeZones().length} zones shown. Daylight-saving changes are followed.`}
      </p>
    </div>
  );
}

/** Per weekday: open or closed, and the opening hours. */
export function WeeklyHours({ hours, onChange, errors, disabled }: { hours: HoursDraft; onChange: (hours: HoursDraft) => void; errors: FieldErrors; disabled?: boolean }) {
  const setDay = (day: Day, patch: Partial<DayDraft>) => onChange({ ...hours, schedule: { ...hours.schedule, [day]: { ...hours.schedule[day], ...patch } } });
  const copyMonday = () => {
    const monday = hours.schedule.monday;
    const schedule = { ...hours.schedule };
    for (const day of ["tuesday", "wednesday", "thursday", "friday"] as const) {
      schedule[day] = { ...monday };
    }
    onChange({ ...hours, schedule });
  };
  return (
    <fieldset className="week" disabled={disabled}>
      <legend>Weekly hours</legend>
      <div className="week-days">
        {WEEKDAYS.map((day) => {
          const entry = hours.schedule[day];
          const name = dayName(day);
          const startError = errors[`workingHours.schedule.${day}.start`];
          const endError = errors[`workingHours.schedule.${day}.end`] ?? errors[`workingHours.schedule.${day}`];
          return (
            <div key={day} className={`week-day ${entry.open ? "" : "closed"}`} data-day={day}>
              <CheckField label={name} checked={entry.open} onChange={(open) => setDay(day, { open })} disabled={disabled} />
              {entry.open ? (
                <div className="week-times">
                  <input type="time" aria-label={`${name} start`} value={entry.start} aria-invalid={startError ? true : undefined} onChange={(event) => setDay(day, { start: event.target.value })} />
                  <span aria-hidden="true">–</span>
                  <input
                    type="time"
                    aria-label={`${name} end`}
                    value={entry.end}
                    aria-invalid={endError ? true : undefined}
                    aria-describedby={endError || startError ? `err-${day}` : undefined}
                    onChange={(event) => setDay(day, { end: event.target.value })}
                  />
                </div>
              ) : (
                <span className="muted week-closed">Closed</span>
              )}
              {startError || endError ? (
                <p id={`err-${day}`} className="field-error week-error">
                  {[startError, endError].filter(Boolean).join(" ")}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
      <Button variant="ghost" onClick={copyMonday}>
        Copy Monday to Tuesday–Friday
      </Button>
    </fieldset>
  );
}

/** Dates on which the inbox stays closed all day. */
export function Holidays({ holidays, onChange, error, disabled }: { holidays: string[]; onChange: (holidays: string[]) => void; error?: string; disabled?: boolean }) {
  const [date, setDate] = useState("");
  const add = () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || holidays.includes(date)) {
      return;
    }
    onChange([...holidays, date].sort());
    setDate("");
  };
  return (
    <fieldset className="holidays" disabled={disabled}>
      <legend>Holidays</legend>
      <div className="row">
        <input
          type="date"
          aria-label="Holiday date"
          value={date}
          onChange={(event) => setDate(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              add();
            }
          }}
        />
        <Button onClick={add} disabled={!date || holidays.includes(date)}>
          Add holiday
        </Button>
      </div>
      {error ? <p className="field-error">{error}</p> : null}
      {holidays.length === 0 ? (
        <p className="muted">No holidays.</p>
      ) : (
        <ul className="holiday-list" aria-label="Holidays">
          {holidays.map((day) => (
            <li key={day}>
              <span>{formatDate(day)}</span>
              <Button variant="ghost" aria-label={`Remove holiday ${day}`} onClick={() => onChange(holidays.filter((entry) => entry !== day))}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

function formatDate(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : `${date.toLocaleDateString(undefined, { weekday: "short", year: "numeric", month: "short", day: "numeric", timeZone: "UTC" })} (${day})`;
}
