import { describe, expect, it } from "vitest";
import { findMentions } from "./mentions.js";

const alice = { id: "member_alice", name: "Alice Johnson", email: "alice@acme.test" };
const ann = { id: "member_ann", name: "Ann", email: "ann@acme.test" };
const annLee = { id: "member_annlee", name: "Ann Lee", email: "a.lee@acme.test" };
const zoe = { id: "member_zoe", name: "Zoë Åberg", email: "zoe@acme.test" };

describe("findMentions", () => {
  it("finds members by full name, email, or the email's local part, case-insensitively", () => {
    expect(findMentions("@alice johnson can you look?", [alice])).toEqual(["member_alice"]);
    expect(findMentions("cc @alice@acme.test", [alice])).toEqual(["member_alice"]);
    expect(findMentions("@Alice, please", [alice])).toEqual(["member_alice"]);
  });

  it("prefers the longest matching name", () => {
    expect(findMentions("@Ann Lee and @Ann", [ann, annLee])).toEqual(["member_annlee", "member_ann"]);
  });

  it("does not match a name running on into another word", () => {
    expect(findMentions("@Annabel is not Ann", [ann])).toEqual([]);
  });

  it("ignores an @ inside an email address written in the text", () => {
    expect(findMentions("write to support@ann.com", [ann])).toEqual([]);
  });

  it("handles names with accents and returns each member once", () => {
    expect(findMentions("@zoë åberg and again @Zoë Åberg", [zoe])).toEqual(["member_zoe"]);
  });

  it("finds nothing in text without mentions", () => {
    expect(findMentions("no one here 🙂", [alice, ann])).toEqual([]);
  });
});
