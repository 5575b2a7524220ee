import { Component, lazy, type ReactNode, Suspense } from 'react';

// uPlot comes with the charts page, never with the dashboard's first render.
const PlanCharts = lazy(() => import('./PlanCharts.tsx'));

/** A chunk that cannot be fetched (the app was updated meanwhile, the server stopped) is a sentence, not a blank page. */
class LoadGuard extends Component<{ children: ReactNode }, { failure: Error | undefined }> {
  override state: { failure: Error | undefined } = { failure: undefined };

  static getDerivedStateFromError(failure: Error) {
    return { failure };
  }

  override render() {
    if (!this.state.failure) return this.props.children;
    return (
      <p role="alert">
        The charts could not be loaded ({this.state.failure.message}).{' '}
        <button type="button" onClick={() => location.reload()}>
          Reload
        </button>
      </p>
    );
  }
}

/** The plan charts page, loaded on first visit. */
export function PlanChartsRoute({ planId }: { planId: string }) {
  return (
    <LoadGuard>
      <Suspense fallback={<p>Loading…</p>}>
        <PlanCharts planId={planId} />
      </Suspense>
    </LoadGuard>
  );
}
