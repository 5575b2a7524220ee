import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import type { Client } from './api/client.ts';

/** Draws the app in place of the page's "Loading…", or how to sign in for a browser that is not signed in. */
export function startApp(client: Client, signedIn: boolean): void {
  createRoot(document.getElementById('root')!).render(
    signedIn ? (
      <App client={client} />
    ) : (
      <main className="page">
        <h1>Lifeboat</h1>
        <p>
          This browser is not signed in. Run <code>lifeboat open</code>: it opens a one-time sign-in link here.
        </p>
      </main>
    ),
  );
}
