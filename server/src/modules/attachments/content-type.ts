import { imageSize } from "image-size";

/**
 * The type of an upload, decided from its bytes alone (the client's claim is never asked): what file-type
 * recognises; else, for UTF-8 text, HTML/SVG/XML by their markup or else text/plain; else octet-stream.
 * `head` is the start of the file; `isText` says whether the whole file is UTF-8 text.
 */
export async function detectContentType(head: Uint8Array, isText: boolean): Promise<string> {
  // Loaded with the first upload rather than at start-up (decision 0010).
  const { fileTypeFromBuffer } = await import("file-type");
  const found = await fileTypeFromBuffer(head);
  if (found) {
    return found.mime === "application/xml" ? (markupType(head) ?? found.mime) : found.mime;
  }
  if (!isText) {
    return "application/octet-stream";
  }
  return markupType(head) ?? "text/plain";
}

// The tags by which browsers recognise an HTML document (WHATWG MIME Sniffing, "rules for identifying an
// unknown MIME type").
const htmlTags = new Set(["html", "head", "script", "iframe", "h1", "div", "font", "table", "a", "style", "title", "b", "body", "br", "p"]);

/** HTML, SVG, XHTML or other XML when the text starts as markup; undefined for anything else. */
function markupType(head: Uint8Array): string | undefined {
  let text = new TextDecoder("utf-8").decode(head.subarray(0, 8192)).replace(/^\uFEFF/, "").trimStart().toLowerCase();
  const isXml = text.startsWith("<?xml");
  // Skip what may come before the first element: the XML declaration, processing instructions, comments, doctype.
  for (;;) {
    const prolog = /^(<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!doctype[^>]*>)\s*/.exec(text);
    if (!prolog) {
      break;
    }
    if (prolog[0].startsWith("<!doctype html")) {
      return isXml ? "application/xhtml+xml" : "text/html";
    }
    text = text.slice(prolog[0].length);
  }
  const element = /^<([a-z][a-z0-9:-]*)[\s/>]/.exec(text)?.[1];
  if (element === "svg" || element?.endsWith(":svg")) {
    return "image/svg+xml";
  }
  if (element === "html" && isXml) {
    return "application/xhtml+xml";
  }
  if (element !== undefined && htmlTags.has(element)) {
    return "text/html";
  }
  if (isXml) {
    return "application/xml";
  }
  // An unclosed comment at the start is how browsers spot HTML too.
  return text.startsWith("<!--") ? "text/html" : undefined;
}

/**
 * Whether a browser may show this type inline without running anything from it: images (not SVG), PDF,
 * audio, video and plain text. Everything else is served as a download.
 */
export function isInlineSafe(contentType: string): boolean {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type.endsWith("+xml") || type.includes("svg")) {
    return false;
  }
  return type.startsWith("image/") || type.startsWith("audio/") || type.startsWith("video/") || type === "application/pdf" || type === "text/plain";
}

/** The Content-Type header to serve a stored type with: plain text was checked to be UTF-8 when uploaded. */
export function servedContentType(contentType: string): string {
  return contentType === "text/plain" ? "text/plain; charset=utf-8" : contentType;
}

/** Width and height of an image as it is displayed (EXIF rotation applied), when its header is within `head`. */
export function imageDimensions(head: Uint8Array): { width: number; height: number } | undefined {
  try {
    const size = imageSize(head);
    if (!(size.width > 0 && size.height > 0)) {
      return undefined;
    }
    const rotated = size.orientation !== undefined && size.orientation >= 5;
    return rotated ? { width: size.height, height: size.width } : { width: size.width, height: size.height };
  } catch {
    return undefined;
  }
}
