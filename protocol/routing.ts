import { z } from "zod";
import { publicId } from "./common.js";

const keyword = z.string().trim().min(1).max(100);

export const routingCondition = z.union([
  z.strictObject({ url: z.strictObject({ contains: z.string().trim().min(1).max(500) }) }),
  z.strictObject({ userAttribute: z.strictObject({ key: z.string().trim().min(1).max(100), value: z.union([z.string().max(500), z.number(), z.boolean()]) }) }),
  z.strictObject({ message: z.strictObject({ contains: z.array(keyword).min(1).max(50) }) }),
]);
export type RoutingCondition = z.infer<typeof routingCondition>;

export const routingRuleInput = z.strictObject({
  id: publicId("rule").optional(),
  condition: routingCondition,
  inboxId: publicId("inbox"),
});

const ruleList = z.array(routingRuleInput).max(200);

/** PUT /routing-rules takes seed 000's `{ routingRules: [...] }` or the bare list (read as the same object, so errors name `routingRules.N`). */
export const replaceRoutingRulesBody = z.preprocess((body) => (Array.isArray(body) ? { routingRules: body } : body), z.strictObject({ routingRules: ruleList }));

export const routingRule = z
  .object({
    id: publicId("rule"),
    condition: routingCondition,
    inboxId: publicId("inbox"),
  })
  .meta({ id: "RoutingRule" });
export type RoutingRule = z.infer<typeof routingRule>;

/** Keyword routing to members: the first rule whose keyword the first message contains gives it to that member. */
export const memberRoutingRuleInput = z.strictObject({
  id: publicId("rule").optional(),
  memberId: publicId("member"),
  keywords: z.array(keyword).min(1).max(50),
});

export const replaceMemberRoutingRulesBody = z.preprocess(
  (body) => (Array.isArray(body) ? { memberRoutingRules: body } : body),
  z.strictObject({ memberRoutingRules: z.array(memberRoutingRuleInput).max(200) }),
);

export const memberRoutingRule = z
  .object({ id: publicId("rule"), memberId: publicId("member"), keywords: z.array(z.string()) })
  .meta({ id: "MemberRoutingRule" });
export type MemberRoutingRule = z.infer<typeof memberRoutingRule>;
