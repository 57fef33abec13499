// The HTTP baseline: the same Fastify, with routes that do only the raw work the product's routes wrap.
//   GET  /empty            an empty route
//   POST /insert           one raw INSERT (better-sqlite3, or pg with DATABASE_URL) into a table of its own
//   GET  /list?buckets=a,b a page of 25 conversations by last activity (raw SQL on the dataset)
//   GET  /counts           COUNT(*) … GROUP BY inbox_id, bucket over the team's conversations
//   GET  /search?q=…       raw FTS5 (SQLite) or tsvector (PostgreSQL) top 20 with highlights
// Env: BASELINE_DATA_DIR (the dataset folder, SQLite), DATABASE_URL (PostgreSQL, search_path set), TEAM_ID.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import Fastify from "fastify";
import pg from "pg";

const teamId = process.env.TEAM_ID ?? "";
const dataDir = process.env.BASELINE_DATA_DIR;
const databaseUrl = process.env.DATABASE_URL || undefined;

interface Raw {
  insert(id: string, content: string, at: number): Promise<void>;
  list(buckets: string[]): Promise<unknown[]>;
  counts(): Promise<unknown[]>;
  search(words: string[]): Promise<unknown[]>;
}

function sqliteRaw(): Raw {
  const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-baseline-"));
  const scratch = new Database(path.join(scratchDir, "insert.sqlite"));
  scratch.pragma("journal_mode = WAL");
  scratch.pragma("synchronous = NORMAL");
  scratch.exec("create table messages (id text primary key, conversation_id text not null, content text not null, created_at integer not null)");
  const insert = scratch.prepare("insert into messages (id, conversation_id, content, created_at) values (?, 'conv_bench', ?, ?)");
  process.on("exit", () => fs.rmSync(scratchDir, { recursive: true, force: true }));
  const data = dataDir ? new Database(path.join(dataDir, "parley.sqlite"), { readonly: true }) : undefined;
  const lists = new Map<number, Database.Statement>();
  const listFor = (n: number) => {
    let statement = lists.get(n);
    if (!statement && data) {
      statement = data.prepare(
        `select id, number, inbox_id, status, assigned_to_member_id, last_message_preview, last_activity_at from conversations where team_id = ? and bucket in (${Array(n).fill("?").join(",")}) order by last_activity_at desc, id desc limit 25`,
      );
      lists.set(n, statement);
    }
    return statement;
  };
  const counts = data?.prepare("select inbox_id, bucket, count(*) as n from conversations where team_id = ? group by inbox_id, bucket");
  const search = data?.prepare(
    "select m.id, m.conversation_id, highlight(messages_fts, 0, '<mark>', '</mark>') as html from messages_fts cross join messages m on m.rowid = messages_fts.rowid where messages_fts match ? and m.team_id = ? order by messages_fts.rank limit 20",
  );
  return {
    insert: async (id, content, at) => {
      insert.run(id, content, at);
    },
    list: async (buckets) => listFor(buckets.length)?.all(teamId, ...buckets) ?? [],
    counts: async () => counts?.all(teamId) ?? [],
    search: async (words) => search?.all(words.map((word) => `"${word}"`).join(" AND "), teamId) ?? [],
  };
}

function postgresRaw(url: string): Raw {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  let ready: Promise<unknown> | undefined;
  // A logged table: each INSERT commits to PostgreSQL's log like the product's writes (an unlogged one skips it).
  const table = () =>
    (ready ??= pool
      .query("drop table if exists baseline_messages")
      .then(() => pool.query("create table baseline_messages (id text primary key, conversation_id text not null, content text not null, created_at bigint not null)")));
  return {
    insert: async (id, content, at) => {
      await table();
      await pool.query({ name: "insert", text: "insert into baseline_messages (id, conversation_id, content, created_at) values ($1, 'conv_bench', $2, $3)", values: [id, content, at] });
    },
    list: async (buckets) =>
      (
        await pool.query({
          name: "list",
          text: "select id, number, inbox_id, status, assigned_to_member_id, last_message_preview, last_activity_at from conversations where team_id = $1 and bucket = any($2) order by last_activity_at desc, id desc limit 25",
          values: [teamId, buckets],
        })
      ).rows,
    counts: async () => (await pool.query({ name: "counts", text: "select inbox_id, bucket, count(*) as n from conversations where team_id = $1 group by inbox_id, bucket", values: [teamId] })).rows,
    search: async (words) =>
      (
        await pool.query({
          name: "search",
          text: "select m.id, m.conversation_id, ts_headline('simple', m.content, q, 'StartSel=<mark>, StopSel=</mark>') as html from messages m, to_tsquery('simple', $1) q where m.search @@ q and m.team_id = $2 order by ts_rank(m.search, q) desc limit 20",
          values: [words.join(" & "), teamId],
        })
      ).rows,
  };
}

const raw = databaseUrl ? postgresRaw(databaseUrl) : sqliteRaw();
const app = Fastify({ logger: false });
let sequence = 0;
app.get("/healthz", async () => ({ ok: true }));
app.get("/empty", async () => ({ ok: true }));
app.post("/insert", async (request, reply) => {
  const body = request.body as { content?: string };
  const id = `msg_${process.pid}_${++sequence}`;
  await raw.insert(id, body.content ?? "", Date.now());
  return reply.status(201).send({ message: { id } });
});
app.get("/list", async (request) => {
  const query = request.query as { buckets?: string };
  return { threads: await raw.list((query.buckets ?? "assigned").split(",")) };
});
app.get("/counts", async () => ({ data: await raw.counts() }));
app.get("/search", async (request) => {
  const query = request.query as { q?: string };
  return { messages: await raw.search((query.q ?? "").split(/\s+/).filter(Boolean)) };
});
await app.listen({ port: Number(process.env.PORT ?? 0), host: "127.0.0.1" });
