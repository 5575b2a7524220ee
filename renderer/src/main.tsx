import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createClient, signedIn } from './api/client.ts';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
root.render(
  (await signedIn()) ? (
    <App client={createClient()} />
  ) : (
    <main className="page">
      <h1>Lifeboat</h1>
      <p>
        This browser is not signed in. Run <code>lifeboat open</code>: it opens a one-time sign-in link here.
      </p>
    </main>
  ),
);
