import { createContext, startTransition, useContext, useEffect, useState } from 'react';
import type { Client } from './api/client.ts';

export const ClientContext = createContext<Client | null>(null);

export function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error('no client');
  return client;
}

/** Every view is a hash route, so the browser's back and forward buttons walk through them. */
export function navigate(path: string): void {
  window.location.hash = `#${path}`;
}

/** A hash route taken apart: `#/history?plan=docs` → path `/history`, segments `['history']`, query `plan=docs`. */
export interface Route {
  path: string;
  segments: string[];
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, '') || '/';
  const mark = text.indexOf('?');
  const path = (mark === -1 ? text : text.slice(0, mark)) || '/';
  const query = new URLSearchParams(mark === -1 ? '' : text.slice(mark + 1));
  return { path, segments: path.split('/').filter(Boolean).map(decodeURIComponent), query };
}

export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    // A transition: a view whose code is still loading never hides (and keeps alive) the one shown now;
    // the current view stays until the next one can render, then goes as it always did.
    const update = () => startTransition(() => setHash(window.location.hash));
    window.addEventListener('hashchange', update);
    window.addEventListener('popstate', update);
    return () => {
      window.removeEventListener('hashchange', update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return parseRoute(hash);
}

/** `#/history?plan=docs` for links. */
export function href(path: string, query: Record<string, string | undefined> = {}): string {
  if (Object.values(query).every((value) => value === undefined)) return `#${path}`; // most links: no query to build
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  const text = params.toString();
  return `#${path}${text ? `?${text}` : ''}`;
}
