import type { FastifyReply } from "fastify";
import type { AttachmentRow } from "../../db/schema.js";
import { AppError, notFound } from "../../errors.js";
import { isInlineSafe, servedContentType } from "./content-type.js";
import { contentDisposition } from "./file-name.js";
import { MissingObjectError, type AttachmentStorage, type ByteRange } from "./storage.js";

/**
 * The one range of a `Range: bytes=…` header (what players ask for to seek in audio and video); undefined
 * means the whole file (no header, several ranges, or a form we do not serve), "unsatisfiable" a range past
 * the end.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) {
    return undefined;
  }
  const [, first = "", last = ""] = match;
  if (first === "") {
    const suffix = Number(last);
    if (last === "" || suffix === 0) {
      return last === "" ? undefined : "unsatisfiable";
    }
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== "" && Number(last) < start) {
    return undefined;
  }
  return start >= size ? "unsatisfiable" : { start, end };
}

/**
 * Sends a stored file so a browser can never run it as part of Parley: its sniffed type with nosniff,
 * `inline` only for types that cannot script (else `attachment`), and a CSP that forbids everything and
 * sandboxes the document in case a browser renders it anyway.
 */
export async function sendAttachment(reply: FastifyReply, storage: AttachmentStorage, attachment: AttachmentRow, rangeHeader: string | undefined, cacheControl: string): Promise<FastifyReply> {
  const range = parseRange(rangeHeader, attachment.size);
  if (range === "unsatisfiable") {
    throw new AppError(416, "range_not_satisfiable", `The file has ${attachment.size} bytes.`, undefined, { "content-range": `bytes */${attachment.size}` });
  }
  let body;
  try {
    body = await storage.get(attachment.storage_key, range);
  } catch (error) {
    if (error instanceof MissingObjectError) {
      reply.log.error({ attachmentId: attachment.id, key: error.key }, "attachment file missing from storage");
      throw notFound("Attachment");
    }
    throw error;
  }
  const disposition = isInlineSafe(attachment.content_type) ? "inline" : "attachment";
  void reply.headers({
    "content-type": servedContentType(attachment.content_type),
    "content-disposition": contentDisposition(disposition, attachment.file_name),
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "accept-ranges": "bytes",
    "cache-control": cacheControl,
  });
  if (range) {
    void reply.status(206).headers({ "content-range": `bytes ${range.start}-${range.end}/${attachment.size}`, "content-length": String(range.end - range.start + 1) });
  } else {
    void reply.header("content-length", String(attachment.size));
  }
  return reply.send(body);
}
