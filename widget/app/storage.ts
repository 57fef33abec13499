/**
 * Where the widget keeps its visitor token and small flags: the frame's own localStorage when the browser
 * allows it, mirrored into the host page's localStorage through the loader (browsers that block storage in
 * third-party frames still allow that), and memory as the last resort.
 */
const memory = new Map<string, string>();
let mirror: ((key: string, value: string | null) => void) | undefined;

function frameStorage(): Storage | undefined {
  try {
    const store = window.localStorage;
    const probe = "parley:probe";
    store.setItem(probe, "1");
    store.removeItem(probe);
    return store;
  } catch {
    return undefined;
  }
}

const store = frameStorage();

/** Values the host page kept for the widget, and how to keep more there. */
export function adoptHostStorage(values: Record<string, string>, write: (key: string, value: string | null) => void): void {
  for (const [key, value] of Object.entries(values)) {
    if (!memory.has(key)) {
      memory.set(key, value);
    }
  }
  mirror = write;
}

export function readItem(key: string): string | undefined {
  try {
    const value = store?.getItem(key);
    if (value !== null && value !== undefined) {
      return value;
    }
  } catch {
    // fall through to what the host page kept
  }
  return memory.get(key);
}

export function writeItem(key: string, value: string | undefined): void {
  if (value === undefined) {
    memory.delete(key);
  } else {
    memory.set(key, value);
  }
  mirror?.(key, value ?? null);
  try {
    if (value === undefined) {
      store?.removeItem(key);
    } else {
      store?.setItem(key, value);
    }
  } catch {
    // memory and the host page keep it
  }
}
