import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTeam, type BuiltTeam } from "../../../test/factories.js";
import { createTestContext, type TestContext } from "../../../test/test-context.js";
import { defaultTagColor, ensureTags, tagKey } from "./tag.repo.js";

let ctx: TestContext;
let acme: BuiltTeam;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await buildTeam(ctx, { name: "Acme Corp" });
});
afterEach(() => ctx.close());

const ensure = (names: string[], teamId = acme.team.id) => ctx.database.transaction((tx) => ensureTags(tx, teamId, names, ctx.clock.now()));

async function storedTags(teamId = acme.team.id) {
  return ctx.database.db.selectFrom("tags").select(["id", "name", "name_key", "color"]).where("team_id", "=", teamId).orderBy("name_key").execute();
}

describe("ensureTags", () => {
  it("creates the tags a team does not have, with their default colour", async () => {
    const tags = await ensure(["Billing", "VIP"]);
    expect(tags.map((tag) => [tag.name, tag.color])).toEqual([
      ["Billing", defaultTagColor("Billing")],
      ["VIP", defaultTagColor("VIP")],
    ]);
    expect(tags.every((tag) => /^tag_[A-Za-z0-9]{16}$/.test(tag.id) && tag.team_id === acme.team.id)).toBe(true);
    expect(await storedTags()).toEqual([
      { id: tags[0]?.id, name: "Billing", name_key: "billing", color: defaultTagColor("Billing") },
      { id: tags[1]?.id, name: "VIP", name_key: "vip", color: defaultTagColor("VIP") },
    ]);
  });

  it("creates an unknown name only once across calls", async () => {
    const first = await ensure(["Billing"]);
    const second = await ensure(["Billing", "Sales"]);
    expect(second[0]?.id).toBe(first[0]?.id);
    expect((await storedTags()).map((tag) => tag.name)).toEqual(["Billing", "Sales"]);
  });

  it("reuses an existing tag regardless of case and spacing, keeping the team's spelling", async () => {
    const [billing] = await ensure(["Billing"]);
    const [vip] = await ensure(["VIP customer"]);
    const again = await ensure(["  BILLING ", "vip   Customer"]);
    expect(again.map((tag) => [tag.id, tag.name])).toEqual([
      [billing?.id, "Billing"],
      [vip?.id, "VIP customer"],
    ]);
    expect(await storedTags()).toHaveLength(2);
  });

  it("returns the tags in the order given, mixing existing and new ones", async () => {
    const [mid] = await ensure(["Mid"]);
    const tags = await ensure(["zeta", "mid", "Alpha"]);
    expect(tags.map((tag) => tag.name)).toEqual(["zeta", "Mid", "Alpha"]);
    expect(tags[1]?.id).toBe(mid?.id);
  });

  it("ignores blank names and repeats, keeping the first spelling and position", async () => {
    const tags = await ensure(["", "  ", "Urgent", "urgent", " URGENT ", "\t", "Later", "urgent"]);
    expect(tags.map((tag) => tag.name)).toEqual(["Urgent", "Later"]);
    expect(await storedTags()).toHaveLength(2);
  });

  it("stores new names trimmed with inner whitespace made one space", async () => {
    const [tag] = await ensure(["  needs \n  follow-up "]);
    expect(tag?.name).toBe("needs follow-up");
    expect(tag?.name_key).toBe(tagKey("Needs Follow-up"));
  });

  it("returns nothing and writes nothing for an empty or all-blank list", async () => {
    expect(await ensure([])).toEqual([]);
    expect(await ensure(["", "   "])).toEqual([]);
    expect(await storedTags()).toEqual([]);
  });

  it("keeps teams apart: the same name makes a separate tag in each team", async () => {
    const globex = await buildTeam(ctx, { name: "Globex" });
    const [acmeTag] = await ensure(["Billing"]);
    const [globexTag] = await ensure(["billing"], globex.team.id);
    expect(globexTag?.id).not.toBe(acmeTag?.id);
    expect(globexTag?.team_id).toBe(globex.team.id);
    expect(globexTag?.name).toBe("billing");
    expect(await storedTags(globex.team.id)).toHaveLength(1);
  });
});

describe("tagKey and defaultTagColor", () => {
  it("compare names without case or extra spacing", () => {
    expect(tagKey("  VIP   Customer ")).toBe("vip customer");
    expect(defaultTagColor("VIP customer")).toBe(defaultTagColor("vip   CUSTOMER"));
    expect(defaultTagColor("Billing")).toMatch(/^#[0-9A-F]{6}$/);
  });
});
