import { describeError } from "./api.js";
import type { ChatController } from "./chat.js";
import type { ChatMessage } from "./timeline.js";
import type { Attachment } from "./types.js";

let counter = 0;

/**
 * Sends the visitor's messages one after another (so they keep their order), shows each at once as
 * "sending", and keeps a failed one on screen with its reason and a retry.
 */
export class Outbox {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly chat: ChatController) {}

  /** Sends text typed in the composer. */
  sendText(content: string): void {
    this.enqueue(this.draft(content, []));
  }

  /** Uploads a file, then sends it as a message of its own. */
  sendFile(file: File): void {
    const preview: Attachment = {
      id: "",
      fileName: file.name,
      contentType: file.type || "application/octet-stream",
      size: file.size,
      width: null,
      height: null,
      url: file.type.startsWith("image/") ? URL.createObjectURL(file) : "",
    };
    const message = this.draft("", [preview]);
    message.local = { status: "sending", error: null, file };
    this.enqueue(message);
  }

  /** Sends a failed message again. */
  retry(id: string): void {
    const message = this.chat.state.messages.find((existing) => existing.id === id);
    if (message?.local?.status === "failed") {
      this.enqueue({ ...message, local: { ...message.local, status: "sending", error: null } });
    }
  }

  private draft(content: string, attachments: Attachment[]): ChatMessage {
    counter += 1;
    return {
      id: `local_${Date.now()}_${counter}`,
      conversationId: this.chat.currentConversationId() ?? "local",
      seq: 0,
      fromVisitor: true,
      content,
      author: { name: null, kind: "contact" },
      attachments,
      createdAt: new Date().toISOString(),
      local: { status: "sending", error: null },
    };
  }

  private enqueue(message: ChatMessage): void {
    this.chat.place(message);
    this.chain = this.chain.then(() => this.deliver(message));
  }

  private async deliver(message: ChatMessage): Promise<void> {
    const { api } = this.chat;
    const local = message.local ?? { status: "sending", error: null };
    try {
      let attachmentIds = local.attachmentIds;
      if (local.file && !attachmentIds) {
        const { upload } = await api.upload(local.file);
        attachmentIds = [upload.id];
        local.attachmentIds = attachmentIds;
      }
      const conversationId = this.chat.currentConversationId();
      const body = { content: message.content, ...(attachmentIds ? { attachmentIds } : {}), ...(conversationId ? { conversationId } : {}) };
      // On the live socket when it is connected (no HTTP request per message), else over HTTP.
      const sent = await (this.chat.sendOnSocket(body) ?? api.send(body));
      for (const attachment of message.attachments) {
        if (attachment.url.startsWith("blob:")) {
          URL.revokeObjectURL(attachment.url);
        }
      }
      this.chat.place(sent.message, message.id, sent.conversation);
    } catch (error) {
      this.chat.place({ ...message, local: { ...local, status: "failed", error: describeError(error) } });
    }
  }
}
