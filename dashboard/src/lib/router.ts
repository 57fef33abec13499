import { useSyncExternalStore, type MouseEvent } from "react";

const listeners = new Set<() => void>();
window.addEventListener("popstate", () => listeners.forEach((listener) => listener()));

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const snapshot = () => location.pathname + location.search;

/** The current path and query, re-rendering on every navigation. */
export function useLocation(): { pathname: string; search: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, location.origin);
  return { pathname: url.pathname, search: url.searchParams, href };
}

/** Goes to a client route without a page load. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) {
    return;
  }
  if (options.replace) {
    history.replaceState(null, "", to);
  } else {
    history.pushState(null, "", to);
  }
  listeners.forEach((listener) => listener());
}

/** An onClick for <a href> that navigates in-app unless the user asked for a new tab. */
export function linkHandler(to: string) {
  return (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
}

/** Matches "/inbox/:view/:id?"-style patterns; returns the named parts or null. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const names: string[] = [];
  const source = pattern.replace(/\/:(\w+)(\?)?/g, (_all, name: string, optional?: string) => {
    names.push(name);
    return optional ? "(?:/([^/]+))?" : "/([^/]+)";
  }).replace(/\/\*$/, "(?:/.*)?");
  const match = new RegExp(`^${source}/?$`).exec(pathname);
  if (!match) {
    return null;
  }
  const params: Record<string, string> = {};
  names.forEach((name, index) => {
    const value = match[index + 1];
    if (value !== undefined) {
      params[name] = decodeURIComponent(value);
    }
  });
  return params;
}
