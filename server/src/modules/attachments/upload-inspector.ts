import { Transform, type TransformCallback } from "node:stream";
import { AppError } from "../../errors.js";

/** How much of the start of a file is kept to recognise its type and read image dimensions. */
export const HEAD_BYTES = 1024 * 1024;

/** 413 in the error envelope: the upload is over ATTACHMENT_MAX_BYTES. */
export function fileTooLarge(maxBytes: number): AppError {
  return new AppError(413, "payload_too_large", `The file is larger than the limit of ${maxBytes} bytes.`, { maxBytes });
}

/**
 * A pass-through the upload streams through on its way to storage: counts the bytes and fails as soon as
 * they pass the limit, keeps the first HEAD_BYTES, and notes whether the whole file is UTF-8 text without
 * the control bytes that mark binary data.
 */
export class UploadInspector extends Transform {
  size = 0;
  private headChunks: Buffer[] = [];
  private headLength = 0;
  private text = true;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      callback(fileTooLarge(this.maxBytes));
      return;
    }
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
      this.headChunks.push(part);
      this.headLength += part.length;
    }
    if (this.text) {
      this.text = !hasBinaryBytes(chunk) && this.decodes(chunk, true);
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.text) {
      this.text = this.decodes(new Uint8Array(0), false);
    }
    callback();
  }

  /** The first HEAD_BYTES of what passed through. */
  get head(): Buffer {
    return Buffer.concat(this.headChunks);
  }

  /** Whether everything that passed through is UTF-8 text. */
  get isText(): boolean {
    return this.text && this.size > 0;
  }

  private decodes(bytes: Uint8Array, more: boolean): boolean {
    try {
      this.decoder.decode(bytes, { stream: more });
      return true;
    } catch {
      return false;
    }
  }
}

// The bytes WHATWG MIME sniffing calls binary data: controls other than tab, line feed, form feed,
// carriage return and escape.
function hasBinaryBytes(chunk: Buffer): boolean {
  for (const byte of chunk) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b) {
      return true;
    }
  }
  return false;
}
