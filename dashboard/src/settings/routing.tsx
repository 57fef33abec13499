import { useEffect, useRef, useState, type DragEvent, type ReactNode } from "react";
import { api } from "../api/client.js";
import type { Inbox, Member } from "../api/types.js";
import type { MemberRoutingRule, RoutingCondition, RoutingRule } from "../../../protocol/routing.js";
import { Button, Notice } from "../ui/index.js";
import { LoadState, SectionHeader, splitError, useFlash, useLoad, type FieldErrors } from "./common.js";

type Kind = "url" | "userAttribute" | "message";

interface RuleDraft {
  key: string;
  id?: string;
  kind: Kind;
  url: string;
  attributeKey: string;
  attributeValue: string;
  /** The stored value, so a number or boolean the API was given stays one unless it is edited. */
  storedValue?: string | number | boolean;
  keywords: string;
  inboxId: string;
}

interface MemberRuleDraft {
  key: string;
  id?: string;
  memberId: string;
  keywords: string;
}

let counter = 0;
const newKey = () => `k${++counter}`;

function draftOf(rule: RoutingRule): RuleDraft {
  const condition = rule.condition;
  const base = { key: newKey(), id: rule.id, inboxId: rule.inboxId, url: "", attributeKey: "", attributeValue: "", keywords: "" };
  if ("url" in condition) {
    return { ...base, kind: "url", url: condition.url.contains };
  }
  if ("userAttribute" in condition) {
    return { ...base, kind: "userAttribute", attributeKey: condition.userAttribute.key, attributeValue: String(condition.userAttribute.value), storedValue: condition.userAttribute.value };
  }
  return { ...base, kind: "message", keywords: condition.message.contains.join(", ") };
}

const splitKeywords = (text: string) =>
  text
    .split(",")
    .map((word) => word.trim())
    .filter(Boolean);

function conditionOf(draft: RuleDraft): RoutingCondition {
  if (draft.kind === "url") {
    return { url: { contains: draft.url.trim() } };
  }
  if (draft.kind === "userAttribute") {
    const value = draft.storedValue !== undefined && String(draft.storedValue) === draft.attributeValue ? draft.storedValue : draft.attributeValue;
    return { userAttribute: { key: draft.attributeKey.trim(), value } };
  }
  return { message: { contains: splitKeywords(draft.keywords) } };
}

/** Moves one entry of a list to another index. */
function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) {
    return list;
  }
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

/** /settings/routing: the team's ordered routing rules (first match wins) and keyword routing to members. */
export function RoutingSettings() {
  const { loaded, reload } = useLoad(
    async (signal) => {
      const [rules, memberRules, inboxes, members] = await Promise.all([
        api.get<{ data: RoutingRule[] }>("/routing-rules", undefined, signal),
        api.get<{ data: MemberRoutingRule[] }>("/member-routing-rules", undefined, signal),
        api.get<{ data: Inbox[] }>("/inboxes", undefined, signal),
        api.get<{ members: Member[] }>("/members", undefined, signal),
      ]);
      return { rules: rules.data, memberRules: memberRules.data, inboxes: inboxes.data, members: members.members };
    },
    [],
  );
  return (
    <section className="settings-section">
      <SectionHeader title="Routing rules" description="New conversations go to the inbox of the first rule that matches; with no match, to the default inbox." />
      <LoadState loaded={loaded} onRetry={reload} label="routing rules" />
      {loaded.state === "ready" ? (
        <>
          <InboxRules initial={loaded.data.rules} inboxes={loaded.data.inboxes} />
          <MemberRules initial={loaded.data.memberRules} members={loaded.data.members} />
        </>
      ) : null}
    </section>
  );
}

/** Drag-and-drop and move buttons over a list, keeping focus on the moved entry's button. */
function useReorder<T extends { key: string }>(list: T[], setList: (list: T[]) => void) {
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const focusAfter = useRef<{ key: string; direction: "up" | "down" } | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    const target = focusAfter.current;
    if (!target) {
      return;
    }
    focusAfter.current = null;
    const item = listRef.current?.querySelector(`[data-key="${target.key}"]`);
    const button = item?.querySelector<HTMLButtonElement>(`button[data-move="${target.direction}"]:not(:disabled)`) ?? item?.querySelector<HTMLButtonElement>("button[data-move]:not(:disabled)");
    button?.focus();
  }, [list]);

  const moveBy = (index: number, delta: -1 | 1) => {
    focusAfter.current = { key: list[index]!.key, direction: delta < 0 ? "up" : "down" };
    setList(move(list, index, index + delta));
  };

  const itemProps = (item: T, index: number) => ({
    "data-key": item.key,
    className: `${dragging === item.key ? "dragging" : ""} ${over === item.key && dragging !== item.key ? "drop-target" : ""}`,
    onDragOver: (event: DragEvent) => {
      if (dragging) {
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        setOver(item.key);
      }
    },
    onDrop: (event: DragEvent) => {
      event.preventDefault();
      const from = list.findIndex((entry) => entry.key === dragging);
      if (from >= 0) {
        setList(move(list, from, index));
      }
      setDragging(null);
      setOver(null);
    },
  });

  const handleProps = (item: T) => ({
    draggable: true,
    onDragStart: (event: DragEvent) => {
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.key);
      const row = (event.currentTarget as HTMLElement).closest("li");
      if (row) {
        event.dataTransfer.setDragImage(row, 16, 16);
      }
      setDragging(item.key);
    },
    onDragEnd: () => {
      setDragging(null);
      setOver(null);
    },
  });

  return { listRef, moveBy, itemProps, handleProps };
}

function MoveButtons({ index, count, label, onMove }: { index: number; count: number; label: string; onMove: (delta: -1 | 1) => void }) {
  return (
    <span className="move-buttons">
      <Button variant="ghost" data-move="up" aria-label={`Move ${label} up`} disabled={index === 0} onClick={() => onMove(-1)}>
        ↑
      </Button>
      <Button variant="ghost" data-move="down" aria-label={`Move ${label} down`} disabled={index === count - 1} onClick={() => onMove(1)}>
        ↓
      </Button>
    </span>
  );
}

/**
 * An ordered list of rules: each row has a drag handle, its number, the body the caller draws, and buttons to
 * move it (for keyboards) or remove it.
 */
function OrderedRules<T extends { key: string }>({ rules, setRules, listLabel, itemName, renderBody }: { rules: T[]; setRules: (list: T[] | ((list: T[]) => T[])) => void; listLabel: string; itemName: string; renderBody: (rule: T, label: string) => ReactNode }) {
  const { listRef, moveBy, itemProps, handleProps } = useReorder(rules, setRules);
  const title = itemName[0]?.toUpperCase() + itemName.slice(1);
  return (
    <ol className="rule-list" ref={listRef} aria-label={listLabel}>
      {rules.map((rule, index) => {
        const label = `${itemName} ${index + 1}`;
        return (
          <li key={rule.key} {...itemProps(rule, index)} aria-label={`${title} ${index + 1}`}>
            <span className="drag-handle" title="Drag to reorder" aria-hidden="true" {...handleProps(rule)}>
              ⠿
            </span>
            <span className="rule-number" aria-hidden="true">
              {index + 1}
            </span>
            {renderBody(rule, label)}
            <div className="rule-actions">
              <MoveButtons index={index} count={rules.length} label={label} onMove={(delta) => moveBy(index, delta)} />
              <Button variant="danger" aria-label={`Remove ${label}`} onClick={() => setRules((list) => list.filter((entry) => entry.key !== rule.key))}>
                Remove
              </Button>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** Server field errors such as `routingRules.2.condition.url`, keyed by the rule they name. */
function errorsByRule(fields: Record<string, string>, listName: string, rules: { key: string }[]): FieldErrors {
  const pattern = new RegExp(`^${listName}\\.(\\d+)\\.?`);
  const byRule: FieldErrors = {};
  for (const [path, text] of Object.entries(fields)) {
    const match = pattern.exec(path);
    const key = match ? rules[Number(match[1])]?.key : undefined;
    if (key) {
      const line = `${path.slice(match?.[0].length ?? 0) || "rule"}: ${text}`;
      byRule[key] = byRule[key] ? `${byRule[key]} ${line}` : line;
    }
  }
  return byRule;
}

function SaveBar({ dirty, busy, onSave, onDiscard, message, saved, what }: { dirty: boolean; busy: boolean; onSave: () => void; onDiscard: () => void; message: string | null; saved: string | null; what: string }) {
  return (
    <div className="save-bar inline" role="group" aria-label={`Save ${what}`}>
      {message ? <Notice>{message}</Notice> : null}
      {saved ? <Notice kind="success">{saved}</Notice> : null}
      <span className="muted save-state">{dirty ? "Unsaved changes" : "All changes saved"}</span>
      <Button onClick={onDiscard} disabled={!dirty || busy}>
        Discard changes
      </Button>
      <Button variant="primary" onClick={onSave} disabled={busy || !dirty}>
        {busy ? "Saving…" : `Save ${what}`}
      </Button>
    </div>
  );
}

/**
 * The state of an ordered rule list saved as a whole with PUT: the drafts on screen, whether they differ
 * from what is stored, and saving (server errors shown on the rules they name) or discarding them.
 */
function useRuleEditor<Stored, Draft extends { key: string }, Body>({ initial, toDraft, toBody, storedBody, endpoint, listName, savedText }: { initial: Stored[]; toDraft: (rule: Stored) => Draft; toBody: (draft: Draft) => Body; storedBody: (rule: Stored) => Body; endpoint: string; listName: string; savedText: string }) {
  const [saved, setSaved] = useState(initial);
  const [rules, setRules] = useState(() => initial.map(toDraft));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [flash, setFlash] = useFlash();
  const [busy, setBusy] = useState(false);
  const body = rules.map(toBody);
  const dirty = JSON.stringify(body) !== JSON.stringify(saved.map(storedBody));
  const update = (key: string, patch: Partial<Draft>) => setRules((list) => list.map((rule) => (rule.key === key ? { ...rule, ...patch } : rule)));

  const save = async () => {
    setBusy(true);
    setMessage(null);
    setErrors({});
    try {
      const reply = await api.put<{ data: Stored[] }>(endpoint, { [listName]: body });
      setSaved(reply.data);
      setRules(reply.data.map(toDraft));
      setFlash(savedText);
    } catch (caught) {
      const split = splitError(caught, (path) => path.startsWith(`${listName}.`));
      setErrors(errorsByRule(split.fields, listName, rules));
      setMessage(split.message);
    } finally {
      setBusy(false);
    }
  };
  const discard = () => {
    setRules(saved.map(toDraft));
    setErrors({});
    setMessage(null);
  };
  return { rules, setRules, update, errors, bar: { dirty, busy, message, saved: flash, onSave: () => void save(), onDiscard: discard } };
}

function InboxRules({ initial, inboxes }: { initial: RoutingRule[]; inboxes: Inbox[] }) {
  const { rules, setRules, update, errors, bar } = useRuleEditor({
    initial,
    toDraft: draftOf,
    toBody: (rule: RuleDraft) => ({ ...(rule.id ? { id: rule.id } : {}), condition: conditionOf(rule), inboxId: rule.inboxId }),
    storedBody: (rule: RoutingRule) => ({ id: rule.id, condition: rule.condition, inboxId: rule.inboxId }),
    endpoint: "/routing-rules",
    listName: "routingRules",
    savedText: "Routing rules saved.",
  });
  const defaultInbox = inboxes.find((inbox) => inbox.isDefault) ?? inboxes[0];

  return (
    <section className="settings-card" aria-labelledby="routing-inbox-title">
      <h2 id="routing-inbox-title">Rules by page, attribute and keywords</h2>
      <p className="muted">Drag a rule by its handle, or use the arrow buttons, to change the order. The first rule that matches wins.</p>
      {rules.length === 0 ? <p className="muted">No rules: every new conversation goes to the default inbox.</p> : null}
      <OrderedRules
        rules={rules}
        setRules={setRules}
        listLabel="Routing rules"
        itemName="rule"
        renderBody={(rule, label) => (
          <div className="rule-body">
            <div className="row">
              <span>When</span>
              <select aria-label={`Condition of ${label}`} value={rule.kind} onChange={(event) => update(rule.key, { kind: event.target.value as Kind })}>
                <option value="url">the page URL contains</option>
                <option value="userAttribute">a contact attribute equals</option>
                <option value="message">the first message contains any of</option>
              </select>
              <RuleValue rule={rule} label={label} onChange={(patch) => update(rule.key, patch)} />
            </div>
            <div className="row">
              <span>send to</span>
              <select aria-label={`Inbox of ${label}`} value={rule.inboxId} onChange={(event) => update(rule.key, { inboxId: event.target.value })}>
                {inboxes.map((inbox) => (
                  <option key={inbox.id} value={inbox.id}>
                    {inbox.name}
                  </option>
                ))}
              </select>
            </div>
            {errors[rule.key] ? <p className="field-error">{errors[rule.key]}</p> : null}
          </div>
        )}
      />
      <div className="row">
        <Button
          disabled={!defaultInbox}
          onClick={() => setRules((list) => [...list, { key: newKey(), kind: "url", url: "", attributeKey: "", attributeValue: "", keywords: "", inboxId: defaultInbox?.id ?? "" }])}
        >
          Add rule
        </Button>
      </div>
      <SaveBar what="routing rules" {...bar} />
    </section>
  );
}

function RuleValue({ rule, label, onChange }: { rule: RuleDraft; label: string; onChange: (patch: Partial<RuleDraft>) => void }): ReactNode {
  if (rule.kind === "url") {
    return <input aria-label={`Page URL text of ${label}`} placeholder="/pricing" value={rule.url} onChange={(event) => onChange({ url: event.target.value })} />;
  }
  if (rule.kind === "userAttribute") {
    return (
      <>
        <input aria-label={`Attribute name of ${label}`} placeholder="plan" value={rule.attributeKey} onChange={(event) => onChange({ attributeKey: event.target.value })} className="short-input" />
        <span>=</span>
        <input aria-label={`Attribute value of ${label}`} placeholder="enterprise" value={rule.attributeValue} onChange={(event) => onChange({ attributeValue: event.target.value })} className="short-input" />
      </>
    );
  }
  return <input aria-label={`Keywords of ${label}`} placeholder="billing, payment, invoice" value={rule.keywords} onChange={(event) => onChange({ keywords: event.target.value })} />;
}

function MemberRules({ initial, members }: { initial: MemberRoutingRule[]; members: Member[] }) {
  const toDraft = (rule: MemberRoutingRule): MemberRuleDraft => ({ key: newKey(), id: rule.id, memberId: rule.memberId, keywords: rule.keywords.join(", ") });
  const { rules, setRules, update, errors, bar } = useRuleEditor({
    initial,
    toDraft,
    toBody: (rule: MemberRuleDraft) => ({ ...(rule.id ? { id: rule.id } : {}), memberId: rule.memberId, keywords: splitKeywords(rule.keywords) }),
    storedBody: (rule: MemberRoutingRule) => ({ id: rule.id, memberId: rule.memberId, keywords: rule.keywords }),
    endpoint: "/member-routing-rules",
    listName: "memberRoutingRules",
    savedText: "Member routing saved.",
  });

  return (
    <section className="settings-card" aria-labelledby="routing-member-title">
      <h2 id="routing-member-title">Keyword routing to members</h2>
      <p className="muted">A new conversation whose first message contains a keyword goes to that member, if they are available and in the inbox; otherwise the inbox&apos;s assignment rule decides.</p>
      {rules.length === 0 ? <p className="muted">No member rules.</p> : null}
      <OrderedRules
        rules={rules}
        setRules={setRules}
        listLabel="Member routing rules"
        itemName="member rule"
        renderBody={(rule, label) => (
          <div className="rule-body">
            <div className="row">
              <span>When the first message contains any of</span>
              <input aria-label={`Keywords of ${label}`} placeholder="refund, invoice" value={rule.keywords} onChange={(event) => update(rule.key, { keywords: event.target.value })} />
            </div>
            <div className="row">
              <span>assign to</span>
              <select aria-label={`Member of ${label}`} value={rule.memberId} onChange={(event) => update(rule.key, { memberId: event.target.value })}>
                {members.map((member) => (
                  <option key={member.id} value={member.id}>
                    {member.name}
                  </option>
                ))}
              </select>
            </div>
            {errors[rule.key] ? <p className="field-error">{errors[rule.key]}</p> : null}
          </div>
        )}
      />
      <div className="row">
        <Button disabled={members.length === 0} onClick={() => setRules((list) => [...list, { key: newKey(), memberId: members[0]?.id ?? "", keywords: "" }])}>
          Add member rule
        </Button>
      </div>
      <SaveBar what="member routing" {...bar} />
    </section>
  );
}
