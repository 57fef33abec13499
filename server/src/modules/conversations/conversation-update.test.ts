import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startThread } from "../../../test/conversation-fixtures.js";
import { buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { conversationColumns, findConversation, lockConversation, updateConversationRow } from "./conversation.repo.js";

// The conversation UPDATE hands back the row as stored: the row read before it with the patch applied, and
// the counters as the UPDATE left them (returned by it on PostgreSQL, read back on SQLite, where RETURNING on
// this table costs more than the UPDATE). The caller sees what the database holds, including counters that
// grew from values it never read.

let ctx: TestContext;
let acme: BuiltTeam;
let threadId: string;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx);
  threadId = (await startThread(client(ctx.app, { apiKey: acme.apiKey }), { contact: { email: "dana@example.com" }, message: { content: "first" } })).id;
});
afterEach(() => ctx.close());

const stored = () => ctx.database.db.selectFrom("conversations").select(conversationColumns).where("id", "=", threadId).executeTakeFirstOrThrow();

describe("updateConversationRow", () => {
  it("returns the stored row, with the patch applied and counters grown from what the database held", async () => {
    const before = await stored();
    const returned = await ctx.database.transaction(async (tx) => {
      // Another statement of the same transaction moved the counter first: the caller's copy is stale.
      await tx.updateTable("conversations").set({ incoming_count: before.incoming_count + 5 }).where("id", "=", threadId).execute();
      return updateConversationRow(tx, before, { last_message_preview: "updated", updated_at: before.updated_at + 1 }, { message_count: 2, incoming_count: 1 });
    });
    expect(returned).toEqual(await stored());
    expect(returned).toMatchObject({ last_message_preview: "updated", message_count: before.message_count + 2, incoming_count: before.incoming_count + 6, updated_at: before.updated_at + 1 });
  });

  it("fails for a conversation of another team and changes nothing", async () => {
    const other = await buildTeam(ctx, { name: "Other", ownerEmail: "owner@other.example" });
    const before = await stored();
    await expect(ctx.database.transaction((tx) => updateConversationRow(tx, { ...before, team_id: other.team.id }, { last_message_preview: "stolen" }, { message_count: 1 }))).rejects.toThrow(/not found/);
    expect(await stored()).toEqual(before);
  });

  it("hands back exactly the columns of a conversation row, on either database", async () => {
    // PostgreSQL's table also holds a tsvector of the subject for search, which no caller reads.
    const columns = [...conversationColumns].sort();
    const [found, locked] = await ctx.database.transaction(async (tx) => [await findConversation(tx, acme.team.id, threadId), await lockConversation(tx, acme.team.id, threadId)]);
    expect(Object.keys(found ?? {}).sort()).toEqual(columns);
    expect(Object.keys(locked ?? {}).sort()).toEqual(columns);
    const updated = await ctx.database.transaction(async (tx) => updateConversationRow(tx, (await lockConversation(tx, acme.team.id, threadId)) as NonNullable<typeof locked>, { subject: "Order 1234" }, { message_count: 1 }));
    expect(Object.keys(updated).sort()).toEqual(columns);
    expect(updated).toEqual(await stored());
  });
});
