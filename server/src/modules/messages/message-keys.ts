/**
 * What a new message in an existing conversation reads and then changes (TransactionOptions.keys): the
 * conversation and the uploads it attaches. Everything else it writes is a new row (the message,
 * notifications, an activity line) or a maintained count. Both ways in use it: an agent's reply
 * (createMessage) and a visitor's message to a conversation they name (postVisitorMessage).
 */
export function newMessageKeys(teamId: string, conversationId: string, attachmentIds: readonly string[] | undefined): string[] {
  return [`conversation:${teamId}:${conversationId}`, ...(attachmentIds ?? []).map((id) => `attachment:${teamId}:${id}`)];
}
