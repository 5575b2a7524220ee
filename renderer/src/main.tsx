// The page's first module, small on purpose: it runs as soon as it arrives, while React's code
// (which index.html preloads, see vite.config.ts) is still loading. It starts what the first screen
// waits for, so that happens meanwhile: the first screen's answers, and the locale's data (in a worker).
import './locale-warmup.ts';
import { client, firstAnswers, signed } from './first-answers.ts';
import './styles.css';

// The first screen is drawn with its answers (no round of drawing "Loading…" between them). Not a
// top-level await: the app's chunk imports the client from this one, which must finish evaluating first.
void Promise.all([import('./start-app.tsx'), signed, firstAnswers]).then(([{ startApp }, signedIn]) => startApp(client, signedIn));
