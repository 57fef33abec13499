import { useState } from "react";
import { api, errorMessage } from "../api/client.js";
import type { Availability, Member } from "../api/types.js";
import { linkHandler, navigate } from "../lib/router.js";
import { useSession } from "../session.js";
import { Avatar, Notice } from "../ui/index.js";
import { useWorkspace } from "./store.js";
import { SIDEBAR_VIEWS, viewPath, type ListFilters, type SidebarView } from "./views.js";

const AVAILABILITY_LABELS: Record<Availability, string> = { available: "Available", away: "Away", offline: "Offline" };

/** Views with live counts, inboxes and tags as filters, my availability, settings and sign-out. */
export function Sidebar({ view, filters, onToggle }: { view: SidebarView | null; filters: ListFilters; onToggle: () => void }) {
  const { member, setMember, signOut, team } = useSession();
  const { counts, inboxes, tags } = useWorkspace();
  const [error, setError] = useState<string | null>(null);
  const current = view ?? "unassigned";

  const setAvailability = async (status: Availability) => {
    setError(null);
    try {
      const { member: updated } = await api.put<{ member: Member }>(`/members/${member.id}/availability`, { status });
      setMember(updated);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  const filterLink = (patch: ListFilters, active: boolean) => {
    const next = { ...filters, ...patch };
    if (active) {
      for (const key of Object.keys(patch) as (keyof ListFilters)[]) {
        delete next[key];
      }
    }
    return viewPath(current, null, next);
  };

  return (
    <nav className="sidebar" aria-label="Conversations">
      <div className="sidebar-team">
        <strong>{team.name}</strong>
        <button type="button" className="btn btn-ghost sidebar-close" aria-label="Close the menu" onClick={onToggle}>
          ×
        </button>
      </div>
      <ul className="nav-list">
        {SIDEBAR_VIEWS.map((item) => {
          const href = viewPath(item.id, null, filters);
          const count = counts?.[item.id];
          return (
            <li key={item.id}>
              <a href={href} onClick={linkHandler(href)} className={`nav-item ${view === item.id ? "active" : ""}`} aria-current={view === item.id ? "page" : undefined} data-view={item.id}>
                <span>{item.label}</span>
                <span className="nav-count" aria-label={`${count ?? 0} conversations`}>
                  {count ?? ""}
                </span>
              </a>
            </li>
          );
        })}
      </ul>
      {inboxes.length > 0 ? (
        <>
          <h2 className="nav-heading">Inboxes</h2>
          <ul className="nav-list">
            {inboxes.map((inbox) => {
              const active = filters.inboxId === inbox.id;
              const href = filterLink({ inboxId: inbox.id }, active);
              return (
                <li key={inbox.id}>
                  <a href={href} onClick={linkHandler(href)} className={`nav-item ${active ? "active" : ""}`} aria-pressed={active} aria-label={`Inbox ${inbox.name}`}>
                    <span className="dot" style={{ background: inbox.color }} aria-hidden="true" />
                    <span>{inbox.name}</span>
                  </a>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {tags.length > 0 ? (
        <>
          <h2 className="nav-heading">Tags</h2>
          <ul className="nav-list">
            {tags.map((tag) => {
              const active = filters.tag === tag.name;
              const href = filterLink({ tag: tag.name }, active);
              return (
                <li key={tag.id}>
                  <a href={href} onClick={linkHandler(href)} className={`nav-item ${active ? "active" : ""}`} aria-pressed={active} aria-label={`Tag ${tag.name}`}>
                    <span className="dot" style={{ background: tag.color }} aria-hidden="true" />
                    <span>{tag.name}</span>
                  </a>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      <div className="sidebar-footer">
        {error ? <Notice onDismiss={() => setError(null)}>{error}</Notice> : null}
        <div className="me">
          <Avatar name={member.name} />
          <div className="me-text">
            <span className="me-name">{member.name}</span>
            <label className="availability">
              <span className={`presence presence-${member.availability}`} aria-hidden="true" />
              <select aria-label="My availability" value={member.availability} onChange={(event) => void setAvailability(event.target.value as Availability)}>
                {(Object.keys(AVAILABILITY_LABELS) as Availability[]).map((status) => (
                  <option key={status} value={status}>
                    {AVAILABILITY_LABELS[status]}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </div>
        <div className="row">
          <a href="/settings" className="btn btn-ghost" onClick={linkHandler("/settings")}>
            Settings
          </a>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              void signOut().then(() => navigate("/signin", { replace: true }));
            }}
          >
            Sign out
          </button>
        </div>
      </div>
    </nav>
  );
}
