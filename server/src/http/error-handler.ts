import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError, isUniqueViolation, type FieldProblem } from "../errors.js";

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  message: string;
  params: { keys?: string[] };
}

function toProblems(issues: ValidationIssue[], where: string | undefined): (FieldProblem & { in?: string })[] {
  return issues.map((issue) => {
    const base = issue.instancePath.replace(/^\//, "").replaceAll("/", ".");
    const path = issue.keyword === "unrecognized_keys" && issue.params.keys ? issue.params.keys.map((key) => (base ? `${base}.${key}` : key)).join(", ") : base;
    return { path, message: issue.keyword === "unrecognized_keys" ? "unknown field" : issue.message, ...(where ? { in: where } : {}) };
  });
}

const fastifyCodes: Record<number, string> = {
  400: "bad_request",
  404: "not_found",
  405: "method_not_allowed",
  406: "not_acceptable",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

/** Every error leaves as `{ error: { code, message, details? } }` with the right status; nothing internal leaks. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.headers) {
        void reply.headers(error.headers);
      }
      return reply.status(error.status).send({ error: { code: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) } });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues: unknown = error.validation;
      const details = toProblems(issues as ValidationIssue[], error.validationContext);
      const first = details[0];
      const message = first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "The request is not valid.";
      return reply.status(400).send({ error: { code: "validation_failed", message, details } });
    }
    if (isUniqueViolation(error)) {
      return reply.status(409).send({ error: { code: "conflict", message: "This would duplicate something that must be unique." } });
    }
    const status = typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status < 500) {
      const code = error.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error.code === "FST_ERR_CTP_EMPTY_JSON_BODY" ? "invalid_json" : (fastifyCodes[status] ?? "bad_request");
      return reply.status(status).send({ error: { code, message: error.message } });
    }
    request.log.error({ err: error }, "request failed");
    return reply.status(500).send({ error: { code: "internal_error", message: "Something went wrong on our side. It has been logged." } });
  });

  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send({ error: { code: "not_found", message: `No route for ${request.method} ${request.url.split("?")[0] ?? ""}.` } });
  });
}
