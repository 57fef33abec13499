import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { detectContentType, imageDimensions, isInlineSafe } from "./content-type.js";
import { UploadInspector } from "./upload-inspector.js";

/** Streams the bytes through an inspector (in small chunks, so multi-byte characters are split) and detects the type. */
async function detect(content: string | Buffer): Promise<string> {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
  const chunks = Array.from({ length: Math.ceil(bytes.length / 3) }, (_, i) => bytes.subarray(i * 3, i * 3 + 3));
  const inspector = new UploadInspector(10_000_000);
  await pipeline(Readable.from(chunks), inspector, new Writable({ write: (_chunk, _encoding, done) => done() }));
  return detectContentType(inspector.head, inspector.isText);
}

describe("detectContentType", () => {
  it("recognises binary formats by their signatures", async () => {
    expect(await detect(Buffer.from("%PDF-1.7\n"))).toBe("application/pdf");
    expect(await detect(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]))).toBe("image/jpeg");
    expect(await detect(Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;", "latin1"))).toBe("image/gif");
  });

  it("recognises HTML by the tags browsers sniff for, whatever comes first", async () => {
    expect(await detect("<!doctype html><title>x</title>")).toBe("text/html");
    expect(await detect("\uFEFF  \n<HTML><body>hi</body></HTML>")).toBe("text/html");
    expect(await detect("<script>alert(1)</script>")).toBe("text/html");
    expect(await detect("<!-- saved page --><div>hi</div>")).toBe("text/html");
    expect(await detect("<a href='x'>click</a>")).toBe("text/html");
    expect(await detect("<!-- an unclosed comment")).toBe("text/html");
  });

  it("recognises SVG with or without an XML declaration, XHTML, and other XML", async () => {
    expect(await detect('<svg xmlns="http://www.w3.org/2000/svg"/>')).toBe("image/svg+xml");
    expect(await detect('<?xml version="1.0"?>\n<!-- Generator: Illustrator -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg viewBox="0 0 1 1"></svg>')).toBe("image/svg+xml");
    expect(await detect('<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')).toBe("application/xhtml+xml");
    expect(await detect('<?xml version="1.0"?><rss version="2.0"></rss>')).toBe("application/xml");
  });

  it("calls other UTF-8 text text/plain, even when it mentions markup later", async () => {
    expect(await detect("Hello Grüße 👋 — see <script> below")).toBe("text/plain");
    expect(await detect("name,email\nAna,ana@example.test\n")).toBe("text/plain");
    expect(await detect("<unknown-tag> is not HTML")).toBe("text/plain");
  });

  it("calls bytes that are not UTF-8 text application/octet-stream", async () => {
    expect(await detect(Buffer.from([0x48, 0x69, 0x00, 0x21]))).toBe("application/octet-stream");
    expect(await detect(Buffer.from("caf\xe9", "latin1"))).toBe("application/octet-stream");
    expect(await detect(Buffer.from([0xe2, 0x82]))).toBe("application/octet-stream");
  });
});

describe("UploadInspector", () => {
  it("fails with 413 as soon as more than the limit passes through", async () => {
    const inspector = new UploadInspector(5);
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    await expect(pipeline(Readable.from([Buffer.from("abc"), Buffer.from("def")]), inspector, sink)).rejects.toMatchObject({ status: 413, code: "payload_too_large" });
    expect(inspector.size).toBe(6);
  });
});

describe("isInlineSafe", () => {
  it("allows images other than SVG, PDF, audio, video and plain text", () => {
    for (const type of ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "audio/webm", "audio/mpeg", "video/mp4", "text/plain", "text/plain; charset=utf-8"]) {
      expect(isInlineSafe(type), type).toBe(true);
    }
  });

  it("refuses anything that can run script, and anything unknown", () => {
    for (const type of ["image/svg+xml", "text/html", "application/xhtml+xml", "application/xml", "text/xml", "text/javascript", "application/javascript", "application/octet-stream", "application/zip", "text/css", "application/x-shockwave-flash"]) {
      expect(isInlineSafe(type), type).toBe(false);
    }
  });
});

describe("imageDimensions", () => {
  it("reads a GIF's size and gives nothing for bytes that are no image", () => {
    expect(imageDimensions(Buffer.from("GIF89a\x07\x00\x05\x00\x00\x00\x00;", "latin1"))).toEqual({ width: 7, height: 5 });
    expect(imageDimensions(Buffer.from("not an image"))).toBeUndefined();
  });
});
