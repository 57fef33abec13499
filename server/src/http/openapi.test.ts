import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/test-context.js";

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe("the API documentation", () => {
  it("publishes an OpenAPI 3 document covering every documented endpoint", async () => {
    const reply = await ctx.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(reply.statusCode).toBe(200);
    const doc = reply.json<{ openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } }>();
    expect(doc.openapi).toMatch(/^3\./);
    const expected: [string, string][] = [
      ["/api/support/team", "get"],
      ["/api/support/team", "patch"],
      ["/api/support/members", "get"],
      ["/api/support/members", "post"],
      ["/api/support/members/{memberId}", "get"],
      ["/api/support/members/{memberId}", "patch"],
      ["/api/support/members/{memberId}", "delete"],
      ["/api/support/members/{memberId}/availability", "put"],
      ["/api/support/inboxes", "get"],
      ["/api/support/inboxes", "post"],
      ["/api/support/inboxes/{inboxId}", "get"],
      ["/api/support/inboxes/{inboxId}", "put"],
      ["/api/support/inboxes/{inboxId}", "delete"],
      ["/api/support/inboxes/{inboxId}/members", "get"],
      ["/api/support/inboxes/{inboxId}/members", "post"],
      ["/api/support/inboxes/{inboxId}/members/{userId}", "delete"],
      ["/api/support/inboxes/{inboxId}/members/{userId}/availability", "put"],
      ["/api/support/routing-rules", "get"],
      ["/api/support/routing-rules", "put"],
      ["/api/support/api-keys", "post"],
      ["/api/auth/signin", "post"],
    ];
    for (const [path, method] of expected) {
      expect(doc.paths[path]?.[method], `${method.toUpperCase()} ${path}`).toBeDefined();
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["Team", "Member", "Inbox", "InboxMember", "RoutingRule", "ApiKey"]));
  });

  it("describes request bodies from the same schemas that validate them", async () => {
    const doc = (await ctx.app.inject({ method: "GET", url: "/api/openapi.json" })).json<any>();
    const body = doc.paths["/api/support/inboxes"].post.requestBody.content["application/json"].schema;
    expect(body.required).toEqual(["name"]);
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(["name", "description", "email", "workingHours", "assignmentRules", "autoResponder"]));
  });

  it("serves interactive docs at /api/docs", async () => {
    const reply = await ctx.app.inject({ method: "GET", url: "/api/docs/" });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers["content-type"]).toContain("text/html");
    expect(reply.body).toContain("swagger");
  });
});
