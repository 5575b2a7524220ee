import { createContext, startTransition, useContext, useEffect, useState } from 'react';
import type { Client } from './api/client.ts';
import { parseRoute, type Route } from './route-links.ts';

export { href, parseRoute, type Route } from './route-links.ts';

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
