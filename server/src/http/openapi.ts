import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteOptions } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";

/** What the document needs of a route: the rest (handler, hooks) stays with the app. */
type DocumentedRoute = Pick<RouteOptions, "method" | "url" | "schema" | "config">;

/** Response headers of the documentation instance not copied to the app's reply (the app sets its own). */
const NOT_FORWARDED = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "date"]);

/**
 * The OpenAPI 3 document at /api/openapi.json, generated from the zod schemas that validate requests, and docs
 * at /api/docs.
 *
 * Start-up only notes the routes as they are added: @fastify/swagger (with its YAML library), swagger-ui and
 * the zod → JSON Schema conversion are loaded on the first request for either, into a Fastify instance of
 * their own that is never listened on and to which the app hands those requests (decision 0010).
 */
export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  const routes: DocumentedRoute[] = [];
  app.addHook("onRoute", (route) => {
    // Hidden routes are not documented anyway; HEAD routes Fastify adds next to each GET are left out as
    // @fastify/swagger does by default.
    const hidden = route.schema?.hide === true;
    if (route.method !== "HEAD" && !hidden) {
      routes.push({ method: route.method, url: route.url, schema: route.schema, config: route.config });
    }
  });
  let instance: Promise<FastifyInstance> | undefined;
  const documentation = () => {
    instance ??= documentationInstance(routes, publicUrl).catch((error: unknown) => {
      instance = undefined;
      throw error;
    });
    return instance;
  };
  app.addHook("onClose", async () => {
    await (await instance?.catch(() => undefined))?.close();
  });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => (await documentation()).swagger());
  const docs = async (request: FastifyRequest, reply: FastifyReply) => {
    const response = await (await documentation()).inject({ method: "GET", url: request.url, headers: request.headers });
    if (response.statusCode === 404) {
      reply.callNotFound(); // the app's own not-found answer
      return reply;
    }
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined && !NOT_FORWARDED.has(name)) {
        reply.header(name, value);
      }
    }
    return reply.code(response.statusCode).send(response.rawPayload);
  };
  app.get("/api/docs", { schema: { hide: true } }, docs);
  app.get("/api/docs/*", { schema: { hide: true } }, docs);
}

async function documentationInstance(routes: DocumentedRoute[], publicUrl: string): Promise<FastifyInstance> {
  const [{ default: fastifySwagger }, { default: fastifySwaggerUi }] = await Promise.all([import("@fastify/swagger"), import("@fastify/swagger-ui")]);
  const doc = Fastify({ exposeHeadRoutes: false });
  // The schemas are zod's: nothing here validates or serialises, the routes only describe themselves.
  doc.setValidatorCompiler(() => () => true);
  doc.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await doc.register(fastifySwagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Parley API",
        version: "1",
        description:
          "The REST API of Parley. Base path `/api/support`; authenticate with an `X-API-Key` header or the dashboard's session cookie. Errors are `{ error: { code, message, details? } }`.",
      },
      servers: [{ url: publicUrl }],
      components: { securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "X-API-Key" }, session: { type: "apiKey", in: "cookie", name: "parley_session" } } },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await doc.register(fastifySwaggerUi, { routePrefix: "/api/docs", uiConfig: { url: "/api/openapi.json", docExpansion: "list", deepLinking: true } });
  for (const route of routes) {
    doc.route({ ...route, handler: () => undefined });
  }
  await doc.ready();
  return doc;
}
