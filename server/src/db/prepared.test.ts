import { sql, type KyselyPlugin } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTeam } from "../../test/factories.js";
import { createTestContext, testDatabaseUrl, type TestContext } from "../../test/test-context.js";
import { nameStatements, type Tx } from "./database.js";
import { prepared, statementNameOf } from "./prepared.js";

let ctx: TestContext;
let teamId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  teamId = (await buildTeam(ctx, { name: "Prepared Co" })).team.id;
});
afterAll(() => ctx.close());

describe("prepared queries", () => {
  it("build and compile once, then bind each run's values (including null) in place", async () => {
    let builds = 0;
    const insertContact = prepared<{ id: string; teamId: string; name: string; email: string | null }, never>((db, param) => {
      builds += 1;
      return db.insertInto("contacts").values({ id: param("id"), team_id: param("teamId"), name: param("name"), email: param("email"), attributes: "{}", tags: "[]", blocked: 0, first_seen_at: 1, last_seen_at: 1, created_at: 1, updated_at: 1 });
    });
    const contactsNamed = prepared<{ teamId: string; prefix: string }, { name: string; email: string | null }>((db, param) =>
      db.selectFrom("contacts").select(["name", "email"]).where("team_id", "=", param("teamId")).where("name", "like", param("prefix")).orderBy("name").limit(10),
    );
    await ctx.database.transaction(async (tx) => {
      await insertContact(tx, { id: "contact_p1", teamId, name: "Bea", email: "bea@example.test" });
      await insertContact(tx, { id: "contact_p2", teamId, name: "Bob", email: null });
      await insertContact(tx, { id: "contact_p3", teamId, name: "Sam", email: null });
    });
    expect(builds).toBe(1);
    expect(await contactsNamed(ctx.database.db, { teamId, prefix: "B%" })).toEqual([
      { name: "Bea", email: "bea@example.test" },
      { name: "Bob", email: null },
    ]);
    expect(await contactsNamed(ctx.database.db, { teamId, prefix: "S%" })).toEqual([{ name: "Sam", email: null }]);
    expect(await contactsNamed(ctx.database.db, { teamId: "team_other", prefix: "%" })).toEqual([]);
  });

  it("refuses to run without a value for every parameter", async () => {
    const byName = prepared<{ teamId: string; name: string }, { id: string }>((db, param) => db.selectFrom("contacts").select("id").where("team_id", "=", param("teamId")).where("name", "=", param("name")));
    await expect(byName(ctx.database.db, { teamId } as { teamId: string; name: string })).rejects.toThrow(/no value for parameter "name"/);
  });

  it("refuses a query where a parameter was written into the SQL text instead of bound", async () => {
    const inlined = prepared<{ column: string }, { id: string }>((db, param) => db.selectFrom("contacts").select(sql<string>`${sql.raw(param("column"))}`.as("id")));
    await expect(inlined(ctx.database.db, { column: "id" })).rejects.toThrow(/did not become bound parameters/);
  });

  it.skipIf(!testDatabaseUrl)("run on PostgreSQL as named statements, parsed and planned once per connection", async () => {
    const byEmail = prepared<{ teamId: string; email: string }, { id: string }>((db, param) => db.selectFrom("contacts").select("id").where("team_id", "=", param("teamId")).where("email", "=", param("email")));
    const names = await ctx.database.transaction(async (tx) => {
      await byEmail(tx, { teamId, email: "nobody@example.test" });
      await byEmail(tx, { teamId, email: "someone@example.test" });
      const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(tx);
      return rows;
    });
    const mine = names.filter((row) => row.statement.includes('"email" = $2'));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.name).toBe(statementNameOf(mine[0]?.statement ?? ""));
  });

  it.skipIf(!testDatabaseUrl)("stop naming a statement on a connection once its table's columns changed under it", async () => {
    const everyContact = prepared<{ teamId: string }, { id: string }>((db, param) => db.selectFrom("contacts").selectAll().where("team_id", "=", param("teamId")));
    await everyContact(ctx.database.db, { teamId });
    const text = ctx.database.db.selectFrom("contacts").selectAll().where("team_id", "=", teamId).compile().sql;
    expect(statementNameOf(text)).toBeDefined();
    const client = new pg.Client({ connectionString: testDatabaseUrl, options: `-c search_path=${ctx.database.schema ?? "public"}` });
    await client.connect();
    try {
      nameStatements(client);
      expect((await client.query(text, [teamId])).rows.length).toBeGreaterThan(0);
      // Another process migrates: the named SELECT * no longer matches the table.
      await client.query("alter table contacts add column added_elsewhere integer");
      await expect(client.query(text, [teamId])).rejects.toMatchObject({ code: "0A000" });
      const again = await client.query(text, [teamId]);
      expect(again.rows[0]).toHaveProperty("added_elsewhere", null);
    } finally {
      await client.query("alter table contacts drop column if exists added_elsewhere");
      await client.end();
    }
  });
});


/** Counts the queries that reach `handle`'s Kysely executor until `restore` is called. */
function countExecutions(handle: Tx): { executed: () => number; reset: () => void; restore: () => void } {
  const executor = handle.getExecutor();
  const original = executor.executeQuery.bind(executor);
  let executed = 0;
  executor.executeQuery = ((query: Parameters<typeof original>[0]) => {
    executed += 1;
    return original(query);
  }) as typeof executor.executeQuery;
  return { executed: () => executed, reset: () => (executed = 0), restore: () => (executor.executeQuery = original) };
}

describe.skipIf(testDatabaseUrl !== undefined)("prepared queries in SQLite's writer group", () => {
  const named = prepared<{ teamId: string; name: string }, { id: string; name: string }>((db, param) => db.selectFrom("contacts").select(["id", "name"]).where("team_id", "=", param("teamId")).where("name", "=", param("name")));
  const insertNamed = prepared<{ id: string; teamId: string; name: string }, never>((db, param) =>
    db.insertInto("contacts").values({ id: param("id"), team_id: param("teamId"), name: param("name"), email: null, attributes: "{}", tags: "[]", blocked: 0, first_seen_at: 1, last_seen_at: 1, created_at: 1, updated_at: 1 }),
  );

  it("run on the held connection directly, skipping Kysely's executor, and only while the group holds it", async () => {
    let throughKysely = 0;
    const counting: KyselyPlugin = {
      transformQuery: ({ node }) => node,
      transformResult: async ({ result }) => {
        throughKysely += 1;
        return result;
      },
    };
    let handle: Parameters<typeof named>[0] | undefined;
    await ctx.database.transaction(async (tx) => {
      handle = tx;
      const counter = countExecutions(tx);
      // The group's own handle: straight to the statement, seeing the group's uncommitted write.
      await insertNamed(tx, { id: "contact_direct1", teamId, name: "Direct" });
      expect(await named(tx, { teamId, name: "Direct" })).toEqual([{ id: "contact_direct1", name: "Direct" }]);
      expect(counter.executed()).toBe(0);
      await sql`select 1`.execute(tx);
      expect(counter.executed()).toBe(1);
      counter.restore();
      // Another handle on the same connection (a plugin added) still goes through Kysely.
      expect(await named(tx.withPlugin(counting), { teamId, name: "Direct" })).toEqual([{ id: "contact_direct1", name: "Direct" }]);
    });
    expect(throughKysely).toBe(1);
    // Once the group is over, its handle is not treated as holding the connection any more.
    expect(await named((handle as NonNullable<typeof handle>).withPlugin(counting), { teamId, name: "Direct" })).toHaveLength(1);
    expect(throughKysely).toBe(2);
  });

  it("read outside a group straight on the statement while no transaction is open, and wait for an open one without seeing its writes", async () => {
    const root = ctx.database.db;
    const counter = countExecutions(root);
    try {
      await ctx.database.transaction((tx) => insertNamed(tx, { id: "contact_outside", teamId, name: "Outside" }));
      counter.reset();
      expect(await named(root, { teamId, name: "Outside" })).toEqual([{ id: "contact_outside", name: "Outside" }]);
      expect(counter.executed()).toBe(0);

      let release = () => undefined as void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let wrote = () => undefined as void;
      const written = new Promise<void>((resolve) => (wrote = resolve));
      const group = ctx.database.transaction(async (tx) => {
        await insertNamed(tx, { id: "contact_open", teamId, name: "Open" });
        wrote();
        await held;
      });
      await written;
      const reading = named(root, { teamId, name: "Open" });
      let settled = false;
      void reading.then(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      // The group's transaction is open: the read went to Kysely and waits for the connection.
      expect(settled).toBe(false);
      expect(counter.executed()).toBe(1);
      release();
      await group;
      expect(await reading).toEqual([{ id: "contact_open", name: "Open" }]);
    } finally {
      counter.restore();
    }
  });

  it("leave nothing behind when the transaction fails after writing directly", async () => {
    await expect(
      ctx.database.transaction(async (tx) => {
        await insertNamed(tx, { id: "contact_direct2", teamId, name: "Undone" });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await named(ctx.database.db, { teamId, name: "Undone" })).toEqual([]);
    // A failing statement on the held connection is the caller's error, and the group's others commit.
    const results = await Promise.allSettled([
      ctx.database.transaction((tx) => insertNamed(tx, { id: "contact_direct3", teamId, name: "Kept" })),
      ctx.database.transaction((tx) => insertNamed(tx, { id: "contact_direct3", teamId, name: "Duplicate" })),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected"]);
    expect(await named(ctx.database.db, { teamId, name: "Kept" })).toHaveLength(1);
    expect(await named(ctx.database.db, { teamId, name: "Duplicate" })).toEqual([]);
  });
});
