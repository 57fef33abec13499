import { describe, expect, it } from "vitest";
import type { RoutingCondition } from "../../../../protocol/routing.js";
import { matchRoutingRule } from "./match-routing-rule.js";

const rule = (condition: RoutingCondition, inboxId: string) => ({ condition, inboxId });

const seedRules = [
  rule({ url: { contains: "/pricing" } }, "sales"),
  rule({ url: { contains: "/docs" } }, "technical"),
  rule({ userAttribute: { key: "plan", value: "enterprise" } }, "priority"),
  rule({ userAttribute: { key: "language", value: "es" } }, "spanish"),
  rule({ message: { contains: ["billing", "payment", "invoice"] } }, "billing"),
];

describe("matchRoutingRule", () => {
  it("routes by page URL", () => {
    expect(matchRoutingRule(seedRules, { url: "https://acme.test/pricing?plan=pro" })).toBe("sales");
    expect(matchRoutingRule(seedRules, { url: "https://acme.test/docs/install" })).toBe("technical");
  });

  it("matches the URL fragment regardless of case", () => {
    expect(matchRoutingRule(seedRules, { url: "https://acme.test/PRICING" })).toBe("sales");
    expect(matchRoutingRule([rule({ url: { contains: "/Docs" } }, "technical")], { url: "https://acme.test/docs" })).toBe("technical");
  });

  it("routes by a contact attribute", () => {
    expect(matchRoutingRule(seedRules, { attributes: { plan: "enterprise" } })).toBe("priority");
    expect(matchRoutingRule(seedRules, { attributes: { language: "es" } })).toBe("spanish");
  });

  it("does not match an attribute with a different value or a different key", () => {
    expect(matchRoutingRule(seedRules, { attributes: { plan: "starter" } })).toBeUndefined();
    expect(matchRoutingRule(seedRules, { attributes: { tier: "enterprise" } })).toBeUndefined();
  });

  it("matches number and boolean attribute values", () => {
    const rules = [rule({ userAttribute: { key: "seats", value: 50 } }, "big"), rule({ userAttribute: { key: "vip", value: true } }, "vip")];
    expect(matchRoutingRule(rules, { attributes: { seats: 50 } })).toBe("big");
    expect(matchRoutingRule(rules, { attributes: { seats: 49, vip: true } })).toBe("vip");
    expect(matchRoutingRule(rules, { attributes: { seats: 49, vip: false } })).toBeUndefined();
  });

  it("routes by any keyword in the first message, regardless of case", () => {
    expect(matchRoutingRule(seedRules, { message: "Where is my INVOICE for March?" })).toBe("billing");
    expect(matchRoutingRule(seedRules, { message: "The payment failed" })).toBe("billing");
    expect(matchRoutingRule(seedRules, { message: "How do I reset my password?" })).toBeUndefined();
  });

  it("lets the first matching rule win", () => {
    const subject = { url: "https://acme.test/docs/pricing", attributes: { plan: "enterprise" }, message: "billing question" };
    expect(matchRoutingRule(seedRules, subject)).toBe("sales");
    expect(matchRoutingRule([...seedRules].reverse(), subject)).toBe("billing");
    expect(matchRoutingRule(seedRules.slice(2), subject)).toBe("priority");
  });

  it("returns undefined when no rule matches, when nothing is known, and when there are no rules", () => {
    expect(matchRoutingRule(seedRules, { url: "https://acme.test/blog", attributes: { plan: "starter" }, message: "hello" })).toBeUndefined();
    expect(matchRoutingRule(seedRules, {})).toBeUndefined();
    expect(matchRoutingRule(seedRules, { url: null, message: null })).toBeUndefined();
    expect(matchRoutingRule([], { url: "https://acme.test/pricing" })).toBeUndefined();
  });

  it("does not match an empty message against keywords", () => {
    expect(matchRoutingRule(seedRules, { message: "" })).toBeUndefined();
  });
});
