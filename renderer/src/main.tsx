import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createClient, signedIn } from './api/client.ts';
import { prepareFormats } from './format.ts';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
const client = createClient(); // first: a sign-in token leaves the address for the tab's storage
const dashboard = window.location.hash === '' || window.location.hash === '#/' || window.location.hash.startsWith('#/?');
// The first screen's data, asked for at once, while the session is checked (no chain of requests
// before the first paint): the dashboard's plans too unless another view is open. Not signed in,
// these are refused and never used.
const asked = [client.prefetch('app.status', {}), dashboard ? client.prefetch('plans.list', {}) : undefined];
prepareFormats(); // while those are answered
const signed = await signedIn();
// The first screen is drawn with its answers (no round of drawing "Loading…" between them).
await Promise.allSettled(asked);
root.render(
  signed ? (
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
