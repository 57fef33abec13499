import { describe, expect, it } from "vitest";
import { suggestionText, tokenAt } from "./composer-suggestions.js";

describe("composer suggestions", () => {
  it("opens quick replies for a / at the start of a word, wherever the caret is", () => {
    expect(tokenAt("/ref", 4, false)).toEqual({ kind: "quick-reply", query: "ref", start: 0 });
    expect(tokenAt("Hi! /thanks", 11, false)).toEqual({ kind: "quick-reply", query: "thanks", start: 4 });
    expect(tokenAt("see https://x.test/ref", 22, false)).toBeNull();
    expect(tokenAt("/ref and more", 13, false)).toBeNull();
  });

  it("suggests teammates after @ only in notes, a first and last name included", () => {
    expect(tokenAt("ping @Ali", 9, true)).toEqual({ kind: "mention", query: "Ali", start: 5 });
    expect(tokenAt("ping @Alice Jo", 14, true)).toEqual({ kind: "mention", query: "Alice Jo", start: 5 });
    expect(tokenAt("ping @Ali", 9, false)).toBeNull();
    expect(tokenAt("mail me@example.com", 19, true)).toBeNull();
  });

  it("inserts a quick reply's text, or the mention with a space after it", () => {
    expect(suggestionText({ kind: "mention", id: "member_1", name: "Alice Johnson" })).toBe("@Alice Johnson ");
    expect(suggestionText({ kind: "quick-reply", reply: { id: "qr_1", shortcut: "thanks", title: "Thanks", content: "Thank you!", createdAt: "", updatedAt: "" } })).toBe("Thank you!");
  });
});
