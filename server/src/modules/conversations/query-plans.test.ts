import { CompiledQuery } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { patchThread, startThread } from "../../../test/conversation-fixtures.js";
import { buildTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, testDatabaseUrl, type TestContext } from "../../../test/test-context.js";
import { listVisitorConversations } from "../visitors/visitor-conversations.js";
import type { VisitorSession } from "../visitors/start-visitor-session.js";
import { listThreadRows, RARE_TAG_LIMIT, setRareTagLimit } from "./conversation.repo.js";

// SQLite plans without statistics and prefers an index that spares the sort; on queries cut down to one
// contact that meant walking the whole team's conversations by activity. These pin the plans that stay
// cheap at a million conversations.
let ctx: TestContext;

beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(() => ctx.close());

/** The query plan SQLite chooses for the statement `run` executes. */
async function planOf(run: (tx: TestContext["database"]["db"]) => Promise<unknown>): Promise<string[]> {
  let captured: CompiledQuery | undefined;
  const db = ctx.database.db.withPlugin({
    transformQuery(args) {
      captured = ctx.database.db.getExecutor().compileQuery(args.node, args.queryId);
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  await run(db);
  if (!captured) {
    throw new Error("nothing ran");
  }
  const plan = await ctx.database.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${captured.sql}`, [...captured.parameters]));
  return plan.rows.map((row) => row.detail);
}

describe.skipIf(testDatabaseUrl)("query plans on SQLite", () => {
  it("lists one contact's conversations from the contact's index, not the team's", async () => {
    const plan = await planOf((db) => listThreadRows(db, { teamId: "team_x", viewerId: "member_x", buckets: ["unassigned", "assigned"], contactId: "contact_x", limit: 26 }));
    expect(plan.join("\n")).toMatch(/conversations USING INDEX conversations_contact/);
    const teamWide = await planOf((db) => listThreadRows(db, { teamId: "team_x", viewerId: "member_x", buckets: ["unassigned", "assigned"], limit: 26 }));
    expect(teamWide.join("\n")).not.toMatch(/conversations_contact/);
  });

  it("lists a rare tag's conversations from the tag's index", async () => {
    const team = await buildTeam(ctx);
    const api = client(ctx.app, { apiKey: team.apiKey });
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push(await startThread(api, { contact: { email: `t${i}@x.test` }, message: { content: `question ${i}` } }));
    }
    await patchThread(api, made[0].id, { tags: ["rare"] });
    const [rare] = await ctx.database.db.selectFrom("tags").select("id").where("team_id", "=", team.team.id).execute();
    const list = (db: TestContext["database"]["db"]) => listThreadRows(db, { teamId: team.team.id, viewerId: team.owner.id, buckets: ["unassigned", "assigned"], tagIds: [rare!.id], limit: 26 });
    const plan = (await planOf(list)).join("\n");
    expect(plan).toMatch(/conversation_tags USING (COVERING )?INDEX conversation_tags_tag/);
    expect(plan).not.toMatch(/conversations_team_(bucket|activity)/);
    expect((await list(ctx.database.db)).map((row) => row.id)).toEqual([made[0].id]);
  });

  it("walks a view of several buckets by activity until the page is full, whatever the filters, never sorting the team's conversations", async () => {
    const filters = [{}, { inboxIds: ["inbox_a"] }, { inboxIds: ["inbox_a", "inbox_b"] }, { assigneeIds: ["member_a", "member_b"] }, { channel: "email" }, { noAssignee: true }, { status: "open" }];
    for (const filter of filters) {
      const plan = (await planOf((db) => listThreadRows(db, { teamId: "team_x", viewerId: "member_x", buckets: ["unassigned", "assigned", "closed"], limit: 26, ...filter }))).join("\n");
      expect(plan, JSON.stringify(filter)).toMatch(/^SEARCH conversations USING INDEX conversations_(team|inbox)_activity \((team|inbox)_id=\?\)$/m);
      expect(plan, JSON.stringify(filter)).not.toMatch(/USE TEMP B-TREE|SCAN conversations/);
    }
  });

  it("checks a common tag in the walked row's own tag list, without a probe into the join table", async () => {
    setRareTagLimit(0);
    try {
      const plan = (await planOf((db) => listThreadRows(db, { teamId: "team_x", viewerId: "member_x", buckets: ["unassigned", "assigned", "closed"], tagIds: ["tag_a", "tag_b"], limit: 26 }))).join("\n");
      expect(plan).toMatch(/^SEARCH conversations USING INDEX conversations_team_activity \(team_id=\?\)$/m);
      expect(plan).not.toMatch(/conversation_tags|USE TEMP B-TREE/);
    } finally {
      setRareTagLimit(RARE_TAG_LIMIT);
    }
  });

  it("finds a visitor's conversations from the contact's index", async () => {
    const session = { inbox: { team_id: "team_x" }, contact: { id: "contact_x" } } as unknown as VisitorSession;
    const plan = await planOf((db) => listVisitorConversations(db, session));
    expect(plan.join("\n")).toMatch(/conversations USING INDEX conversations_contact/);
  });
});
