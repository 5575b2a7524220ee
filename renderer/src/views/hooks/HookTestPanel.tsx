export interface HookTestState {
  lines: string[];
  verdict?: { kind: string; text: string } | undefined;
  busy: boolean;
}

/** A hook's Test run button and its output; the state belongs to the hook (by uid), not to a position. */
export function HookTestPanel({ hookId, state, onRun }: { hookId: string; state: HookTestState | undefined; onRun: () => void }) {
  return (
    <div className="test-run">
      <button type="button" onClick={onRun} disabled={state?.busy} aria-label={`Test run ${hookId}`}>
        {state?.busy ? 'Running…' : 'Test run'}
      </button>
      {state && (state.lines.length > 0 || state.verdict) ? (
        <div className="test-output" aria-live="polite">
          <pre role="log" aria-label="Test output">
            {state.lines.join('\n')}
          </pre>
          {state.verdict ? <p className={`verdict verdict-${state.verdict.kind}`}>{state.verdict.text}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
