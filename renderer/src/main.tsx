import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createClient, signedIn } from './api/client.ts';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
const client = (await signedIn()) ? createClient() : undefined;
if (client) {
  // The first screen's data, asked for at once (the dashboard's plans too unless another view is open).
  client.prefetch('app.status', {});
  if (window.location.hash === '' || window.location.hash === '#/' || window.location.hash.startsWith('#/?')) client.prefetch('plans.list', {});
}
root.render(
  client ? (
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
