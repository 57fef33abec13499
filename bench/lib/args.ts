/** Command-line options: `--name value`, `--flag`, and bare words (scenario names). */
export interface Args {
  words: string[];
  string(name: string): string | undefined;
  string(name: string, fallback: string): string;
  number(name: string, fallback: number): number;
  list(name: string): string[] | undefined;
  flag(name: string): boolean;
}

/** Reads `--conversations 1000000 --data-dir x --force s5` style arguments ("1m", "100k" and "1_000" are numbers too). */
export function parseArgs(argv: string[]): Args {
  const values = new Map<string, string>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith("--")) {
      const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
      const next = argv[i + 1];
      if (inline !== undefined) {
        values.set(name, inline);
      } else if (next !== undefined && !next.startsWith("--")) {
        values.set(name, next);
        i += 1;
      } else {
        values.set(name, "true");
      }
    } else {
      words.push(arg);
    }
  }
  function string(name: string, fallback?: string): string | undefined {
    return values.get(name) ?? fallback;
  }
  return {
    words,
    string: string as Args["string"],
    number(name, fallback) {
      const raw = values.get(name);
      return raw === undefined ? fallback : parseCount(raw, name);
    },
    list(name) {
      const raw = values.get(name);
      return raw === undefined ? undefined : raw.split(",").filter((part) => part !== "");
    },
    flag(name) {
      const raw = values.get(name);
      return raw !== undefined && raw !== "false" && raw !== "0";
    },
  };
}

/** "1m" → 1,000,000; "100k" → 100,000; "2.5" → 2.5. */
export function parseCount(raw: string, name = "value"): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(raw.replaceAll("_", "").trim());
  if (!match) {
    throw new Error(`--${name} must be a number (e.g. 100000, 100k or 1m); got ${JSON.stringify(raw)}`);
  }
  const scale = match[2]?.toLowerCase() === "m" ? 1_000_000 : match[2]?.toLowerCase() === "k" ? 1000 : 1;
  return Number(match[1]) * scale;
}
