import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createClient } from './api/client.ts';
import './styles.css';

const client = createClient();
const root = createRoot(document.getElementById('root')!);
root.render(
  client ? (
    <App client={client} />
  ) : (
    <main className="page">
      <h1>Lifeboat</h1>
      <p>
        Open the address that <code>lifeboat serve</code> printed: it carries the access token.
      </p>
    </main>
  ),
);
