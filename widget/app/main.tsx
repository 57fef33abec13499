import { render } from "preact";
import { ChatController } from "./chat.js";
import { App } from "./components/app.js";
import { HostBridge, parseOrigin } from "./host-bridge.js";
import { unlockAudio } from "./sound.js";
import { adoptHostStorage } from "./storage.js";
import "./styles.css";

/** The iframe app: `frame.html?websiteToken=…&host=<the host page's origin>`. */
function main(): void {
  const params = new URLSearchParams(location.search);
  const websiteToken = params.get("websiteToken") ?? "";
  const host = parseOrigin(params.get("host"));
  const embedded = window.parent !== window;
  if (!websiteToken || (embedded && !host)) {
    console.error("[Parley] frame.html needs websiteToken and host parameters; load it through /widget/loader.js.");
    return;
  }
  // Parley's root (where /api is): one level above /widget/frame.html, so a path prefix keeps working.
  const base = new URL("../", location.href);
  let bridge: HostBridge | undefined;
  let started = false;
  const chat = new ChatController(base, websiteToken, (message) => bridge?.post(message));
  if (embedded && host) {
    bridge = new HostBridge(host, (message) => {
      if (message.type === "init") {
        chat.setMobile(message.mobile);
        adoptHostStorage(message.stored ?? {}, (key, value) => bridge?.post({ parley: 1, type: "store", key, value }));
        if (!started) {
          started = true;
          void chat.start(message.page);
        }
      } else if (message.type === "command") {
        void chat.command(message.command);
      } else if (message.type === "page") {
        chat.pageChanged(message.page);
      } else {
        chat.setMobile(message.mobile);
      }
    });
    bridge.post({ parley: 1, type: "boot" });
  } else {
    // Opened on its own (for a quick look): no host page to talk to.
    void chat.start({});
  }
  for (const type of ["pointerdown", "keydown"]) {
    window.addEventListener(type, unlockAudio, { once: true, capture: true });
  }
  const root = document.getElementById("app");
  if (root) {
    render(<App chat={chat} />, root);
  }
}

main();
