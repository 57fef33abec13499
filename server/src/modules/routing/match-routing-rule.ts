import type { RoutingCondition } from "../../../../protocol/routing.js";

/** What a new conversation is routed on. */
export interface RoutingSubject {
  /** The page the conversation started from. */
  url?: string | null;
  /** The contact's custom attributes. */
  attributes?: Record<string, unknown>;
  /** The first message's text. */
  message?: string | null;
}

function matches(condition: RoutingCondition, subject: RoutingSubject): boolean {
  if ("url" in condition) {
    return subject.url != null && subject.url.toLowerCase().includes(condition.url.contains.toLowerCase());
  }
  if ("userAttribute" in condition) {
    const value = subject.attributes?.[condition.userAttribute.key];
    const expected = condition.userAttribute.value;
    if (value === expected) {
      return true;
    }
    return (typeof value === "string" || typeof value === "number" || typeof value === "boolean") && String(value).toLowerCase() === String(expected).toLowerCase();
  }
  const text = subject.message?.toLowerCase() ?? "";
  return text !== "" && condition.message.contains.some((keyword) => text.includes(keyword.toLowerCase()));
}

/** The inbox of the first rule that matches, or undefined (the caller falls back to the default inbox). */
export function matchRoutingRule(rules: { condition: RoutingCondition; inboxId: string }[], subject: RoutingSubject): string | undefined {
  return rules.find((rule) => matches(rule.condition, subject))?.inboxId;
}
