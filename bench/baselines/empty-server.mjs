// The start-up baseline: plain Fastify with one route, in plain JavaScript (no compile step), like the built product.
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.get("/healthz", async () => ({ ok: true }));
await app.listen({ port: Number(process.env.PORT ?? 0), host: "127.0.0.1" });
process.on("SIGTERM", () => void app.close().then(() => process.exit(0)));
