import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";

/** Debian's Firefox ESR (apt-get install -y firefox-esr), driven over WebDriver BiDi: no driver binary. */
export const FIREFOX_PATH = "/usr/bin/firefox-esr";

export interface Firefox {
  browser: Browser;
  /** A new tab at the given viewport (1280×800 unless told). */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Firefox on a new temporary profile, removed again by close(). */
export async function launchFirefox(): Promise<Firefox> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-e2e-firefox-"));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: FIREFOX_PATH,
      headless: true,
      userDataDir,
      extraPrefsFirefox: {
        // No autoplay prompt for the chime, no first-run pages, no network chatter of its own.
        "media.autoplay.default": 0,
        "browser.shell.checkDefaultBrowser": false,
        "app.update.enabled": false,
        "datareporting.policy.dataSubmissionEnabled": false,
      },
    });
  } catch (error) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    browser,
    async newPage(viewport = { width: 1280, height: 800 }) {
      const page = await browser.newPage();
      await page.setViewport(viewport);
      return page;
    },
    async close() {
      await browser.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
