import { z } from "zod";
import { email, publicId, text, timestamp } from "./common.js";

const attributeKey = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "attribute names are 1–64 letters, digits, _ . or -");
const attributeValue = z.union([z.string().max(1000), z.number().finite(), z.boolean()]);

/** Custom attributes: string, number or boolean values; null in an update removes one. */
export const attributes = z.record(attributeKey, attributeValue).refine((value) => Object.keys(value).length <= 100, { message: "at most 100 attributes" });
export const attributesPatch = z.record(attributeKey, attributeValue.nullable()).refine((value) => Object.keys(value).length <= 100, { message: "at most 100 attributes" });

export const phone = z.string().trim().regex(/^\+?[0-9 ().-]{3,32}$/, "expected a phone number such as +1 555 0100");

export const contact = z
  .object({
    id: publicId("contact"),
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    tags: z.array(z.string()),
    location: z.object({ city: z.string().nullable(), country: z.string().nullable() }),
    device: z.string().nullable(),
    os: z.string().nullable(),
    browser: z.string().nullable(),
    language: z.string().nullable(),
    timezone: z.string().nullable(),
    blocked: z.boolean(),
    firstSeenAt: timestamp,
    lastSeenAt: timestamp,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Contact" });
export type Contact = z.infer<typeof contact>;

export const contactSummary = z
  .object({ id: publicId("contact"), name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable(), blocked: z.boolean() })
  .meta({ id: "ContactSummary" });
export type ContactSummary = z.infer<typeof contactSummary>;

const tagNames = z.array(text(1, 50)).max(50);

export const createContactBody = z.strictObject({
  name: text(1, 200).optional(),
  email: email.optional(),
  phone: phone.optional(),
  attributes: attributes.optional(),
  tags: tagNames.optional(),
  location: z.strictObject({ city: text(1, 100).nullable().optional(), country: text(2, 100).nullable().optional() }).optional(),
  language: text(2, 35).optional(),
  timezone: text(1, 64).optional(),
});

export const updateContactBody = z.strictObject({
  name: text(1, 200).nullable().optional(),
  email: email.nullable().optional(),
  phone: phone.nullable().optional(),
  attributes: attributesPatch.optional(),
  tags: tagNames.optional(),
  location: z.strictObject({ city: text(1, 100).nullable().optional(), country: text(2, 100).nullable().optional() }).optional(),
  language: text(2, 35).nullable().optional(),
  timezone: text(1, 64).nullable().optional(),
});

/** How POST /threads names its contact: found by id, then email, then phone, or created. */
export const threadContactInput = z.strictObject({
  id: publicId("contact").optional(),
  email: email.optional(),
  name: text(1, 200).optional(),
  phone: phone.optional(),
  attributes: attributes.optional(),
});
