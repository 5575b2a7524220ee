import type { CallOutput } from '../../../../main/api/contract.ts';

export type HookVerdict = CallOutput<'hooks.test'>['verdict'];

export interface HookTestState {
  lines: string[];
  /** The engine's verdict; a call that failed shows its error as a failed verdict. */
  verdict?: HookVerdict | undefined;
  busy: boolean;
}

/** The colour of each verdict: what the run would do, good, held back or bad. */
const TONE: Record<HookVerdict['kind'], 'pass' | 'skip' | 'error'> = {
  pass: 'pass',
  skip: 'skip',
  defer: 'skip',
  warning: 'skip',
  fail: 'error',
  cancelled: 'error',
};

const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

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
          {state.verdict ? <p className={`verdict verdict-${TONE[state.verdict.kind]}`}>{sentence(state.verdict.text)}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
