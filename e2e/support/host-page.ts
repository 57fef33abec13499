import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Styles a careless or hostile site might have. None may change the widget: its frame's inline styles win
 * over them, and nothing crosses into the frame.
 */
const HOSTILE_CSS = `
  * { all: unset; }
  html { font-size: 40px; }
  div { color: red; font-size: 40px; line-height: 3; }
  button { display: none; }
  body * { box-sizing: content-box; }
  iframe { width: 10px; height: 10px; border: 12px solid red; opacity: 0.2; position: static; transform: rotate(10deg); }
  textarea, input { visibility: hidden; }
  style { display: none; }
`;

/**
 * A web site on its own origin that embeds the widget with the inbox's snippet, records the widget's events
 * in window.__parleyEvents, and can call Parley.open() before the widget is ready (?open=1).
 */
export function hostPage(snippet: string, title = "Acme shop"): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${HOSTILE_CSS}</style></head>
<body>
<h1>Acme</h1>
<div class="hero">Everything on sale</div>
<button>Buy now</button>
<script>
  window.__parleyEvents = [];
  (function listen() {
    if (!window.Parley) { setTimeout(listen, 5); return; }
    for (const name of ["ready", "message", "open", "close", "error"]) {
      window.Parley.on(name, (data) => window.__parleyEvents.push({ name, data }));
    }
    if (new URLSearchParams(location.search).get("open") === "1") { window.Parley.open(); }
  })();
</script>
${snippet}
</body></html>`;
}

export interface HostServer {
  /** http://localhost:PORT — another site than the Parley server at 127.0.0.1. */
  origin: string;
  /** Which snippet the pages at /site/<key>/… carry. */
  snippets: Map<string, string>;
  close(): Promise<void>;
}

/** Serves host pages: /site/<key>/<any path> is a page with the snippet registered under <key>. */
export async function startHostServer(): Promise<HostServer> {
  const snippets = new Map<string, string>();
  const server = http.createServer((request, response) => {
    const match = /^\/site\/([^/?]+)/.exec(request.url ?? "");
    const snippet = match?.[1] ? snippets.get(match[1]) : undefined;
    if (!snippet) {
      response.writeHead(404).end("no such site");
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(hostPage(snippet));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    snippets,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
