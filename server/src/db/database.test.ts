import { afterEach, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { sql } from "kysely";
import { buildTeam } from "../../test/factories.js";
import { createTestContext, testDatabaseUrl, type TestContext } from "../../test/test-context.js";
import { createLogger } from "../lib/logger.js";
import { openDatabase, recordEvent, StaleRow, type Tx } from "./database.js";

let ctx: TestContext;

/** The `i` of each published test event, in publishing order. */
const indexesOf = (events: { payload: Record<string, unknown> }[]) => events.map((event) => event.payload.i);

beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(() => ctx.close());

describe("Database.transaction", () => {
  it("numbers a team's events in a strictly increasing sequence and stores them", async () => {
    const { team } = await buildTeam(ctx);
    const before = ctx.events.length;
    await ctx.database.transaction(async (tx) => {
      recordEvent(tx, { name: "test.one", teamId: team.id, payload: { n: 1 } });
      recordEvent(tx, { name: "test.two", teamId: team.id, payload: { n: 2 } });
    });
    await ctx.database.transaction(async (tx) => {
      recordEvent(tx, { name: "test.three", teamId: team.id, payload: { n: 3 } });
    });
    const published = ctx.events.slice(before);
    expect(published.map((e) => e.name)).toEqual(["test.one", "test.two", "test.three"]);
    const seqs = published.map((e) => e.seq);
    expect(seqs[1]).toBe(seqs[0]! + 1);
    expect(seqs[2]).toBe(seqs[1]! + 1);
    const stored = await ctx.database.db.selectFrom("events").select(["seq", "name"]).where("team_id", "=", team.id).where("seq", ">=", seqs[0]!).orderBy("seq").execute();
    expect(stored).toEqual(published.map((e) => ({ seq: e.seq, name: e.name })));
  });

  it("keeps separate sequences per team", async () => {
    const a = await buildTeam(ctx, { name: "A" });
    const b = await buildTeam(ctx, { name: "B" });
    await ctx.database.transaction(async (tx) => {
      recordEvent(tx, { name: "test.a", teamId: a.team.id, payload: {} });
      recordEvent(tx, { name: "test.b", teamId: b.team.id, payload: {} });
    });
    const lastA = ctx.events.filter((e) => e.teamId === a.team.id).map((e) => e.seq);
    const lastB = ctx.events.filter((e) => e.teamId === b.team.id).map((e) => e.seq);
    expect(lastA).toEqual(lastA.map((_, i) => i + 1));
    expect(lastB).toEqual(lastB.map((_, i) => i + 1));
  });

  it("stores and publishes nothing when the transaction rolls back", async () => {
    const { team } = await buildTeam(ctx);
    const before = ctx.events.length;
    await expect(
      ctx.database.transaction(async (tx) => {
        await tx.updateTable("teams").set({ name: "Changed" }).where("id", "=", team.id).execute();
        recordEvent(tx, { name: "test.rolled_back", teamId: team.id, payload: {} });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(ctx.events.length).toBe(before);
    const row = await ctx.database.db.selectFrom("teams").select("name").where("id", "=", team.id).executeTakeFirstOrThrow();
    expect(row.name).toBe("Acme Corp");
    const stored = await ctx.database.db.selectFrom("events").select("name").where("name", "=", "test.rolled_back").execute();
    expect(stored).toEqual([]);
  });

  it("refuses recordEvent outside a transaction", () => {
    expect(() => recordEvent(ctx.database.db, { name: "test.loose", teamId: "team_x", payload: {} })).toThrow(/outside Database.transaction/);
  });

  it("gives concurrent writers distinct, gap-free sequence numbers", async () => {
    const { team } = await buildTeam(ctx);
    const before = ctx.events.length;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ctx.database.transaction(async (tx) => {
          recordEvent(tx, { name: "test.concurrent", teamId: team.id, payload: { i } });
        }),
      ),
    );
    const seqs = ctx.events.slice(before).map((e) => e.seq).sort((x, y) => x - y);
    expect(seqs).toHaveLength(20);
    expect(seqs.at(-1)! - seqs[0]!).toBe(19);
    expect(new Set(seqs).size).toBe(20);
  });

  it("keeps concurrent transactions apart: one that fails undoes only its own writes and events", async () => {
    const { team } = await buildTeam(ctx);
    const before = ctx.events.length;
    const rename = (name: string, fail: boolean) =>
      ctx.database.transaction(async (tx) => {
        await tx.insertInto("tags").values({ id: `tag_${name}`, team_id: team.id, name, name_key: name, color: "#888888", created_at: 1, updated_at: 1 }).execute();
        recordEvent(tx, { name: "test.tagged", teamId: team.id, payload: { name } });
        if (fail) {
          throw new Error(`refused ${name}`);
        }
        return name;
      });
    const outcomes = await Promise.allSettled([rename("one", false), rename("two", true), rename("three", false), rename("four", true), rename("five", false)]);
    expect(outcomes.map((outcome) => (outcome.status === "fulfilled" ? outcome.value : (outcome.reason as Error).message))).toEqual(["one", "refused two", "three", "refused four", "five"]);
    const tags = await ctx.database.db.selectFrom("tags").select("name").where("team_id", "=", team.id).orderBy("name").execute();
    expect(tags.map((tag) => tag.name)).toEqual(["five", "one", "three"]);
    const published = ctx.events.slice(before);
    expect(published.map((event) => event.payload.name)).toEqual(["one", "three", "five"]);
    expect(published.map((event) => event.seq)).toEqual([published[0]!.seq, published[0]!.seq + 1, published[0]!.seq + 2]);
  });

  it("applies each successful transaction exactly once when others in its group fail and the group runs again", async () => {
    const { team } = await buildTeam(ctx);
    const seq = async () => (await ctx.database.db.selectFrom("teams").select("conversation_seq").where("id", "=", team.id).executeTakeFirstOrThrow()).conversation_seq;
    const start = await seq();
    const runs = new Map<string, number>();
    const bump = (wave: number, i: number, fail: boolean) =>
      ctx.database.transaction(async (tx) => {
        runs.set(`${wave}:${i}`, (runs.get(`${wave}:${i}`) ?? 0) + 1);
        await tx.updateTable("teams").set({ conversation_seq: sql`conversation_seq + 1` }).where("id", "=", team.id).execute();
        recordEvent(tx, { name: "test.bumped", teamId: team.id, payload: { i } });
        if (fail) {
          throw new Error(`refused ${i}`);
        }
        return i;
      });
    // Three waves of ten in one turn of the event loop each, the second and third failing twice.
    for (const [wave, failing] of [[], [2, 7], [0, 9]].entries()) {
      const before = ctx.events.length;
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => bump(wave, i, failing.includes(i))));
      expect(outcomes.filter((outcome) => outcome.status === "rejected")).toHaveLength(failing.length);
      expect(ctx.events.slice(before).map((event) => event.payload.i)).toEqual(Array.from({ length: 10 }, (_, i) => i).filter((i) => !failing.includes(i)));
    }
    expect(await seq()).toBe(start + 26);
    // Without failures each ran once; the first failure made its group start over, so some ran twice, to no effect.
    expect([...runs].filter(([key]) => key.startsWith("0:")).every(([, count]) => count === 1)).toBe(true);
    expect(Math.max(...[...runs].filter(([key]) => key.startsWith("1:")).map(([, count]) => count))).toBe(2);
  });

  it("tells no caller its write succeeded when the commit itself fails, and keeps nothing of it", async () => {
    const { team } = await buildTeam(ctx);
    const before = ctx.events.length;
    const write = (name: string, breakCommit: boolean) =>
      ctx.database.transaction(async (tx) => {
        if (breakCommit) {
          // A foreign key checked only at commit: the commit fails after every statement succeeded.
          // (PostgreSQL checks it at once, which refuses this one write alone.)
          if (ctx.database.dialect === "sqlite") {
            await sql`pragma defer_foreign_keys = on`.execute(tx);
          }
          await tx.insertInto("conversation_tags").values({ team_id: team.id, conversation_id: "conv_missing", tag_id: "tag_missing" }).execute();
        } else {
          await tx.insertInto("tags").values({ id: `tag_${name}`, team_id: team.id, name, name_key: name, color: "#888888", created_at: 1, updated_at: 1 }).execute();
        }
        recordEvent(tx, { name: "test.write", teamId: team.id, payload: { name } });
        return name;
      });
    const outcomes = await Promise.allSettled([write("a", false), write("b", true), write("c", false)]);
    const tags = await ctx.database.db.selectFrom("tags").select("name").where("team_id", "=", team.id).orderBy("name").execute();
    const told = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
    // Whoever was told "done" finds their row; the broken write never is.
    expect(tags.map((tag) => tag.name)).toEqual(told.filter((name) => name !== "b"));
    expect(told).not.toContain("b");
    if (ctx.database.dialect === "sqlite") {
      // The three shared one commit, so none of them was kept.
      expect(told).toEqual([]);
    }
    expect(ctx.events.slice(before).map((event) => event.payload.name)).toEqual(told);
  });

  it("keeps the next group's writes when the commit before it fails", async () => {
    // On PostgreSQL the next group goes out behind a COMMIT before its outcome is known: nothing sent
    // after that COMMIT may touch the next group's transaction.
    const { team } = await buildTeam(ctx);
    if (ctx.database.dialect === "postgres") {
      // Temporary, so on the writer's own session: a foreign key checked only at commit.
      await ctx.database.transaction((tx) => sql`create temp table commit_guard (id int primary key, parent int references commit_guard (id) deferrable initially deferred)`.execute(tx));
    }
    const before = ctx.events.length;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const failing = ctx.database.transaction(async (tx) => {
      if (ctx.database.dialect === "postgres") {
        await sql`insert into commit_guard (id, parent) values (1, 99)`.execute(tx);
      } else {
        await sql`pragma defer_foreign_keys = on`.execute(tx);
        await tx.insertInto("conversation_tags").values({ team_id: team.id, conversation_id: "conv_missing", tag_id: "tag_missing" }).execute();
      }
      recordEvent(tx, { name: "test.lost", teamId: team.id, payload: {} });
      started();
      // The next transaction queues meanwhile, for the group after this one.
      await new Promise((resolve) => setTimeout(resolve, 30));
      return "lost";
    });
    await running;
    let inTransaction: boolean | undefined;
    const next = ctx.database.transaction(async (tx) => {
      await tx.insertInto("tags").values({ id: "tag_kept", team_id: team.id, name: "kept", name_key: "kept", color: "#888888", created_at: 1, updated_at: 1 }).execute();
      if (ctx.database.dialect === "postgres") {
        // Still inside the transaction that wrote the tag (a statement on its own would have no id yet).
        const { rows } = await sql<{ xid: string | null }>`select pg_current_xact_id_if_assigned()::text as xid`.execute(tx);
        inTransaction = rows[0]?.xid !== null;
      }
      await tx.updateTable("teams").set({ name: "Kept" }).where("id", "=", team.id).execute();
      recordEvent(tx, { name: "test.kept", teamId: team.id, payload: {} });
      return "kept";
    });
    const outcomes = await Promise.allSettled([failing, next]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "fulfilled"]);
    expect(inTransaction).toBe(ctx.database.dialect === "postgres" ? true : undefined);
    // Read outside the writer: both of the next group's writes were committed, and only its event is kept.
    const tags = await ctx.database.db.selectFrom("tags").select("id").where("team_id", "=", team.id).execute();
    expect(tags.map((tag) => tag.id)).toEqual(["tag_kept"]);
    expect((await ctx.database.db.selectFrom("teams").select("name").where("id", "=", team.id).executeTakeFirstOrThrow()).name).toBe("Kept");
    expect(ctx.events.slice(before).map((event) => event.name)).toEqual(["test.kept"]);
    const stored = await ctx.database.db.selectFrom("events").select("name").where("team_id", "=", team.id).where("name", "like", "test.%").execute();
    expect(stored.map((row) => row.name)).toEqual(["test.kept"]);
    // And the writer carries on: a later transaction commits as usual.
    await ctx.database.transaction((tx) => tx.updateTable("teams").set({ name: "Later" }).where("id", "=", team.id).execute());
    expect((await ctx.database.db.selectFrom("teams").select("name").where("id", "=", team.id).executeTakeFirstOrThrow()).name).toBe("Later");
  });

  it("runs transactions whose keys do not overlap side by side on PostgreSQL, and those that share a key in turn", async () => {
    const { team } = await buildTeam(ctx);
    let running = 0;
    let most = 0;
    const write = (name: string, keys: string[] | undefined) =>
      ctx.database.transaction(
        async (tx) => {
          running += 1;
          most = Math.max(most, running);
          await tx.insertInto("tags").values({ id: `tag_${name}`, team_id: team.id, name, name_key: name, color: "#888888", created_at: 1, updated_at: 1 }).execute();
          await new Promise((resolve) => setTimeout(resolve, 20));
          await tx.selectFrom("tags").select("id").where("team_id", "=", team.id).execute();
          running -= 1;
          recordEvent(tx, { name: "test.tagged", teamId: team.id, payload: { name } });
          return name;
        },
        keys ? { keys } : {},
      );
    const before = ctx.events.length;
    expect(await Promise.all([write("a", ["k:a"]), write("b", ["k:b"]), write("c", ["k:c", "k:x"])])).toEqual(["a", "b", "c"]);
    expect(most).toBe(ctx.database.dialect === "postgres" ? 3 : 1);
    // Each one's events, in the order they were submitted, numbered without gaps.
    const published = ctx.events.slice(before);
    expect(published.map((event) => event.payload.name)).toEqual(["a", "b", "c"]);
    expect(published.map((event) => event.seq - published[0]!.seq)).toEqual([0, 1, 2]);

    most = 0;
    // A shared key, or no keys at all: one at a time.
    await Promise.all([write("d", ["k:x"]), write("e", ["k:x", "k:e"]), write("f", undefined), write("g", undefined)]);
    expect(most).toBe(1);
    const tags = await ctx.database.db.selectFrom("tags").select("name").where("team_id", "=", team.id).orderBy("name").execute();
    expect(tags.map((tag) => tag.name)).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
  });

  it("tells only the failing one of transactions run side by side, and keeps the others' writes once", async () => {
    const { team } = await buildTeam(ctx);
    const seq = async () => (await ctx.database.db.selectFrom("teams").select("conversation_seq").where("id", "=", team.id).executeTakeFirstOrThrow()).conversation_seq;
    const start = await seq();
    await ctx.database.transaction(async (tx) => {
      await tx.insertInto("tags").values({ id: "tag_taken", team_id: team.id, name: "taken", name_key: "taken", color: "#888888", created_at: 1, updated_at: 1 }).execute();
    });
    const before = ctx.events.length;
    const write = (i: number, failure: "none" | "thrown" | "refused by the database") =>
      ctx.database.transaction(
        async (tx) => {
          await tx.updateTable("teams").set({ conversation_seq: sql`conversation_seq + 1` }).where("id", "=", team.id).execute();
          // The same tag id again: PostgreSQL refuses the statement, which aborts the shared transaction.
          const id = failure === "refused by the database" ? "tag_taken" : `tag_${i}`;
          await tx.insertInto("tags").values({ id, team_id: team.id, name: `t${i}`, name_key: `t${i}`, color: "#888888", created_at: 1, updated_at: 1 }).execute();
          recordEvent(tx, { name: "test.written", teamId: team.id, payload: { i } });
          if (failure === "thrown") {
            throw new Error(`refused ${i}`);
          }
          return i;
        },
        { keys: [`k:${i}`] },
      );
    const outcomes = await Promise.allSettled([write(0, "none"), write(1, "thrown"), write(2, "none"), write(3, "refused by the database"), write(4, "none")]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe("refused 1");
    expect(indexesOf(ctx.events.slice(before))).toEqual([0, 2, 4]);
    expect(await seq()).toBe(start + 3);
    const tags = await ctx.database.db.selectFrom("tags").select("id").where("team_id", "=", team.id).orderBy("id").execute();
    expect(tags.map((tag) => tag.id)).toEqual(["tag_0", "tag_2", "tag_4", "tag_taken"]);
  });

  it("runs a transaction that met a stale row again, keeps its group's other writes once, and goes on without savepoints", async () => {
    const { team } = await buildTeam(ctx);
    const seq = async () => (await ctx.database.db.selectFrom("teams").select("conversation_seq").where("id", "=", team.id).executeTakeFirstOrThrow()).conversation_seq;
    const start = await seq();
    let running = 0;
    let most = 0;
    const attempts = new Map<number, number>();
    const write = (i: number, staleTimes: number) =>
      ctx.database.transaction(
        async (tx) => {
          attempts.set(i, (attempts.get(i) ?? 0) + 1);
          running += 1;
          most = Math.max(most, running);
          await tx.updateTable("teams").set({ conversation_seq: sql`conversation_seq + 1` }).where("id", "=", team.id).execute();
          await tx.insertInto("tags").values({ id: `tag_${i}`, team_id: team.id, name: `t${i}`, name_key: `t${i}`, color: "#888888", created_at: 1, updated_at: 1 }).execute();
          recordEvent(tx, { name: "test.written", teamId: team.id, payload: { i } });
          await new Promise((resolve) => setTimeout(resolve, 5));
          running -= 1;
          if ((attempts.get(i) ?? 0) <= staleTimes) {
            throw new StaleRow(`row of ${i} changed`);
          }
          return i;
        },
        { keys: [`k:${i}`] },
      );
    const before = ctx.events.length;
    expect(await Promise.all([write(0, 0), write(1, 2), write(2, 0)])).toEqual([0, 1, 2]);
    expect(attempts.get(1)).toBe(3);
    expect(indexesOf(ctx.events.slice(before))).toEqual([0, 1, 2]);
    expect(await seq()).toBe(start + 3);
    const tags = await ctx.database.db.selectFrom("tags").select("id").where("team_id", "=", team.id).orderBy("id").execute();
    expect(tags.map((tag) => tag.id)).toEqual(["tag_0", "tag_1", "tag_2"]);

    // A stale row is no failure: the next groups do not fall back to savepoints, one transaction at a time.
    most = 0;
    expect(await Promise.all([write(3, 0), write(4, 0), write(5, 0)])).toEqual([3, 4, 5]);
    expect(most).toBe(ctx.database.dialect === "postgres" ? 3 : 1);

    // One that keeps meeting stale rows is told so after a few attempts; the others' writes stay.
    const outcomes = await Promise.allSettled([write(6, 0), write(7, Infinity), write(8, 0)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(StaleRow);
    expect(attempts.get(7)).toBe(4);
    expect(await seq()).toBe(start + 8);
  });

  it("returns epoch-millisecond columns as numbers on both databases", async () => {
    const { team } = await buildTeam(ctx);
    const row = await ctx.database.db.selectFrom("teams").select(["created_at", "event_seq"]).where("id", "=", team.id).executeTakeFirstOrThrow();
    expect(typeof row.created_at).toBe("number");
    expect(typeof row.event_seq).toBe("number");
  });
});

describe.skipIf(!testDatabaseUrl)("PostgreSQL pool", () => {
  it("survives the server closing its idle connections", async () => {
    const { team } = await buildTeam(ctx);
    // Use the pool so it holds idle clients, then have PostgreSQL terminate every backend of this schema's pool.
    await Promise.all(Array.from({ length: 3 }, () => ctx.database.db.selectFrom("teams").select("id").execute()));
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    const mine = await ctx.database.db.executeQuery<{ name: string }>(sql`select current_setting('application_name') as name`.compile(ctx.database.db));
    const { rows } = await admin.query<{ pid: number }>("select pid from pg_stat_activity where application_name = $1", [mine.rows[0]?.name]);
    expect(rows.length).toBeGreaterThan(0);
    for (const { pid } of rows) {
      await admin.query("select pg_terminate_backend($1)", [pid]);
    }
    await admin.end();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The next queries get fresh connections; the process is still alive to run them.
    for (let i = 0; i < 5; i++) {
      const row = await ctx.database.db.selectFrom("teams").select("name").where("id", "=", team.id).executeTakeFirstOrThrow();
      expect(row.name).toBe("Acme Corp");
    }
    // The writer's connection was closed too: the next write opens a new one.
    await ctx.database.transaction((tx) => tx.updateTable("teams").set({ name: "Renamed" }).where("id", "=", team.id).execute());
    expect((await ctx.database.db.selectFrom("teams").select("name").where("id", "=", team.id).executeTakeFirstOrThrow()).name).toBe("Renamed");
    const now = await sql<{ one: number }>`select 1 as one`.execute(ctx.database.db);
    expect(now.rows[0]?.one).toBe(1);
  });

  it("fails the rest of a group whose writer connection is lost midway, instead of writing it elsewhere on its own", async () => {
    const { team } = await buildTeam(ctx);
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    try {
      const tag = (tx: Tx, name: string) => tx.insertInto("tags").values({ id: `tag_${name}`, team_id: team.id, name, name_key: name, color: "#888888", created_at: 1, updated_at: 1 }).execute();
      const outcome = ctx.database.transaction(async (tx) => {
        await tag(tx, "before");
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
        await admin.query("select pg_terminate_backend($1)", [rows[0]?.pid]);
        // Long enough for the client to hear that its connection is gone.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tag(tx, "after");
        recordEvent(tx, { name: "test.lost", teamId: team.id, payload: {} });
      });
      await expect(outcome).rejects.toThrow();
      const tags = await ctx.database.db.selectFrom("tags").select("name").where("team_id", "=", team.id).execute();
      expect(tags).toEqual([]);
      // The next group opens a new connection.
      await ctx.database.transaction((tx) => tag(tx, "next"));
      expect((await ctx.database.db.selectFrom("tags").select("name").where("team_id", "=", team.id).execute()).map((row) => row.name)).toEqual(["next"]);
    } finally {
      await admin.end();
    }
  });

  it("runs a transaction chosen as a deadlock victim again, so both writers' callers succeed", async () => {
    const { team } = await buildTeam(ctx);
    // A second process's writer on the same schema.
    const other = openDatabase({ databaseUrl: testDatabaseUrl, schema: ctx.database.schema, dataDir: ctx.config.dataDir, clock: ctx.clock, logger: createLogger("silent") });
    try {
      const rename = (tx: Tx, id: string, name: string) => tx.updateTable("teams").set({ name }).where("id", "=", id).execute();
      const second = await buildTeam(ctx, { name: "Second" });
      let bothHoldOne!: () => void;
      const holding = new Promise<void>((resolve) => (bothHoldOne = resolve));
      let held = 0;
      const holdOne = () => {
        held += 1;
        if (held === 2) {
          bothHoldOne();
        }
        return holding;
      };
      // Each locks one team, waits until the other holds the other team, then wants it: a deadlock that
      // PostgreSQL breaks by failing one of them (after deadlock_timeout), which then runs again.
      let firstRuns = 0;
      let secondRuns = 0;
      const a = ctx.database.transaction(async (tx) => {
        firstRuns += 1;
        await rename(tx, team.id, "A1");
        if (firstRuns === 1) {
          await holdOne();
        }
        await rename(tx, second.team.id, "A2");
        recordEvent(tx, { name: "test.a", teamId: team.id, payload: {} });
        return "a";
      });
      const b = other.transaction(async (tx) => {
        secondRuns += 1;
        await rename(tx, second.team.id, "B2");
        if (secondRuns === 1) {
          await holdOne();
        }
        await rename(tx, team.id, "B1");
        return "b";
      });
      expect(await Promise.all([a, b])).toEqual(["a", "b"]);
      expect(firstRuns + secondRuns).toBe(3);
      const names = await ctx.database.db.selectFrom("teams").select("name").where("id", "in", [team.id, second.team.id]).orderBy("name").execute();
      // The one that ran again did so after the other committed, so its writes are the last ones.
      expect(names.map((row) => row.name)).toEqual(firstRuns === 2 ? ["A1", "A2"] : ["B1", "B2"]);
    } finally {
      await other.close();
    }
  }, 20_000);
});
