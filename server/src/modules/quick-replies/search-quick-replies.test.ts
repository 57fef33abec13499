import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { client } from "../../../test/http.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";

let ctx: TestContext;
let acme: BuiltTeam;
let api: ReturnType<typeof client>;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
  api = client(ctx.app, { apiKey: acme.apiKey });
});
afterEach(() => ctx.close());

const QR = "/api/support/quick-replies";

async function create(shortcut: string, title = `Title of ${shortcut}`, content = `Content of ${shortcut}`): Promise<{ id: string; shortcut: string }> {
  const reply = await api.post(QR, { shortcut, title, content });
  expect(reply.status).toBe(201);
  return reply.body.data;
}

async function shortcuts(query = ""): Promise<string[]> {
  const reply = await api.get(`${QR}${query}`);
  expect(reply.status).toBe(200);
  return (reply.body.data as { shortcut: string }[]).map((row) => row.shortcut);
}

describe("GET /api/support/quick-replies", () => {
  beforeEach(async () => {
    await create("shipping", "Shipping times", "We ship in 2 days, with a Refund guarantee.");
    await create("refund-late", "Late refunds", "Sorry for the delay.");
    await create("hello", "Greeting", "Hi there! How can I help?");
    await create("refund", "Refund policy", "Refunds take 5 days.");
    await create("apology", "Sorry — REFUND issued", "Your money is on its way.");
    await create("refund_eu", "EU refunds", "Within the EU we refund in euros.");
    await create("pricing", "Pricing", "Today 50% off, code SAVE_NOW, see C:\\deals");
  });

  it("lists every quick reply by shortcut without q", async () => {
    expect(await shortcuts()).toEqual(["apology", "hello", "pricing", "refund", "refund-late", "refund_eu", "shipping"]);
  });

  it("lists everything past the search default of 20 without q, cut only by an explicit limit", async () => {
    for (let i = 1; i <= 25; i += 1) {
      await create(`faq-${String(i).padStart(2, "0")}`);
    }
    expect(await shortcuts()).toHaveLength(32);
    expect(await shortcuts("?limit=3")).toEqual(["apology", "faq-01", "faq-02"]);
  });

  it("treats an empty q, or one that is only /, as no q", async () => {
    const all = await shortcuts();
    expect(await shortcuts("?q=")).toEqual(all);
    expect(await shortcuts("?q=%2F")).toEqual(all);
    expect(await shortcuts("?q=%20%2F%20")).toEqual(all);
  });

  it("lists shortcut matches first, then title or content matches, each once", async () => {
    expect(await shortcuts("?q=refund")).toEqual(["refund", "refund-late", "refund_eu", "apology", "shipping"]);
  });

  it("accepts q with the leading / and in any case", async () => {
    const expected = ["refund", "refund-late", "refund_eu", "apology", "shipping"];
    expect(await shortcuts("?q=%2Frefund")).toEqual(expected);
    expect(await shortcuts("?q=%2FREFUND")).toEqual(expected);
    expect(await shortcuts("?q=ReFuNd")).toEqual(expected);
  });

  it("matches a shortcut prefix shorter than the shortcut", async () => {
    expect(await shortcuts("?q=%2Fsh")).toEqual(["shipping"]);
    expect(await shortcuts("?q=h")).toEqual(["hello", "refund-late", "refund_eu", "shipping"]);
  });

  it("searches title and content case-insensitively", async () => {
    expect(await shortcuts("?q=GREETING")).toEqual(["hello"]);
    expect(await shortcuts("?q=how%20can%20i")).toEqual(["hello"]);
    expect(await shortcuts("?q=money")).toEqual(["apology"]);
  });

  it("answers an empty list when nothing matches", async () => {
    expect(await shortcuts("?q=nothing-like-this")).toEqual([]);
  });

  it("cuts the results at limit, shortcut matches first", async () => {
    expect(await shortcuts("?q=refund&limit=4")).toEqual(["refund", "refund-late", "refund_eu", "apology"]);
    expect(await shortcuts("?q=refund&limit=2")).toEqual(["refund", "refund-late"]);
    expect(await shortcuts("?q=refund&limit=1")).toEqual(["refund"]);
  });

  it("returns at most 20 matches when q is given without limit, and up to 100 with one", async () => {
    for (let i = 1; i <= 25; i += 1) {
      await create(`faq-${String(i).padStart(2, "0")}`);
    }
    const twenty = await shortcuts("?q=faq");
    expect(twenty).toEqual(Array.from({ length: 20 }, (_, i) => `faq-${String(i + 1).padStart(2, "0")}`));
    expect(await shortcuts("?q=faq&limit=100")).toHaveLength(25);
    // "of faq" is in every title ("Title of faq-NN"): no shortcut starts with it, so only the text search finds them.
    expect(await shortcuts("?q=of%20faq")).toHaveLength(20);
  });

  it("takes % _ and \\ in q literally", async () => {
    expect(await shortcuts("?q=50%25")).toEqual(["pricing"]);
    expect(await shortcuts("?q=%25")).toEqual(["pricing"]);
    expect(await shortcuts("?q=save_now")).toEqual(["pricing"]);
    expect(await shortcuts("?q=refund_")).toEqual(["refund_eu"]);
    expect(await shortcuts("?q=_")).toEqual(["pricing"]);
    expect(await shortcuts("?q=C%3A%5C")).toEqual(["pricing"]);
    expect(await shortcuts("?q=%5C")).toEqual(["pricing"]);
  });

  it("matches letters outside ASCII in any case, and emoji, the same on every database", async () => {
    await create("cafe", "Café ÉCLAIR", "Ñandú 🦤 straße");
    expect(await shortcuts("?q=%C3%A9clair")).toEqual(["cafe"]); // éclair
    expect(await shortcuts("?q=CAF%C3%89")).toEqual(["cafe"]); // CAFÉ
    expect(await shortcuts("?q=%C3%B1AND%C3%9A")).toEqual(["cafe"]); // ñANDÚ
    expect(await shortcuts("?q=%F0%9F%A6%A4")).toEqual(["cafe"]); // 🦤
    expect(await shortcuts("?q=STRA%C3%9FE")).toEqual(["cafe"]); // STRAßE
    expect(await shortcuts("?q=caf%C3%A8")).toEqual([]); // cafè: another letter
    expect(await shortcuts("?q=%C3%A9")).toEqual(["cafe"]); // é alone
  });

  const invalid: [string, string][] = [
    ["a limit of 0", "?limit=0"],
    ["a limit over 100", "?q=a&limit=101"],
    ["a limit that is not a number", "?limit=many"],
    ["a fractional limit", "?limit=1.5"],
    ["a q longer than 200 characters", `?q=${"a".repeat(201)}`],
    ["a q given as a list", "?q[]=a&q[]=b"],
  ];

  it.each(invalid)("rejects %s with 400 validation_failed", async (_what, query) => {
    const reply = await api.get(`${QR}${query}`);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("validation_failed");
    expect(reply.body.error.details[0]).toMatchObject({ path: query.includes("limit") ? "limit" : "q", in: "querystring" });
  });
});
