import { AppError } from "../../errors.js";
import { hmacHex, safeEqual } from "../../lib/crypto.js";
import { MINUTE } from "../../lib/time.js";

/** Name of the installation secret that signs attachment download links. */
export const SIGNING_SECRET_NAME = "attachment_links";

/** How long a signed download link works. */
export const SIGNED_URL_TTL = 5 * MINUTE;

function signature(secret: string, attachmentId: string, expires: string): string {
  return hmacHex(secret, `attachment-download\n${attachmentId}\n${expires}`);
}

/** A download path for one attachment that works without credentials for `ttl` milliseconds. */
export function signedAttachmentPath(secret: string, attachmentId: string, now: number, ttl: number = SIGNED_URL_TTL): { path: string; expiresAt: number } {
  const expires = Math.ceil((now + ttl) / 1000);
  const query = new URLSearchParams({ expires: String(expires), signature: signature(secret, attachmentId, String(expires)) });
  return { path: `/api/attachments/${encodeURIComponent(attachmentId)}?${query.toString()}`, expiresAt: expires * 1000 };
}

/** 403 in the error envelope, for a link that was altered, is incomplete or has run out. */
export function invalidSignature(message = "This download link is not valid."): AppError {
  return new AppError(403, "invalid_signature", message);
}

/** Throws invalidSignature() unless the link's expiry and signature were made by us for this attachment and are still good. */
export function verifySignedAttachment(secret: string, attachmentId: string, query: Record<string, unknown>, now: number): void {
  const { expires, signature: given } = query;
  if (typeof expires !== "string" || typeof given !== "string" || !/^\d{1,15}$/.test(expires)) {
    throw invalidSignature();
  }
  if (!safeEqual(given, signature(secret, attachmentId, expires))) {
    throw invalidSignature();
  }
  if (now > Number(expires) * 1000) {
    throw invalidSignature("This download link has expired. Ask for a new one.");
  }
}
