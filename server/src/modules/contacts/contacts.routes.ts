import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { contact, createContactBody, updateContactBody } from "../../../../protocol/contact.js";
import type { AppContext } from "../../context.js";
import { actorOf } from "../../http/request-auth.js";
import { loadTagNames } from "../tags/tag.repo.js";
import { blockContact, unblockContact } from "./block-contact.js";
import { presentContact, presentContactConversation } from "./contact.presenter.js";
import { getContact } from "./contact.repo.js";
import { contactConversation, contactParams as params, listContactConversationsQuery, listContactsQuery } from "./contacts.schema.js";
import { createContact } from "./create-contact.js";
import { deleteContact } from "./delete-contact.js";
import { listContactConversations } from "./list-contact-conversations.js";
import { listContacts } from "./list-contacts.js";
import { updateContact } from "./update-contact.js";

const tags = ["Contacts"];
const one = z.object({ data: contact });
// Fastify hands a request without a body over as null.
const noBody = z.strictObject({}).nullish();

/** The team's contacts (SPEC §1, §2.1 details panel): team-wide for every member; deleting is for admins. */
export function contactsRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { database, clock } = context;
  return async (app) => {
    app.get("/contacts", { schema: { tags, summary: "List contacts, last seen first, with search and filters", querystring: listContactsQuery, response: { 200: z.object({ data: z.array(contact), nextCursor: z.string().nullable() }) } } }, async (request) => {
      const actor = actorOf(request);
      const [{ rows, nextCursor }, tagNames] = await Promise.all([listContacts(database.db, actor.teamId, request.query), loadTagNames(database.db, actor.teamId)]);
      return { data: rows.map((row) => presentContact(row, tagNames)), nextCursor };
    });

    app.post("/contacts", { schema: { tags, summary: "Create a contact", body: createContactBody, response: { 201: one } } }, async (request, reply) => {
      const actor = actorOf(request);
      const data = await database.transaction(async (tx) => presentContact(await createContact({ tx, actor, teamId: actor.teamId, body: request.body, now: clock.now() }), await loadTagNames(tx, actor.teamId)));
      return reply.status(201).send({ data });
    });

    app.get("/contacts/:id", { schema: { tags, summary: "Get one contact", params, response: { 200: one } } }, async (request) => {
      const actor = actorOf(request);
      const [row, tagNames] = await Promise.all([getContact(database.db, actor.teamId, request.params.id), loadTagNames(database.db, actor.teamId)]);
      return { data: presentContact(row, tagNames) };
    });

    app.patch("/contacts/:id", { schema: { tags, summary: "Update a contact: null clears a field, attributes merge, tags replace", params, body: updateContactBody, response: { 200: one } } }, async (request) => {
      const actor = actorOf(request);
      const data = await database.transaction(async (tx) => presentContact(await updateContact({ tx, actor, teamId: actor.teamId, contactId: request.params.id, body: request.body, now: clock.now() }), await loadTagNames(tx, actor.teamId)));
      return { data };
    });

    app.delete("/contacts/:id", { schema: { tags, summary: "Delete a contact and all of their conversations (admin)", params, response: { 200: one } } }, async (request) => {
      const actor = actorOf(request);
      const data = await database.transaction((tx) => deleteContact({ tx, actor, teamId: actor.teamId, contactId: request.params.id, now: clock.now() }));
      return { data };
    });

    for (const [action, run] of [
      ["block", blockContact],
      ["unblock", unblockContact],
    ] as const) {
      const summary = action === "block" ? "Block a contact: their conversations, existing and new, go to Spam" : "Unblock a contact and take their conversations out of Spam";
      app.post(`/contacts/:id/${action}`, { schema: { tags, summary, params, body: noBody, response: { 200: one } } }, async (request) => {
        const actor = actorOf(request);
        const data = await database.transaction(async (tx) => presentContact(await run({ tx, actor, teamId: actor.teamId, contactId: request.params.id, now: clock.now() }), await loadTagNames(tx, actor.teamId)));
        return { data };
      });
    }

    app.get("/contacts/:id/conversations", { schema: { tags, summary: "The contact's conversations the caller may see, newest first", params, querystring: listContactConversationsQuery, response: { 200: z.object({ data: z.array(contactConversation), nextCursor: z.string().nullable() }) } } }, async (request) => {
      const actor = actorOf(request);
      const { rows, nextCursor } = await listContactConversations({ tx: database.db, actor, teamId: actor.teamId, contactId: request.params.id, ...request.query });
      return { data: rows.map(presentContactConversation), nextCursor };
    });
  };
}
