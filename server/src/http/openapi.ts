import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";

/** The OpenAPI 3 document at /api/openapi.json, generated from the zod schemas that validate requests, and docs at /api/docs. */
export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  await app.register(fastifySwagger, {
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
  app.get("/api/openapi.json", { schema: { hide: true } }, () => app.swagger());
  await app.register(fastifySwaggerUi, { routePrefix: "/api/docs", uiConfig: { url: "/api/openapi.json", docExpansion: "list", deepLinking: true } });
}
