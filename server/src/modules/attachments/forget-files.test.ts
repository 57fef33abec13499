import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { ensureHousekeeping } from "../../jobs/housekeeping.js";
import { DAY, MINUTE } from "../../lib/time.js";

let ctx: TestContext;
let acme: BuiltTeam;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
});
afterEach(() => ctx.close());

/** Uploads a small text file as the team's API key; answers the attachment's id. */
async function upload(apiKey: string, text: string): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([text], { type: "text/plain" }), "notes.txt");
  const encoded = new Response(form);
  const response = await ctx.app.inject({
    method: "POST",
    url: "/api/support/attachments",
    headers: { "x-api-key": apiKey, "content-type": encoded.headers.get("content-type") ?? "" },
    payload: Buffer.from(await encoded.arrayBuffer()),
  });
  expect(response.statusCode).toBe(201);
  return response.json<{ data: { id: string } }>().data.id;
}

async function fileOf(attachmentId: string): Promise<string> {
  const row = await ctx.database.db.selectFrom("attachments").select("storage_key").where("id", "=", attachmentId).executeTakeFirstOrThrow();
  return path.join(ctx.config.dataDir, "attachments", row.storage_key);
}

/** A conversation of a new contact, with one message carrying a file; answers the contact, the attachment and its path. */
async function conversationWithFile(team: BuiltTeam, email: string) {
  const attachmentId = await upload(team.apiKey, `hello from ${email}`);
  const file = await fileOf(attachmentId);
  const created = await client(ctx.app, { apiKey: team.apiKey }).post("/api/support/threads", { contact: { email }, message: { content: "See attached", attachmentIds: [attachmentId] } });
  expect(created.status).toBe(201);
  return { contactId: created.body.thread.contactId as string, attachmentId, file };
}

describe("stored files follow their rows", () => {
  it("removes a deleted contact's files once the deletion has committed, and no one else's", async () => {
    const gone = await conversationWithFile(acme, "gone@example.com");
    const kept = await conversationWithFile(acme, "kept@example.com");
    expect(fs.existsSync(gone.file)).toBe(true);
    const api = client(ctx.app, { apiKey: acme.apiKey });
    expect((await api.delete(`/api/support/contacts/${gone.contactId}`)).status).toBe(200);
    expect(fs.existsSync(gone.file)).toBe(true); // the job has not run yet
    expect(await ctx.worker.runDue()).toBeGreaterThan(0);
    expect(fs.existsSync(gone.file)).toBe(false);
    expect(fs.existsSync(kept.file)).toBe(true);
  });

  it("removes every file of a deleted team, even though the team's own rows are gone", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const acmeFile = await conversationWithFile(acme, "a@example.com");
    const unsent = await fileOf(await upload(acme.apiKey, "never sent"));
    const globexFile = await conversationWithFile(globex, "g@example.com");
    const owner = await buildMember(ctx, acme.team.id, { role: "owner" });
    expect((await client(ctx.app, { apiKey: owner.apiKey }).delete("/api/support/team", { confirm: acme.team.name })).status).toBe(204);
    await ctx.worker.runDue();
    expect(fs.existsSync(acmeFile.file)).toBe(false);
    expect(fs.existsSync(unsent)).toBe(false);
    expect(fs.existsSync(globexFile.file)).toBe(true);
  });

  it("drops uploads never sent after a day, and keeps sent ones and recent ones", async () => {
    const sent = await conversationWithFile(acme, "c@example.com");
    const stale = await upload(acme.apiKey, "forgotten");
    const staleFile = await fileOf(stale);
    ctx.clock.advance(DAY);
    const recent = await upload(acme.apiKey, "just now");
    await ensureHousekeeping(ctx);
    ctx.clock.advance(MINUTE);
    await ctx.worker.runDue(); // housekeeping: drops the row and schedules the file
    await ctx.worker.runDue(); // the file job
    const left = await ctx.database.db.selectFrom("attachments").select("id").where("team_id", "=", acme.team.id).execute();
    expect(left.map((row) => row.id).sort()).toEqual([sent.attachmentId, recent].sort());
    expect(fs.existsSync(staleFile)).toBe(false);
    expect(fs.existsSync(sent.file)).toBe(true);
    expect(fs.existsSync(await fileOf(recent))).toBe(true);
  });
});
