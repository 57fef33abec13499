import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
});
afterEach(() => ctx.close());

/** Uploads a file through a real multipart body; answers the upload's data. */
async function upload(apiKey: string, content: string, fileName: string): Promise<{ id: string; url: string }> {
  const form = new FormData();
  form.append("file", new Blob([content]), fileName);
  const encoded = new Response(form);
  const payload = Buffer.from(await encoded.arrayBuffer());
  const response = await ctx.app.inject({ method: "POST", url: "/api/support/attachments", headers: { "x-api-key": apiKey, "content-type": encoded.headers.get("content-type") ?? "" }, payload });
  expect(response.statusCode).toBe(201);
  return response.json().data;
}

async function signedUrl(apiKey: string, attachmentUrl: string): Promise<{ url: string; expiresAt: string }> {
  const reply = await client(ctx.app, { apiKey }).get(`${attachmentUrl}/signed-url`);
  expect(reply.status).toBe(200);
  return reply.body.data;
}

/** GET without any credentials, as an <img> tag on another site or an email client would. */
function anonymous(url: string) {
  const { pathname, search } = new URL(url, "http://parley.test");
  return ctx.app.inject({ method: "GET", url: `${pathname}${search}` });
}

describe("signed attachment links", () => {
  it("downloads without credentials until the link expires five minutes later", async () => {
    const uploaded = await upload(acme.apiKey, "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "logo.svg");
    const signed = await signedUrl(acme.apiKey, uploaded.url);
    expect(signed.url).toMatch(new RegExp(`^http://parley\\.test/api/attachments/${uploaded.id}\\?expires=\\d+&signature=[0-9a-f]{64}$`));
    expect(signed.expiresAt).toBe("2026-03-02T15:05:00.000Z");

    const reply = await anonymous(signed.url);
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toContain("<script>");
    expect(reply.headers).toMatchObject({ "content-type": "image/svg+xml", "x-content-type-options": "nosniff", "content-security-policy": "default-src 'none'; sandbox" });
    expect(reply.headers["content-disposition"]).toMatch(/^attachment;/);

    ctx.clock.advance(4 * 60_000);
    expect((await anonymous(signed.url)).statusCode).toBe(200);
    ctx.clock.advance(2 * 60_000);
    const expired = await anonymous(signed.url);
    expect(expired.statusCode).toBe(403);
    expect(expired.json().error.code).toBe("invalid_signature");
  });

  it("refuses a tampered signature, a later expiry, another attachment's id and missing parameters with 403", async () => {
    const first = await upload(acme.apiKey, "first", "first.txt");
    const second = await upload(acme.apiKey, "second", "second.txt");
    const signed = new URL((await signedUrl(acme.apiKey, first.url)).url);
    const signature = signed.searchParams.get("signature") ?? "";
    const expires = Number(signed.searchParams.get("expires"));

    const tampered = [
      `/api/attachments/${first.id}?expires=${expires}&signature=${signature.slice(0, -1)}${signature.endsWith("0") ? "1" : "0"}`,
      `/api/attachments/${first.id}?expires=${expires + 3600}&signature=${signature}`,
      `/api/attachments/${second.id}?expires=${expires}&signature=${signature}`,
      `/api/attachments/${first.id}?expires=${expires}`,
      `/api/attachments/${first.id}`,
      `/api/attachments/${first.id}?expires=soon&signature=${signature}`,
      `/api/attachments/${first.id}?expires=${expires}&signature[]=${signature}`,
    ];
    for (const url of tampered) {
      const reply = await ctx.app.inject({ method: "GET", url });
      expect(reply.statusCode, url).toBe(403);
      expect(reply.json(), url).toMatchObject({ error: { code: "invalid_signature" } });
    }
    expect((await anonymous(signed.toString())).body).toBe("first");
  });

  it("signs links only for attachments the member may read", async () => {
    const draft = await upload(acme.apiKey, "owner's draft", "draft.txt");
    const member = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: acme.inbox.id }] });
    expect((await client(ctx.app, { apiKey: member.apiKey }).get(`${draft.url}/signed-url`)).status).toBe(404);
    expect((await client(ctx.app).get(`${draft.url}/signed-url`)).status).toBe(401);
  });

  it("answers 404 for a validly signed link to an attachment that has since been deleted", async () => {
    const uploaded = await upload(acme.apiKey, "short-lived", "tmp.txt");
    const signed = await signedUrl(acme.apiKey, uploaded.url);
    await ctx.database.db.deleteFrom("attachments").where("id", "=", uploaded.id).execute();
    expect((await anonymous(signed.url)).statusCode).toBe(404);
  });
});
