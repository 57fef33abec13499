/** The longest file name kept, in characters. */
export const MAX_FILE_NAME_LENGTH = 200;

// C0 and C1 controls, DEL, and the invisible format characters that reorder or hide text
// (bidi overrides make `evil\u202Etxt.exe` read as `evilexe.txt`).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unwanted = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/gu;

/**
 * A client's file name made safe to store and show: the last path segment only (`../../etc/passwd` →
 * `passwd`, `C:\\x\\a.txt` → `a.txt`), no control or bidi characters, trimmed, at most 200 characters with the
 * extension kept. It is only ever displayed; files are stored under generated keys.
 */
export function sanitiseFileName(raw: string | undefined): string {
  const lastSegment = (raw ?? "").normalize("NFC").split(/[/\\]/).at(-1) ?? "";
  const cleaned = lastSegment.replace(unwanted, "").replace(/\s+/gu, " ").trim();
  if (cleaned === "" || /^\.+$/.test(cleaned)) {
    return "file";
  }
  return truncate(cleaned, MAX_FILE_NAME_LENGTH);
}

function truncate(name: string, max: number): string {
  const chars = Array.from(name); // code points, so a surrogate pair is never cut in half
  if (chars.length <= max) {
    return name;
  }
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (extension.length > 0 && extension.length <= 16) {
    return chars.slice(0, max - extension.length).join("").trimEnd() + extension.join("");
  }
  return chars.slice(0, max).join("").trimEnd();
}

// attr-char of RFC 5987: what may appear unescaped in `filename*`.
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A Content-Disposition header value with the name both as a plain ASCII fallback and, for every client
 * that knows it, as RFC 5987 `filename*` in UTF-8.
 */
export function contentDisposition(kind: "inline" | "attachment", fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7E]/g, "_").replace(/["\\%]/g, "_");
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(fileName)}`;
}
