import { linkHandler, matchPath, useLocation } from "../lib/router.js";
import { useSession } from "../session.js";
import { ApiKeysSettings } from "./api-keys.js";
import { InboxSettings, InboxesSettings } from "./inboxes.js";
import { MembersSettings } from "./members.js";
import { QuickRepliesSettings } from "./quick-replies.js";
import { RoutingSettings } from "./routing.js";
import { TagsSettings } from "./tags.js";
import "./settings.css";

/** The settings sections; each becomes its own page under /settings/<section>. `admin`: owners and admins only. */
export const SETTINGS_SECTIONS = [
  { id: "inboxes", title: "Inboxes", description: "Channels, working hours, assignment rules, auto-responder, widget snippet and inbox members.", admin: false },
  { id: "routing", title: "Routing rules", description: "Send new conversations to an inbox or a member by page, attribute or keywords.", admin: true },
  { id: "members", title: "Team members", description: "Invite people, change roles, remove members.", admin: false },
  { id: "quick-replies", title: "Quick replies", description: "Saved answers inserted with / in the composer.", admin: false },
  { id: "tags", title: "Tags", description: "Labels for conversations and contacts.", admin: false },
  { id: "api-keys", title: "API keys", description: "Keys for the REST API; shown once when created.", admin: true },
] as const;

type SectionId = (typeof SETTINGS_SECTIONS)[number]["id"];

/** /settings/*: the sections' navigation and the page of the chosen one. */
export function SettingsPage() {
  const { pathname } = useLocation();
  const { member } = useSession();
  const isAdmin = member.role !== "member";
  const sections = SETTINGS_SECTIONS.filter((section) => isAdmin || !section.admin);
  const inbox = matchPath("/settings/inboxes/:inboxId", pathname);
  const section = matchPath("/settings/:section", pathname)?.section ?? (inbox ? "inboxes" : null);
  const current = SETTINGS_SECTIONS.find((entry) => entry.id === section);

  return (
    <div className="settings-root">
      <nav className="settings-nav" aria-label="Settings">
        <a className="settings-nav-title" href="/settings" onClick={linkHandler("/settings")} aria-current={section === null ? "page" : undefined}>
          Settings
        </a>
        <ul>
          {sections.map((entry) => (
            <li key={entry.id}>
              <a href={`/settings/${entry.id}`} onClick={linkHandler(`/settings/${entry.id}`)} aria-current={entry.id === section ? "page" : undefined}>
                {entry.title}
              </a>
            </li>
          ))}
        </ul>
        <a className="settings-back" href="/inbox/unassigned" onClick={linkHandler("/inbox/unassigned")}>
          ← Back to the inbox
        </a>
      </nav>
      <main className="settings-main" aria-labelledby={current || inbox ? "settings-section-title" : "settings-title"}>
        {section === null ? (
          <Overview isAdmin={isAdmin} />
        ) : !current ? (
          <NotFound />
        ) : current.admin && !isAdmin ? (
          <AdminOnly title={current.title} />
        ) : inbox?.inboxId ? (
          <InboxSettings key={inbox.inboxId} inboxId={inbox.inboxId} />
        ) : (
          <Section id={current.id} />
        )}
      </main>
    </div>
  );
}

function Section({ id }: { id: SectionId }) {
  switch (id) {
    case "inboxes":
      return <InboxesSettings />;
    case "routing":
      return <RoutingSettings />;
    case "members":
      return <MembersSettings />;
    case "quick-replies":
      return <QuickRepliesSettings />;
    case "tags":
      return <TagsSettings />;
    case "api-keys":
      return <ApiKeysSettings />;
  }
}

function Overview({ isAdmin }: { isAdmin: boolean }) {
  return (
    <>
      <h1 id="settings-title">Settings</h1>
      <ul className="settings-sections">
        {SETTINGS_SECTIONS.filter((section) => isAdmin || !section.admin).map((section) => (
          <li key={section.id}>
            <a href={`/settings/${section.id}`} onClick={linkHandler(`/settings/${section.id}`)}>
              <strong>{section.title}</strong>
              <span className="muted">{section.description}</span>
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

function AdminOnly({ title }: { title: string }) {
  return (
    <>
      <h1 id="settings-section-title">{title}</h1>
      <p className="muted">Only owners and admins can see and change these settings.</p>
    </>
  );
}

function NotFound() {
  return (
    <>
      <h1 id="settings-section-title">Not found</h1>
      <p className="muted">
        There is no such settings page. <a href="/settings" onClick={linkHandler("/settings")}>See all settings</a>.
      </p>
    </>
  );
}
