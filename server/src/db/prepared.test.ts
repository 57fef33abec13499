import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTeam } from "../../test/factories.js";
import { createTestContext, testDatabaseUrl, type TestContext } from "../../test/test-context.js";
import { nameStatements } from "./database.js";
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

