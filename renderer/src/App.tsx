import { lazy, type ReactElement, Suspense } from 'react';
import { ApiFailure, type Client } from './api/client.ts';
import { LoadFailed } from './components/common.tsx';
import { ClientContext, useRoute } from './context.ts';
import { useCall } from './use-call.ts';
import { Dashboard } from './views/Dashboard.tsx';
import { PlanChartsRoute } from './views/PlanChartsRoute.tsx';

// The dashboard is in the first bundle; every other view (the plan editor brings CodeMirror) loads when
// first opened, so the first paint waits only for what it shows.
const History = lazy(() => import('./views/History.tsx').then((module) => ({ default: module.History })));
const Onboarding = lazy(() => import('./views/Onboarding.tsx').then((module) => ({ default: module.Onboarding })));
const PlanEditor = lazy(() => import('./views/PlanEditor.tsx').then((module) => ({ default: module.PlanEditor })));
const Repositories = lazy(() => import('./views/Repositories.tsx').then((module) => ({ default: module.Repositories })));
const RunDetail = lazy(() => import('./views/RunDetail.tsx').then((module) => ({ default: module.RunDetail })));
const Settings = lazy(() => import('./views/Settings.tsx').then((module) => ({ default: module.Settings })));
const Snapshots = lazy(() => import('./views/Snapshots.tsx').then((module) => ({ default: module.Snapshots })));
const SnapshotDiff = lazy(() => import('./views/SnapshotDiff.tsx').then((module) => ({ default: module.SnapshotDiff })));

const NAV = [
  ['/', 'Dashboard'],
  ['/history', 'History'],
  ['/snapshots', 'Snapshots'],
  ['/repositories', 'Repositories'],
  ['/settings', 'Settings'],
] as const;

const STATUS_EVENTS = ['status.changed'] as const;

export function App({ client }: { client: Client }) {
  return (
    <ClientContext.Provider value={client}>
      <Shell />
    </ClientContext.Provider>
  );
}

function Shell() {
  const route = useRoute();
  const { data: status, error, retry: refresh } = useCall('app.status', {}, STATUS_EVENTS);
  const broken = error instanceof ApiFailure ? error : undefined;

  if (broken) {
    return (
      <main className="page">
        <h1>Lifeboat cannot use its config</h1>
        <div className="banner banner-error" role="alert">
          {broken.message}
        </div>
        <ul>
          {broken.problems.map((problem) => (
            <li key={problem.path + problem.message} className="mono">
              {problem.path ? `${problem.path}: ` : ''}
              {problem.message}
            </li>
          ))}
        </ul>
        <p>The file is kept exactly as it is. Nothing is backed up until it is fixed.</p>
      </main>
    );
  }
  if (!status) return <main className="page">{error ? <LoadFailed error={error} retry={refresh} /> : 'Loading…'}</main>;
  let view: ReactElement;
  const [first, second, third] = route.segments;
  const plan = route.query.get('plan') ?? undefined;
  if (status.needsOnboarding && first !== 'onboarding' && first !== 'plans' && first !== 'settings' && first !== 'repositories')
    view = <Onboarding onDone={refresh} desktop={status.desktop} firstTime />;
  else if (first === 'onboarding') view = <Onboarding onDone={refresh} desktop={status.desktop} firstTime={status.needsOnboarding} />;
  else if (first === 'plans' && second && third === 'charts') view = <PlanChartsRoute key={second} planId={second} />;
  else if (first === 'plans' && second) view = <PlanEditor key={second} planId={second} />;
  else if (first === 'history' && second) view = <RunDetail key={second} runId={second} />;
  else if (first === 'history') view = <History key={plan ?? ''} plan={plan} />;
  else if (first === 'snapshots') view = <Snapshots key={plan ?? ''} initialPlan={plan} />;
  else if (first === 'compare' && plan)
    view = <SnapshotDiff key={plan} plan={plan} from={route.query.get('from') ?? undefined} to={route.query.get('to') ?? undefined} />;
  else if (first === 'repositories') view = <Repositories />;
  else if (first === 'settings') view = <Settings status={status} onChange={refresh} />;
  else view = <Dashboard status={status} />;

  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="#/">
          <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" className="logo">
            <path d="M12 2v12M12 3l7 9h-7" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
            <path d="M3 15h18l-3 5H6z" fill="currentColor" />
          </svg>{' '}
          Lifeboat
        </a>
        <nav aria-label="Main">
          {NAV.map(([path, label]) => (
            <a key={path} href={`#${path}`} aria-current={(path === '/' ? route.path === '/' : route.path.startsWith(path)) ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
      </header>
      <main className="page">
        <Suspense fallback="Loading…">{view}</Suspense>
      </main>
    </div>
  );
}
