import { useEffect, useState } from "react";
import { matchPath, navigate, useLocation } from "../lib/router.js";
import { SettingsPage } from "../settings/index.js";
import { ConnectionBanner } from "./connection-banner.js";
import { InboxScreen } from "./inbox-screen.js";
import { Sidebar } from "./sidebar.js";
import { useWorkspace, WorkspaceProvider } from "./store.js";
import { useNotifications } from "./notifications.js";
import { filtersFromSearch, isSidebarView } from "./views.js";

/** The signed-in app: sidebar, the inbox or settings, the connection banner, notifications. */
export function Workspace() {
  return (
    <WorkspaceProvider>
      <Shell />
    </WorkspaceProvider>
  );
}

function Shell() {
  const { pathname, search } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const route = matchPath("/inbox/:view/:conversationId?", pathname);
  const settings = matchPath("/settings/*", pathname);
  const view = route && isSidebarView(route.view) ? route.view : null;
  const conversationId = route?.conversationId ?? null;
  useNotifications(conversationId);
  useTitle();

  useEffect(() => {
    if (!view && !settings) {
      navigate("/inbox/unassigned", { replace: true });
    }
  }, [view, settings]);

  useEffect(() => setMenuOpen(false), [pathname]);

  return (
    <div className={`shell ${menuOpen ? "menu-open" : ""}`}>
      <ConnectionBanner />
      <Sidebar view={view} filters={filtersFromSearch(search)} onToggle={() => setMenuOpen((open) => !open)} />
      <div className="shell-main">
        <button type="button" className="btn btn-ghost menu-button" aria-label="Open the menu" aria-expanded={menuOpen} onClick={() => setMenuOpen((open) => !open)}>
          ☰
        </button>
        {settings ? <SettingsPage /> : view ? <InboxScreen view={view} conversationId={conversationId} filters={filtersFromSearch(search)} /> : null}
      </div>
    </div>
  );
}

/** "(3) Parley": conversations waiting with unread messages in Unassigned or Mine. */
function useTitle() {
  const { unreadIds } = useWorkspace();
  useEffect(() => {
    document.title = unreadIds.size > 0 ? `(${unreadIds.size}) Parley` : "Parley";
  }, [unreadIds]);
}
