import { z } from "zod";
import { timestamp } from "../../../../protocol/common.js";
import { attachmentSummary } from "../../../../protocol/conversation.js";

/** For the API documentation only: the body is read as a stream, so there is nothing here to validate. */
export const uploadForm = z
  .object({ file: z.unknown().meta({ type: "string", format: "binary", description: "The file. Its name is kept (sanitised) for display; its type is decided from its bytes." }) })
  .nullish();

export const attachmentParams = z.object({ id: z.string().max(64) });

/** An upload as POST /attachments answers it: what a message will show of it, and when it was made. */
export const upload = attachmentSummary.extend({ createdAt: timestamp }).meta({ id: "Upload" });
export type Upload = z.infer<typeof upload>;

export const signedUrl = z
  .object({
    url: z.string().meta({ description: "Downloads the file without a session or API key until expiresAt." }),
    expiresAt: timestamp,
  })
  .meta({ id: "SignedAttachmentUrl" });
