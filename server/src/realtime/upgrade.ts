import type { ServerResponse } from "node:http";
import type {} from "@fastify/websocket";
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from "fastify";
import type { WebSocket } from "ws";
import type { Logger } from "../lib/logger.js";

/** The HTTP response object of each upgrade request still being routed. */
const upgradeResponses = new WeakMap<FastifyRequest["raw"], ServerResponse>();

/**
 * An `onRequest` hook for WebSocket routes: notes the upgrade's response object so that `releaseUpgrade`
 * can let go of it once the socket is open.
 */
export const noteUpgrade: onRequestHookHandler = (request: FastifyRequest, reply: FastifyReply, done) => {
  if (request.ws) {
    upgradeResponses.set(request.raw, reply.raw);
  }
  done();
};

/**
 * Lets go of the HTTP request a socket was upgraded from. As routed by @fastify/websocket, an open socket
 * keeps its upgrade request and reply for its whole life — the response object stays assigned to the TCP
 * socket, and the 'error' listener it adds closes over the request and reply — about 5 KiB per idle socket
 * (headers, the request's logger, the response's state). The returned function detaches the response and
 * puts an equivalent error listener in place (the error is logged, the socket terminated), so the socket
 * holds only what `ws` itself needs. Call it first thing in a WebSocket handler whose route has `noteUpgrade`.
 */
export function upgradeReleaser(logger: Logger): (socket: WebSocket, request: FastifyRequest) => void {
  function onError(this: WebSocket, error: Error): void {
    logger.error({ err: error }, "socket error");
    this.terminate();
  }
  return (socket, request) => {
    const response = upgradeResponses.get(request.raw);
    upgradeResponses.delete(request.raw);
    if (response?.socket === request.socket) {
      response.detachSocket(request.socket);
    }
    socket.removeAllListeners("error");
    socket.on("error", onError);
  };
}
