import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestContext, type TestContext } from "../../server/test/test-context.js";
import { CHROMIUM_PATH } from "./browser.js";
import { FIREFOX_PATH } from "./firefox.js";

/** The checkout's root, and where failed tests leave their screenshots. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const ARTIFACTS = path.join(ROOT, "e2e", "artifacts");

/**
 * Whether a browser is here to run a suite. Without it the suite is skipped with a message, except under
 * CI=true, where its absence fails the run.
 */
function browserAvailable(suite: string, browser: string, executable: string, packages: string): boolean {
  if (fs.existsSync(executable)) {
    return true;
  }
  const advice = `${executable} is missing: install it with apt-get install -y ${packages}`;
  if (process.env.CI === "true") {
    throw new Error(`${suite} needs ${browser}, and CI must run it. ${advice}.`);
  }
  console.warn(`[e2e] skipping ${suite}: ${advice}.`);
  return false;
}

/** Whether Debian's Chromium is here (see browserAvailable). */
export function chromiumAvailable(suite: string): boolean {
  return browserAvailable(suite, "Chromium", CHROMIUM_PATH, "chromium fonts-noto-color-emoji");
}

/** Whether Debian's Firefox ESR is here (see browserAvailable). */
export function firefoxAvailable(suite: string): boolean {
  return browserAvailable(suite, "Firefox", FIREFOX_PATH, "firefox-esr fonts-noto-color-emoji");
}

function newestMtime(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  return Math.max(0, ...fs.readdirSync(target).map((name) => newestMtime(path.join(target, name))));
}

/** What each browser app is built from and into. */
const APPS = {
  widget: { outputs: ["widget/loader.js", "widget/frame.html"], sources: ["widget", "scripts/report-widget-size.mjs"] },
  dashboard: { outputs: ["dashboard/index.html"], sources: ["dashboard", "protocol"] },
} as const;

/** Builds an app (npm run build:<app>) when its files in dist/ are missing or older than its sources. */
export function ensureBuilt(app: keyof typeof APPS): void {
  const { outputs, sources } = APPS[app];
  const files = outputs.map((output) => path.join(ROOT, "dist", output));
  const built = files.every((file) => fs.existsSync(file)) ? Math.min(...files.map((file) => fs.statSync(file).mtimeMs)) : -1;
  if (built >= Math.max(...sources.map((source) => newestMtime(path.join(ROOT, source))))) {
    return;
  }
  process.stdout.write(`[e2e] building the ${app} (npm run build:${app})…\n`);
  try {
    execFileSync("npm", ["run", `build:${app}`], { cwd: ROOT, stdio: "pipe", encoding: "utf8" });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build:${app} failed:\n${failed.stdout ?? ""}\n${failed.stderr ?? ""}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A Parley server listening on a free port of 127.0.0.1, on a fresh test database. */
export async function startParley(): Promise<{ ctx: TestContext; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const ctx = await createTestContext({ PUBLIC_URL: url });
  await ctx.app.listen({ port, host: "127.0.0.1" });
  return { ctx, url };
}

/** Anything that saves a screenshot of itself: a Playwright page, a Puppeteer page. */
export interface Screenshotable {
  screenshot(options: { path: string; fullPage: boolean }): Promise<unknown>;
}

/** For beforeEach: when a test fails, saves a full-page screenshot of each page as e2e/artifacts/<prefix>-<test>[-<name>].png. */
export function screenshotsOnFailure(prefix: string, pages: () => Record<string, Screenshotable | undefined>) {
  return ({ task, onTestFailed }: { task: { name: string }; onTestFailed: (handler: () => Promise<void>) => void }) => {
    onTestFailed(async () => {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const base = `${prefix}-${task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 80)}`;
      for (const [name, page] of Object.entries(pages())) {
        await page?.screenshot({ path: path.join(ARTIFACTS, `${base}${name ? `-${name}` : ""}.png`), fullPage: true }).catch(() => undefined);
      }
    });
  };
}
