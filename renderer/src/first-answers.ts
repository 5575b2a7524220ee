import { createClient, signedIn } from './api/client.ts';

/**
 * The first screen's data, asked for by the page's first module (main.tsx), before React's code
 * has even arrived. Not signed in, these are refused and never used.
 */
export const client = createClient(); // first: a sign-in token leaves the address for the tab's storage

const dashboard = window.location.hash === '' || window.location.hash === '#/' || window.location.hash.startsWith('#/?');
const status = client.prefetch('app.status', {});

/** Settled when the first view's answers are: app.status, and the dashboard's plans unless another view is open. */
export const firstAnswers = Promise.allSettled([status, dashboard ? client.prefetch('plans.list', {}) : undefined]);

/** An answered app.status proves the session; only a refused one asks whether this browser is signed in. */
export const signed: Promise<boolean> = status.then(
  () => true,
  () => signedIn(),
);
