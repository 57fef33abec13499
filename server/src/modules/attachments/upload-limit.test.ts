import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;

beforeEach(async () => {
  ctx = await createTestContext({ ATTACHMENT_MAX_BYTES: "1024" });
  acme = await buildTeam(ctx);
});
afterEach(() => ctx.close());

/** A real multipart/form-data body with one file, encoded by Node's own FormData. */
async function fileForm(bytes: Uint8Array, fileName: string): Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  form.append("file", new Blob([bytes]), fileName);
  const response = new Response(form);
  return { payload: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get("content-type") ?? "" };
}

async function inject(bytes: Uint8Array) {
  const { payload, contentType } = await fileForm(bytes, "big.bin");
  return ctx.app.inject({ method: "POST", url: "/api/support/attachments", headers: { "x-api-key": acme.apiKey, "content-type": contentType }, payload });
}

async function leftovers(): Promise<{ rows: number; files: string[] }> {
  const rows = await ctx.database.db.selectFrom("attachments").select("id").execute();
  const root = path.join(ctx.config.dataDir, "attachments");
  const files = fs.existsSync(root) ? fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name) : [];
  return { rows: rows.length, files };
}

describe("ATTACHMENT_MAX_BYTES", () => {
  it("accepts a file of exactly the limit", async () => {
    const reply = await inject(new Uint8Array(1024).fill(7));
    expect(reply.statusCode).toBe(201);
    expect(reply.json().data.size).toBe(1024);
  });

  it("refuses one byte more with 413 in the error envelope, leaving no row and no file", async () => {
    const reply = await inject(new Uint8Array(1025).fill(7));
    expect(reply.statusCode).toBe(413);
    expect(reply.json()).toEqual({ error: { code: "payload_too_large", message: "The file is larger than the limit of 1024 bytes.", details: { maxBytes: 1024 } } });
    expect(await leftovers()).toEqual({ rows: 0, files: [] });
  });

  it("refuses a large upload over real HTTP while it is still arriving", async () => {
    const address = await ctx.app.listen({ port: 0, host: "127.0.0.1" });
    const { payload, contentType } = await fileForm(new Uint8Array(4 * 1024 * 1024).fill(1), "huge.bin");
    const response = await fetch(`${address}/api/support/attachments`, { method: "POST", headers: { "x-api-key": acme.apiKey, "content-type": contentType }, body: payload });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    expect(await leftovers()).toEqual({ rows: 0, files: [] });
  });
});
