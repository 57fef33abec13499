// The WebSocket baseline: the raw `ws` library on a plain HTTP server, doing only the delivery work.
//   /relay?pair=N&role=visitor|agent  a frame from visitor N goes to agent N as it is
//   /broadcast                        held; a frame from /broadcast?control=1 goes to every held socket
//   /idle                             held, nothing else (the memory baseline)
// GET /healthz answers 200 when listening.
import http from "node:http";
import { WebSocketServer, type WebSocket } from "ws";

const agents = new Map<string, WebSocket>();
const audience = new Set<WebSocket>();
const server = http.createServer((request, response) => {
  response.writeHead(request.url === "/healthz" ? 200 : 404, { "content-type": "application/json" });
  response.end('{"ok":true}');
});
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on("connection", (socket, request) => {
  const url = new URL(request.url ?? "/", "http://localhost");
  if (url.pathname === "/relay") {
    const pair = url.searchParams.get("pair") ?? "0";
    if (url.searchParams.get("role") === "agent") {
      agents.set(pair, socket);
      socket.send('{"type":"hello"}');
    } else {
      socket.send('{"type":"hello"}');
      socket.on("message", (data: Buffer) => agents.get(pair)?.send(data.toString("utf8")));
    }
  } else if (url.pathname === "/broadcast") {
    if (url.searchParams.get("control") === "1") {
      socket.on("message", (data: Buffer) => {
        const frame = data.toString("utf8");
        for (const peer of audience) {
          peer.send(frame);
        }
      });
    } else {
      audience.add(socket);
      socket.on("close", () => audience.delete(socket));
    }
    socket.send('{"type":"hello"}');
  } else {
    socket.send('{"type":"hello"}');
  }
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1");
