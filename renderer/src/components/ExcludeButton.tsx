import { useState } from 'react';
import type { CallOutput } from '../../../main/api/contract.ts';
import { href, useClient } from '../context.ts';
import { formatBytes, plural } from '../format.ts';

type Preview = CallOutput<'plans.excludePreview'>;
type Step =
  | { kind: 'idle' }
  | { kind: 'counting' }
  | { kind: 'asking'; preview: Preview }
  | { kind: 'saving'; preview: Preview }
  | { kind: 'saved'; pattern: string; added: boolean }
  | { kind: 'failed'; message: string };

/** "Exclude…" on a folder: first what the next backup would skip, then, once confirmed, the exclude added to the plan. */
export function ExcludeButton({ plan, path }: { plan: string; path: string }) {
  const client = useClient();
  const [step, setStep] = useState<Step>({ kind: 'idle' });

  const count = async () => {
    setStep({ kind: 'counting' });
    try {
      setStep({ kind: 'asking', preview: await client.call('plans.excludePreview', { plan, path }) });
    } catch (failure) {
      setStep({ kind: 'failed', message: (failure as Error).message });
    }
  };
  const save = async (preview: Preview) => {
    setStep({ kind: 'saving', preview });
    try {
      const saved = await client.call('plans.addExclude', { plan, path, revision: preview.revision });
      setStep({ kind: 'saved', pattern: saved.pattern, added: saved.added });
    } catch (failure) {
      setStep({ kind: 'failed', message: (failure as Error).message });
    }
  };

  switch (step.kind) {
    case 'idle':
      return (
        <button type="button" className="small" onClick={count} aria-label={`Exclude ${path}…`}>
          Exclude…
        </button>
      );
    case 'counting':
      return <span className="hint">Counting what the next backup would skip…</span>;
    case 'asking':
    case 'saving': {
      const { preview } = step;
      if (preview.alreadyExcluded) return <span role="status">Plan {plan} leaves this out already.</span>;
      const skip = preview.snapshot
        ? `The next backup would skip ${plural(preview.files, 'file')}, ${formatBytes(preview.bytes)}.`
        : 'There is no snapshot yet to count in; the next backup would skip whatever is there.';
      return (
        <fieldset className="confirm exclude-confirm">
          <legend>
            Leave <span className="mono">{preview.path}</span> out of plan {plan}? {skip}
          </legend>
          <button type="button" className="primary" disabled={step.kind === 'saving'} onClick={() => save(preview)}>
            Exclude it
          </button>{' '}
          <button type="button" disabled={step.kind === 'saving'} onClick={() => setStep({ kind: 'idle' })}>
            Keep backing it up
          </button>
        </fieldset>
      );
    }
    case 'saved':
      return (
        <span role="status" className="exclude-saved">
          {step.added ? 'Saved: ' : 'Already in the plan: '}
          the exclude <code>{step.pattern}</code> is in plan {plan}. <a href={href(`/plans/${encodeURIComponent(plan)}`)}>Open the plan</a>
        </span>
      );
    case 'failed':
      return (
        <span role="alert" className="problem">
          {step.message}{' '}
          <button type="button" className="link" onClick={() => setStep({ kind: 'idle' })}>
            Close
          </button>
        </span>
      );
    default:
      return step satisfies never;
  }
}
