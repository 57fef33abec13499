const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "now", "5m", "3h", "2d", or a date for older times: the list's compact style. */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) {
    return "";
  }
  const at = Date.parse(iso);
  const ago = Math.max(0, now - at);
  if (ago < MINUTE) {
    return "now";
  }
  if (ago < HOUR) {
    return `${Math.floor(ago / MINUTE)}m`;
  }
  if (ago < DAY) {
    return `${Math.floor(ago / HOUR)}h`;
  }
  if (ago < 7 * DAY) {
    return `${Math.floor(ago / DAY)}d`;
  }
  return new Date(at).toLocaleDateString(undefined, { day: "numeric", month: "short" });
}

/** A full date and time in the browser's locale. */
export function dateTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "—";
}

/** The time of day, for message stamps. */
export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

/** "45s", "12m", "3h 5m", "2d 4h". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) {
    return "—";
  }
  if (seconds < 60) {
    return `${seconds}s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes}m`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return `${hours}h ${minutes % 60}m`;
  }
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}
