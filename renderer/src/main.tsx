// The page's first module, small on purpose: it runs as soon as it arrives, while React's code
// (which index.html preloads, see vite.config.ts) is still loading. It starts what the first screen
// waits for, so that happens meanwhile: the first screen's answers, and the locale's data (in a worker).
import './locale-warmup.ts';
import { client, firstAnswers, signed } from './first-answers.ts';
import './styles.css';

const [{ startApp }, signedIn] = await Promise.all([import('./start-app.tsx'), signed]);
// The first screen is drawn with its answers (no round of drawing "Loading…" between them).
await firstAnswers;
startApp(client, signedIn);
