// Prints the gzipped sizes of the website widget (the loader every host page downloads, and the iframe
// app's JavaScript and CSS) and fails when either is over its budget or missing.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const KB = 1024;
const BUDGETS = { loader: 5 * KB, app: 60 * KB };
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist", "widget");

const gzipped = (file) => gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kb = (bytes) => `${(bytes / KB).toFixed(2)} KB`;

function walk(folder) {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

const loaderFile = path.join(dir, "loader.js");
if (!fs.existsSync(loaderFile) || !fs.existsSync(path.join(dir, "frame.html"))) {
  console.error(`widget size: ${dir} lacks loader.js or frame.html; run npm run build:widget`);
  process.exit(1);
}
const appFiles = walk(path.join(dir, "assets")).filter((file) => /\.(js|css)$/.test(file));
const loader = gzipped(loaderFile);
const app = appFiles.reduce((sum, file) => sum + gzipped(file), 0);

console.log("widget size (gzipped):");
console.log(`  loader.js   ${kb(loader).padStart(10)}  budget ${kb(BUDGETS.loader)}`);
for (const file of appFiles) {
  console.log(`    ${path.relative(dir, file).padEnd(34)} ${kb(gzipped(file)).padStart(10)}`);
}
console.log(`  app (JS+CSS) ${kb(app).padStart(9)}  budget ${kb(BUDGETS.app)}`);

const over = [loader > BUDGETS.loader && "loader", app > BUDGETS.app && "app"].filter(Boolean);
if (over.length > 0) {
  console.error(`widget size: over budget: ${over.join(", ")}`);
  process.exit(1);
}
