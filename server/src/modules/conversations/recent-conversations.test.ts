import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { postMessage, startThread, type Api } from "../../../test/conversation-fixtures.js";
import { buildInbox, buildMember, buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, testDatabaseUrl, type TestContext } from "../../../test/test-context.js";
import { openDatabase } from "../../db/database.js";
import { createLogger } from "../../lib/logger.js";
import { appendMessage } from "../messages/append-message.js";
import { newMessageKeys } from "../messages/message-keys.js";
import { conversationColumns, lockConversation, updateConversationRow } from "./conversation.repo.js";
import { forgetConversationOf, recentConversation, rememberConversation, versionOf } from "./recent-conversations.js";

// On PostgreSQL a message to a conversation this process wrote lately skips reading and locking the row: its
// UPDATE changes the row only if it is still the version kept. These tests change rows behind the process's
// back (another connection, as another process would) and check that nothing written there is lost. On
// SQLite the row is always read, and the same outcomes must hold.

let ctx: TestContext;
let acme: BuiltTeam;
let admin: Api;
let threadId: string;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  admin = client(ctx.app, { apiKey: acme.apiKey });
  threadId = (await startThread(admin, { contact: { email: "dana@example.com" }, message: { content: "first" } })).id;
});
afterEach(() => ctx.close());

const stored = (id = threadId) => ctx.database.db.selectFrom("conversations").select(conversationColumns).where("id", "=", id).executeTakeFirstOrThrow();
const seqs = async (id = threadId) => (await ctx.database.db.selectFrom("messages").select("seq").where("conversation_id", "=", id).orderBy("seq").execute()).map((row) => row.seq);
const postgres = () => ctx.database.dialect === "postgres";

describe("a conversation this process wrote lately", () => {
  it("is handed to the next message unread and unlocked on PostgreSQL, as the database holds it, and only to its own team", async () => {
    await postMessage(admin, threadId, { content: "one" });
    const other = await buildTeam(ctx, { name: "Other", ownerEmail: "owner@other.example" });
    const [kept, forOther] = await ctx.database.transaction(async (tx) => [await lockConversation(tx, acme.team.id, threadId, { recent: true }), await lockConversation(tx, other.team.id, threadId, { recent: true })]);
    expect(kept).toEqual(await stored());
    expect(forOther).toBeUndefined();
    expect(kept && versionOf(kept)).toEqual(postgres() ? { version: expect.any(String), locked: false } : undefined);
  });

  it("loses nothing changed elsewhere since: the message's write runs again on the row as it now is", async () => {
    await postMessage(admin, threadId, { content: "one" });
    // Another process clears the first response and renames the conversation.
    await ctx.database.db.updateTable("conversations").set({ first_response_at: null, subject: "Renamed elsewhere" }).where("id", "=", threadId).execute();
    ctx.clock.advance(5_000);
    await postMessage(admin, threadId, { content: "two" });
    const row = await stored();
    expect(row).toMatchObject({ first_response_at: ctx.clock.now(), subject: "Renamed elsewhere", last_message_preview: "two" });
    // The message went in once, at the next position.
    const positions = await seqs();
    expect(positions).toEqual(positions.map((_, i) => i + 1));
    expect(row.message_count).toBe(positions.length);
  });

  it("is not trusted after the transaction that wrote it was rolled back", async () => {
    await postMessage(admin, threadId, { content: "one" });
    const before = await stored();
    await expect(
      ctx.database.transaction(async (tx) => {
        const row = await lockConversation(tx, acme.team.id, threadId, { recent: true });
        await updateConversationRow(tx, row!, { subject: "Never happened" }, { message_count: 1 });
        throw new Error("refused after the update");
      }),
    ).rejects.toThrow("refused after the update");
    const again = await ctx.database.transaction((tx) => lockConversation(tx, acme.team.id, threadId, { recent: true }));
    expect(again).toEqual(before);
    await postMessage(admin, threadId, { content: "two" });
    const positions = await seqs();
    expect(positions).toEqual(positions.map((_, i) => i + 1));
    expect(await stored()).toMatchObject({ subject: before.subject, message_count: positions.length, last_message_preview: "two" });
  });

  it("is not trusted by the transaction that saw it, where another change to the row carries the same version", async () => {
    const seen = await ctx.database.transaction(async (tx) => {
      const row = await lockConversation(tx, acme.team.id, threadId);
      await updateConversationRow(tx, row!, { subject: "First" });
      // Tags change rows directly (tag.repo.ts): a second message in the same transaction reads the row.
      await tx.updateTable("conversations").set({ tags: "vip" }).where("id", "=", threadId).execute();
      return lockConversation(tx, acme.team.id, threadId, { recent: true });
    });
    expect(seen).toMatchObject({ subject: "First", tags: "vip" });
  });

  it("is not trusted once its own transaction changed the row again without it", async () => {
    // One transaction writes the conversation (its copy kept), then changes the row directly, as tags or a
    // contact merge do: both versions have the same xmin, and only their place in the table tells them apart.
    await postMessage(admin, threadId, { content: "first reply" });
    await ctx.database.transaction(async (tx) => {
      const row = await lockConversation(tx, acme.team.id, threadId);
      await updateConversationRow(tx, row!, { last_message_preview: "written" });
      await tx.updateTable("conversations").set({ first_response_at: null }).where("id", "=", threadId).execute();
    });
    ctx.clock.advance(5_000);
    await postMessage(admin, threadId, { content: "reply" });
    expect(await stored()).toMatchObject({ first_response_at: ctx.clock.now(), last_message_preview: "reply" });
  });

  it("is checked against the row before an agent is refused: a conversation moved elsewhere into the agent's inbox takes the reply", async () => {
    const billing = await buildInbox(ctx, acme.team.id, "Billing");
    const agent = await buildMember(ctx, acme.team.id, { name: "Alice", inboxes: [{ inboxId: acme.inbox.id }] });
    const asAgent = client(ctx.app, { apiKey: agent.apiKey });
    const billed = (await startThread(admin, { inboxId: billing.id, contact: { email: "erin@example.com" }, message: { content: "invoice?" } })).id;
    await postMessage(admin, billed, { content: "looking", private: true });
    expect((await asAgent.post(`/api/support/threads/${billed}/messages`, { content: "not mine" })).status).toBe(404);
    // Moved by another process into the agent's inbox.
    await ctx.database.db.updateTable("conversations").set({ inbox_id: acme.inbox.id }).where("id", "=", billed).execute();
    await postMessage(asAgent, billed, { content: "mine now" });
    expect((await stored(billed)).last_message_preview).toBe("mine now");
  });

  it("keeps messages of one conversation in order when many arrive at once", async () => {
    await postMessage(admin, threadId, { content: "warm" });
    const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => admin.post(`/api/support/threads/${threadId}/messages`, { content: `m${i}`, direction: i % 3 === 0 ? "incoming" : "outgoing" })));
    expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 201));
    const positions = await seqs();
    expect(positions).toEqual(positions.map((_, i) => i + 1));
    const row = await stored();
    expect(row.message_count).toBe(positions.length);
    const incoming = await ctx.database.db.selectFrom("messages").select((eb) => eb.fn.countAll<number>().as("n")).where("conversation_id", "=", threadId).where("direction", "=", "incoming").executeTakeFirstOrThrow();
    expect(row.incoming_count).toBe(Number(incoming.n));
  });
});

describe("the copies kept", () => {
  it("are dropped when another process commits an event about their conversation, whichever way the event names it", async () => {
    const row = await stored();
    const keep = () => rememberConversation({ ...row }, "1234", undefined);
    const other = (payload: Record<string, unknown>) => ({ name: "test.changed", teamId: acme.team.id, payload, seq: 1, createdAt: 1 });
    keep();
    expect(recentConversation(acme.team.id, threadId, 1)).toMatchObject({ id: threadId });
    for (const payload of [{ conversationId: threadId }, { conversation: { id: threadId } }, { message: { conversationId: threadId } }]) {
      keep();
      forgetConversationOf(other(payload));
      expect(recentConversation(acme.team.id, threadId, 1)).toBeUndefined();
    }
    keep();
    forgetConversationOf(other({ conversationId: "conv_someone_else" }));
    expect(recentConversation(acme.team.id, threadId, 1)).toMatchObject({ id: threadId });
  });
});

describe.skipIf(!testDatabaseUrl)("two writers on one PostgreSQL database", () => {
  it("keep each conversation's messages numbered in turn, its counters right, and what was changed elsewhere in between", async () => {
    // A second process's writer on the same schema. (In one test process the two share the kept copies, so
    // each also starts from copies the other wrote, committed or not: the version check must hold either way.)
    const other = openDatabase({ databaseUrl: testDatabaseUrl, schema: ctx.database.schema, dataDir: ctx.config.dataDir, clock: ctx.clock, logger: createLogger("silent") });
    try {
      const ids = [threadId];
      for (let i = 1; i < 4; i++) {
        ids.push((await startThread(admin, { contact: { email: `c${i}@example.com` }, message: { content: "first" } })).id as string);
      }
      const post = (i: number) =>
        (i % 2 === 0 ? ctx.database : other).transaction(
          async (tx) => {
            const id = ids[i % 4]!;
            const row = await lockConversation(tx, acme.team.id, id, { recent: true });
            const incoming = i % 3 === 0;
            return appendMessage(tx, row!, { direction: incoming ? "incoming" : "outgoing", authorKind: incoming ? "contact" : "member", content: `m${i}` }, ctx.clock.now());
          },
          { keys: newMessageKeys(acme.team.id, ids[i % 4]!, undefined) },
        );
      await Promise.all(Array.from({ length: 120 }, (_, i) => post(i)));
      // Elsewhere: the first responses are forgotten and the conversations renamed, behind both writers' copies.
      await ctx.database.db.updateTable("conversations").set({ first_response_at: null, subject: "Renamed elsewhere" }).where("id", "in", ids).execute();
      ctx.clock.advance(60_000);
      // One reply to each, each from the copy its writer kept (a second message in the same group would read).
      await Promise.all([4, 1, 2, 7].map((i) => post(i)));
      const replied = ctx.clock.now();
      ctx.clock.advance(60_000);
      await Promise.all(Array.from({ length: 120 }, (_, i) => post(120 + i)));
      for (const id of ids) {
        const messages = await ctx.database.db.selectFrom("messages").select(["seq", "direction"]).where("conversation_id", "=", id).orderBy("seq").execute();
        expect(messages.map((message) => message.seq)).toEqual(messages.map((_, i) => i + 1));
        const row = await stored(id);
        expect(row).toMatchObject({
          message_count: messages.length,
          incoming_count: messages.filter((message) => message.direction === "incoming").length,
          outgoing_count: messages.filter((message) => message.direction === "outgoing").length,
          // A member replied right after the change: the reply saw the first response missing, and set it.
          first_response_at: replied,
          subject: "Renamed elsewhere",
        });
      }
    } finally {
      await other.close();
    }
  });
});
