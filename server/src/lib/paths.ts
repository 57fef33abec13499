import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/** The checkout's root (where package.json is), whether running from source or from dist/. */
export function projectRoot(): string {
  if (root === undefined) {
    let dir = path.dirname(fileURLToPath(import.meta.url));
    while (!fs.existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) {
      dir = path.dirname(dir);
    }
    root = dir;
  }
  return root;
}
