import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
});
afterEach(() => ctx.close());

const UPLOADS = "/api/support/attachments";

/** A real multipart/form-data request body, encoded by Node's own FormData. */
async function encode(form: FormData): Promise<{ payload: Buffer; contentType: string }> {
  const response = new Response(form);
  return { payload: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get("content-type") ?? "" };
}

async function postForm(apiKey: string | undefined, form: FormData) {
  const { payload, contentType } = await encode(form);
  const response = await ctx.app.inject({ method: "POST", url: UPLOADS, headers: { ...(apiKey ? { "x-api-key": apiKey } : {}), "content-type": contentType }, payload });
  return { status: response.statusCode, body: response.json() };
}

/** Uploads bytes under a file name, claiming a type the server must not believe. */
function upload(apiKey: string, bytes: string | Uint8Array, fileName: string, claimedType = "application/octet-stream") {
  const form = new FormData();
  form.append("file", new Blob([bytes], { type: claimedType }), fileName);
  return postForm(apiKey, form);
}

function download(url: string, apiKey?: string, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: "GET", url, headers: { ...(apiKey ? { "x-api-key": apiKey } : {}), ...headers } });
}

/** A valid PNG of the given size (black, RGB). */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const pixels = zlib.deflateSync(Buffer.alloc((width * 3 + 1) * height));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", pixels), chunk("IEND", Buffer.alloc(0))]);
}

const svgWithScript = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>';
const htmlPage = "<!DOCTYPE html><html><body><script>fetch('/api/support/members')</script></body></html>";

/** Every file under DATA_DIR/attachments. */
function storedFiles(): string[] {
  const root = path.join(ctx.config.dataDir, "attachments");
  return fs.existsSync(root) ? fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)) : [];
}

async function newThread(apiKey: string): Promise<string> {
  const reply = await client(ctx.app, { apiKey }).post("/api/support/threads", { contact: { email: "ben@customer.test", name: "Ben" }, message: { content: "Hello, my screen looks wrong" } });
  expect(reply.status).toBe(201);
  return reply.body.thread.id as string;
}

describe("POST /api/support/attachments", () => {
  it("recognises a PNG from its bytes and records its dimensions", async () => {
    const reply = await upload(acme.apiKey, png(3, 2), "screenshot.png", "text/plain");
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      data: {
        id: expect.stringMatching(/^att_[A-Za-z0-9]{16}$/),
        fileName: "screenshot.png",
        contentType: "image/png",
        size: png(3, 2).length,
        width: 3,
        height: 2,
        url: `/api/support/attachments/${reply.body.data.id}`,
        createdAt: "2026-03-02T15:00:00.000Z",
      },
    });
  });

  it("detects an HTML file that claims to be a PNG as HTML", async () => {
    const reply = await upload(acme.apiKey, htmlPage, "cat.png", "image/png");
    expect(reply.status).toBe(201);
    expect(reply.body.data).toMatchObject({ fileName: "cat.png", contentType: "text/html", width: null, height: null });
  });

  it("recognises SVG, falls back to text/plain for UTF-8 text and to application/octet-stream for other bytes", async () => {
    expect((await upload(acme.apiKey, svgWithScript, "logo.svg", "image/png")).body.data.contentType).toBe("image/svg+xml");
    expect((await upload(acme.apiKey, "Grüße, the order is #1234\n", "note.txt", "application/pdf")).body.data.contentType).toBe("text/plain");
    expect((await upload(acme.apiKey, new Uint8Array([0x00, 0xff, 0x10, 0x80, 0x00, 0x01]), "blob.bin", "text/plain")).body.data.contentType).toBe("application/octet-stream");
    expect((await upload(acme.apiKey, Buffer.from([0x61, 0xc3, 0x28]), "latin.txt")).body.data.contentType).toBe("application/octet-stream");
  });

  it("stores a path-traversal file name sanitised, and the bytes inside DATA_DIR/attachments under a generated key", async () => {
    const reply = await upload(acme.apiKey, "root:x:0:0", "../../etc/passwd");
    expect(reply.status).toBe(201);
    expect(reply.body.data.fileName).toBe("passwd");
    const row = await ctx.database.db.selectFrom("attachments").selectAll().where("id", "=", reply.body.data.id).executeTakeFirstOrThrow();
    expect(row.file_name).toBe("passwd");
    expect(row.storage_key).toMatch(new RegExp(`^${acme.team.id}/[A-Za-z0-9]{24}$`));
    const root = path.join(ctx.config.dataDir, "attachments");
    const files = storedFiles();
    expect(files).toEqual([path.join(root, row.storage_key)]);
    expect(path.relative(root, files[0] ?? "").startsWith("..")).toBe(false);
    expect(fs.readFileSync(files[0] ?? "", "utf8")).toBe("root:x:0:0");
    expect(fs.existsSync(path.resolve(ctx.config.dataDir, "attachments", "../../etc/passwd"))).toBe(false);
  });

  it("strips control characters from the file name a client sends", async () => {
    const boundary = "----parley-test-boundary";
    const payload = Buffer.from(
      [`--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="in\u0007voice\u202Efdp.exe"', "Content-Type: application/pdf", "", "%PDF-1.4 not really", `--${boundary}--`, ""].join("\r\n"),
      "utf8",
    );
    const response = await ctx.app.inject({ method: "POST", url: UPLOADS, headers: { "x-api-key": acme.apiKey, "content-type": `multipart/form-data; boundary=${boundary}` }, payload });
    expect(response.statusCode).toBe(201);
    expect(response.json().data).toMatchObject({ fileName: "invoicefdp.exe", contentType: "application/pdf" });
  });

  it("answers 400 when the form has no file, the file is in another field, or the file is empty", async () => {
    const noFile = new FormData();
    noFile.append("comment", "forgot the file");
    const reply = await postForm(acme.apiKey, noFile);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: "validation_failed", details: [{ path: "file", message: expect.any(String) }] });

    const wrongField = new FormData();
    wrongField.append("document", new Blob(["hello"]), "a.txt");
    expect((await postForm(acme.apiKey, wrongField)).status).toBe(400);

    const empty = await upload(acme.apiKey, "", "empty.txt");
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain("empty");
    expect(await ctx.database.db.selectFrom("attachments").select("id").execute()).toEqual([]);
    expect(storedFiles()).toEqual([]);
  });

  it("answers 400 to a multipart body cut off in the middle of the file, keeping nothing", async () => {
    const boundary = "----parley-test-boundary";
    const payload = Buffer.from([`--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="cut.txt"', "", "the first half of the fi"].join("\r\n"), "utf8");
    const response = await ctx.app.inject({ method: "POST", url: UPLOADS, headers: { "x-api-key": acme.apiKey, "content-type": `multipart/form-data; boundary=${boundary}` }, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("upload_interrupted");
    expect(await ctx.database.db.selectFrom("attachments").select("id").execute()).toEqual([]);
    expect(storedFiles()).toEqual([]);
  });

  it("answers 415 to a body that is not multipart, and 401 without credentials", async () => {
    const json = await client(ctx.app, { apiKey: acme.apiKey }).post(UPLOADS, { file: "aGVsbG8=" });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe("unsupported_media_type");
    const form = new FormData();
    form.append("file", new Blob(["hi"]), "hi.txt");
    expect((await postForm(undefined, form)).status).toBe(401);
  });

  it("lets any member of the team upload", async () => {
    const { apiKey } = await buildMember(ctx, acme.team.id);
    expect((await upload(apiKey, "from a member", "m.txt")).status).toBe(201);
  });
});

describe("attachments in messages", () => {
  it("lists the upload on the message with its URL and serves it to a member who sees the conversation", async () => {
    const uploaded = (await upload(acme.apiKey, png(4, 4), "broken-layout.png")).body.data;
    const threadId = await newThread(acme.apiKey);
    const posted = await client(ctx.app, { apiKey: acme.apiKey }).post(`/api/support/threads/${threadId}/messages`, { content: "Here is what I see", attachmentIds: [uploaded.id] });
    expect(posted.status).toBe(201);
    const { createdAt: _createdAt, ...summary } = uploaded;
    expect(posted.body.message.attachments).toEqual([summary]);

    const listed = await client(ctx.app, { apiKey: acme.apiKey }).get(`/api/support/threads/${threadId}/messages`);
    expect(listed.body.messages.at(-1).attachments).toEqual([{ ...summary, url: `/api/support/attachments/${uploaded.id}` }]);

    const agent = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: acme.inbox.id }] });
    const reply = await download(summary.url, agent.apiKey);
    expect(reply.statusCode).toBe(200);
    expect(reply.rawPayload.equals(png(4, 4))).toBe(true);
  });

  it("answers 404 to a member outside the inbox and to another team", async () => {
    const uploaded = (await upload(acme.apiKey, "private notes", "notes.txt")).body.data;
    const threadId = await newThread(acme.apiKey);
    await client(ctx.app, { apiKey: acme.apiKey }).post(`/api/support/threads/${threadId}/messages`, { content: "see file", attachmentIds: [uploaded.id] });

    const outsider = await buildMember(ctx, acme.team.id);
    const outside = await download(uploaded.url, outsider.apiKey);
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toEqual({ error: { code: "not_found", message: "Attachment not found." } });

    const globex = await buildTeam(ctx, { name: "Globex" });
    expect((await download(uploaded.url, globex.apiKey)).statusCode).toBe(404);
    expect((await client(ctx.app, { apiKey: globex.apiKey }).get(`${uploaded.url}/signed-url`)).status).toBe(404);
  });

  it("refuses to put one upload into a second message", async () => {
    const uploaded = (await upload(acme.apiKey, "once only", "once.txt")).body.data;
    const threadId = await newThread(acme.apiKey);
    const api = client(ctx.app, { apiKey: acme.apiKey });
    expect((await api.post(`/api/support/threads/${threadId}/messages`, { content: "first", attachmentIds: [uploaded.id] })).status).toBe(201);
    const second = await api.post(`/api/support/threads/${threadId}/messages`, { content: "second", attachmentIds: [uploaded.id] });
    expect(second.status).toBe(400);
    expect(second.body.error.code).toBe("validation_failed");
  });

  it("lets only one of two messages racing for the same upload have it", async () => {
    const uploaded = (await upload(acme.apiKey, "contested", "contested.txt")).body.data;
    const threadId = await newThread(acme.apiKey);
    const api = client(ctx.app, { apiKey: acme.apiKey });
    const replies = await Promise.all([1, 2].map((n) => api.post(`/api/support/threads/${threadId}/messages`, { content: `reply ${n}`, attachmentIds: [uploaded.id] })));
    expect(replies.map((reply) => reply.status).sort()).toEqual([201, 400]);
    const messages = (await api.get(`/api/support/threads/${threadId}/messages`)).body.messages as { attachments: unknown[] }[];
    expect(messages.filter((message) => message.attachments.length > 0)).toHaveLength(1);
  });

  it("does not let another team attach an upload", async () => {
    const uploaded = (await upload(acme.apiKey, "mine", "mine.txt")).body.data;
    const globex = await buildTeam(ctx, { name: "Globex" });
    const threadId = await newThread(globex.apiKey);
    const reply = await client(ctx.app, { apiKey: globex.apiKey }).post(`/api/support/threads/${threadId}/messages`, { content: "stolen", attachmentIds: [uploaded.id] });
    expect(reply.status).toBe(400);
  });
});

describe("GET /api/support/attachments/:id", () => {
  it("serves an SVG containing a script as a download, with nosniff and a sandboxing CSP", async () => {
    const uploaded = (await upload(acme.apiKey, svgWithScript, "logo.svg", "image/svg+xml")).body.data;
    const reply = await download(uploaded.url, acme.apiKey);
    expect(reply.statusCode).toBe(200);
    expect(reply.headers["content-type"]).toBe("image/svg+xml");
    expect(reply.headers["content-disposition"]).toBe(`attachment; filename="logo.svg"; filename*=UTF-8''logo.svg`);
    expect(reply.headers["x-content-type-options"]).toBe("nosniff");
    expect(reply.headers["content-security-policy"]).toBe("default-src 'none'; sandbox");
    expect(reply.body).toBe(svgWithScript);
  });

  it("serves an HTML file that claimed to be a PNG as an HTML download", async () => {
    const uploaded = (await upload(acme.apiKey, htmlPage, "cat.png", "image/png")).body.data;
    const reply = await download(uploaded.url, acme.apiKey);
    expect(reply.headers["content-type"]).toBe("text/html");
    expect(reply.headers["content-disposition"]).toMatch(/^attachment;/);
    expect(reply.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("shows images, PDFs and plain text inline with their length and type", async () => {
    const image = (await upload(acme.apiKey, png(2, 2), "pixel.png")).body.data;
    const reply = await download(image.url, acme.apiKey);
    expect(reply.headers).toMatchObject({ "content-type": "image/png", "content-length": String(image.size), "x-content-type-options": "nosniff", "content-security-policy": "default-src 'none'; sandbox" });
    expect(reply.headers["content-disposition"]).toMatch(/^inline;/);

    const text = (await upload(acme.apiKey, "plain words", "words.txt")).body.data;
    const textReply = await download(text.url, acme.apiKey);
    expect(textReply.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(textReply.headers["content-disposition"]).toMatch(/^inline;/);

    const pdf = (await upload(acme.apiKey, "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n", "invoice.pdf")).body.data;
    expect(pdf.contentType).toBe("application/pdf");
    expect((await download(pdf.url, acme.apiKey)).headers["content-disposition"]).toMatch(/^inline;/);
  });

  it("names the file in Content-Disposition with an ASCII fallback and RFC 5987 UTF-8", async () => {
    const uploaded = (await upload(acme.apiKey, "bonjour", "résumé 'final' (2).txt")).body.data;
    expect(uploaded.fileName).toBe("résumé 'final' (2).txt");
    const reply = await download(uploaded.url, acme.apiKey);
    expect(reply.headers["content-disposition"]).toBe(`inline; filename="r_sum_ 'final' (2).txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%27final%27%20%282%29.txt`);
  });

  it("lets only the uploader, owners and admins read an upload that is in no message yet", async () => {
    const alice = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: acme.inbox.id }] });
    const bob = await buildMember(ctx, acme.team.id, { inboxes: [{ inboxId: acme.inbox.id }] });
    const admin = await buildMember(ctx, acme.team.id, { role: "admin" });
    const uploaded = (await upload(alice.apiKey, "draft", "draft.txt")).body.data;
    expect((await download(uploaded.url, alice.apiKey)).statusCode).toBe(200);
    expect((await download(uploaded.url, acme.apiKey)).statusCode).toBe(200);
    expect((await download(uploaded.url, admin.apiKey)).statusCode).toBe(200);
    expect((await download(uploaded.url, bob.apiKey)).statusCode).toBe(404);
    expect((await download("/api/support/attachments/att_doesnotexist0000", acme.apiKey)).statusCode).toBe(404);
  });

  it("serves one byte range for players that seek, and 416 past the end", async () => {
    const uploaded = (await upload(acme.apiKey, "0123456789", "digits.txt")).body.data;
    const part = await download(uploaded.url, acme.apiKey, { range: "bytes=2-5" });
    expect(part.statusCode).toBe(206);
    expect(part.headers).toMatchObject({ "content-range": "bytes 2-5/10", "content-length": "4", "accept-ranges": "bytes" });
    expect(part.body).toBe("2345");
    expect((await download(uploaded.url, acme.apiKey, { range: "bytes=-3" })).body).toBe("789");
    const past = await download(uploaded.url, acme.apiKey, { range: "bytes=10-" });
    expect(past.statusCode).toBe(416);
    expect(past.headers["content-range"]).toBe("bytes */10");
    expect(past.headers["content-type"]).toContain("application/json");
    expect(past.json().error.code).toBe("range_not_satisfiable");
  });

  it("answers 404 when the file has gone from storage, without breaking the JSON error", async () => {
    const uploaded = (await upload(acme.apiKey, "soon gone", "gone.txt")).body.data;
    for (const file of storedFiles()) {
      fs.rmSync(file);
    }
    const reply = await download(uploaded.url, acme.apiKey);
    expect(reply.statusCode).toBe(404);
    expect(reply.headers["content-type"]).toContain("application/json");
    expect(reply.headers["content-disposition"]).toBeUndefined();
  });
});
