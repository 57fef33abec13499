import geoip from "geoip-country";
import { UAParser } from "ua-parser-js";

/** Browser, OS and device from a User-Agent header, with a maintained parser. */
export function describeUserAgent(userAgent: string | undefined): { browser: string | null; os: string | null; device: string | null } {
  if (!userAgent) {
    return { browser: null, os: null, device: null };
  }
  const parsed = new UAParser(userAgent).getResult();
  const join = (...parts: (string | undefined)[]) => parts.filter((part) => part !== undefined && part !== "").join(" ") || null;
  const type = parsed.device.type;
  return {
    browser: join(parsed.browser.name, parsed.browser.major),
    os: join(parsed.os.name, parsed.os.version),
    device: type === "mobile" ? "Mobile" : type === "tablet" ? "Tablet" : type ? type[0]?.toUpperCase() + type.slice(1) : "Desktop",
  };
}

/** The country (ISO 3166 code) of an IP address, from a dataset shipped inside the npm package; no lookup leaves the machine. */
export function countryOf(ip: string | undefined): string | null {
  if (!ip) {
    return null;
  }
  const found = geoip.lookup(ip.replace(/^::ffff:/, ""));
  return found?.country ?? null;
}
