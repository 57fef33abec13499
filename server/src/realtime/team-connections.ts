import type { Signal, StoredEvent } from "../events/domain-event.js";
import { AgentConnection } from "./agent-connection.js";
import { agentsOfEvent, agentsOfSignal, changesAccess, type AgentAudience } from "./audience.js";
import type { StreamConnection } from "./stream-connection.js";
import { VisitorConnection, visitorContactOfEvent, visitorContactOfSignal } from "./visitor-connection.js";

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set?.delete(value) && set.size === 0) {
    map.delete(key);
  }
}

/**
 * One team's open sockets, indexed by what an event can concern (an inbox, a member, a visitor's contact),
 * so an event costs its possible recipients rather than every socket of the team: a team with thousands of
 * visitors on its website and a few hundred agents would otherwise look at all of them for each message.
 * Each socket still decides what it is sent (deliver() applies the full rule); the index only has to name a
 * superset of the recipients.
 */
export class TeamConnections {
  readonly all = new Set<StreamConnection>();
  private readonly agents = new Set<AgentConnection>();
  /** Owners and admins: every inbox. */
  private readonly everyInbox = new Set<AgentConnection>();
  private readonly byInbox = new Map<string, Set<AgentConnection>>();
  private readonly byMember = new Map<string, Set<AgentConnection>>();
  private readonly byContact = new Map<string, Set<VisitorConnection>>();
  /** The inboxes each agent is filed under (a copy: its own set changes in place), to take it out again. */
  private readonly filedInboxes = new Map<AgentConnection, ReadonlySet<string> | undefined>();
  private readonly filedContact = new Map<VisitorConnection, string>();

  get size(): number {
    return this.all.size;
  }

  add(connection: StreamConnection): void {
    this.all.add(connection);
    if (connection instanceof AgentConnection) {
      this.agents.add(connection);
      addTo(this.byMember, connection.memberId, connection);
      this.fileAgent(connection);
    } else if (connection instanceof VisitorConnection) {
      this.fileVisitor(connection);
    }
  }

  delete(connection: StreamConnection): void {
    this.all.delete(connection);
    if (connection instanceof AgentConnection) {
      this.agents.delete(connection);
      removeFrom(this.byMember, connection.memberId, connection);
      this.unfileAgent(connection);
    } else if (connection instanceof VisitorConnection) {
      this.unfileVisitor(connection);
    }
  }

  /** Files a socket again after what it may see changed (its inboxes, its role, a visitor's merged contact). */
  refile(connection: StreamConnection): void {
    if (!this.all.has(connection)) {
      return;
    }
    if (connection instanceof AgentConnection) {
      this.unfileAgent(connection);
      this.fileAgent(connection);
    } else if (connection instanceof VisitorConnection) {
      this.unfileVisitor(connection);
      this.fileVisitor(connection);
    }
  }

  /**
   * Hands an event to the sockets it may concern: first lets every agent apply an event that changes who sees
   * what (rare: memberships, roles, removals, revoked keys) and moves the visitors of a merged contact to the
   * surviving one, then delivers.
   */
  dispatch(event: StoredEvent): void {
    if (changesAccess(event)) {
      for (const agent of this.agents) {
        agent.applyAccessChange(event);
        this.refile(agent);
      }
    }
    const merged = event.name === "contact.merged" ? visitorContactOfEvent(event) : undefined;
    if (merged !== undefined) {
      for (const visitor of [...(this.byContact.get(merged) ?? [])]) {
        visitor.applyAccessChange(event);
        this.refile(visitor);
      }
    }
    for (const connection of this.ofEvent(event)) {
      connection.receive(event);
    }
  }

  /** The sockets an event may concern (a superset of those it reaches). */
  ofEvent(event: StoredEvent): ReadonlySet<StreamConnection> {
    const agents = agentsOfEvent(event);
    const contactId = visitorContactOfEvent(event);
    // An event for every agent and no visitor goes through the agents' own set instead of a copy of it.
    return agents === "all" && contactId === undefined ? this.agents : this.gather(agents, contactId);
  }

  /** The sockets a signal (typing) may concern. */
  ofSignal(signal: Signal): Set<StreamConnection> {
    return this.gather(agentsOfSignal(signal), visitorContactOfSignal(signal));
  }

  private gather(agents: AgentAudience, contactId: string | undefined): Set<StreamConnection> {
    const recipients = new Set<StreamConnection>();
    if (agents === "all") {
      this.agents.forEach((agent) => recipients.add(agent));
    } else {
      this.collectAgents(recipients, agents);
    }
    if (contactId !== undefined) {
      this.byContact.get(contactId)?.forEach((visitor) => recipients.add(visitor));
    }
    return recipients;
  }

  private collectAgents(into: Set<StreamConnection>, audience: Exclude<AgentAudience, "all">): void {
    if (audience.inboxIds.length > 0) {
      this.everyInbox.forEach((agent) => into.add(agent));
    }
    for (const inboxId of audience.inboxIds) {
      this.byInbox.get(inboxId)?.forEach((agent) => into.add(agent));
    }
    if (audience.memberId !== undefined) {
      this.byMember.get(audience.memberId)?.forEach((agent) => into.add(agent));
    }
  }

  private fileAgent(agent: AgentConnection): void {
    const inboxIds = agent.inboxIds === undefined ? undefined : new Set(agent.inboxIds);
    this.filedInboxes.set(agent, inboxIds);
    if (inboxIds === undefined) {
      this.everyInbox.add(agent);
    } else {
      inboxIds.forEach((inboxId) => addTo(this.byInbox, inboxId, agent));
    }
  }

  private unfileAgent(agent: AgentConnection): void {
    const inboxIds = this.filedInboxes.get(agent);
    this.filedInboxes.delete(agent);
    this.everyInbox.delete(agent);
    inboxIds?.forEach((inboxId) => removeFrom(this.byInbox, inboxId, agent));
  }

  private fileVisitor(visitor: VisitorConnection): void {
    this.filedContact.set(visitor, visitor.contactId);
    addTo(this.byContact, visitor.contactId, visitor);
  }

  private unfileVisitor(visitor: VisitorConnection): void {
    const contactId = this.filedContact.get(visitor);
    this.filedContact.delete(visitor);
    if (contactId !== undefined) {
      removeFrom(this.byContact, contactId, visitor);
    }
  }
}
