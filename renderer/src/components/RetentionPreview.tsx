import { type ReactElement, useCallback, useEffect, useRef, useState } from 'react';
import type { CallInput, RetentionPreviewView } from '../../../main/api/contract.ts';
import { ApiFailure } from '../api/client.ts';
import { useClient } from '../context.ts';
import { formatTime, plural } from '../format.ts';
import { useCall } from '../use-call.ts';
import './retention-preview.css';

/** The policy as the editor holds it: absent is no policy. */
type Draft = CallInput<'retention.preview'>['retention'];

/** Asked once typing pauses: a number typed digit by digit is one question, not three. */
const ASK_AFTER_MS = 300;

/** 2025-12-01, in the person's own time zone. */
function localDay(iso: string): string {
  const at = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
}

/** "keeps 23 snapshots, removes 14 (oldest kept: 2025-12-01)" */
export function previewLine(preview: RetentionPreviewView): string {
  if (preview.snapshots === 0) return preview.sentence;
  if (!preview.policy) return `No retention policy: keeps all ${plural(preview.snapshots, 'snapshot')}.`;
  const oldest = preview.oldestKept ? ` (oldest kept: ${localDay(preview.oldestKept)})` : '';
  return `Keeps ${plural(preview.keeps, 'snapshot')}, removes ${preview.removes}${oldest}.`;
}

/** More than half of the plan's snapshots would go: worth asking once more before saving. */
export const removesMostSnapshots = (preview: RetentionPreviewView): boolean => preview.removes * 2 > preview.snapshots;

/**
 * What the retention fields would do, live under them, computed before anything is saved:
 * restic's own `forget --dry-run` with the draft. Only the newest answer is shown.
 */
export function RetentionPreview({ planId, retention }: { planId: string; retention: Draft }) {
  const question = JSON.stringify(retention ?? null);
  const [asked, setAsked] = useState<CallInput<'retention.preview'> | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setAsked({ plan: planId, retention: JSON.parse(question) }), ASK_AFTER_MS);
    return () => clearTimeout(timer);
  }, [planId, question]);
  const { data, error, loading } = useCall('retention.preview', asked);
  const current = asked !== null && JSON.stringify(asked.retention) === question;
  // The last answer stays (dimmed) while the next is worked out: the line changes, it never blinks away.
  const [last, setLast] = useState<RetentionPreviewView>();
  useEffect(() => {
    if (data) setLast(data);
  }, [data]);
  const shown = data ?? (error ? undefined : last);

  let body: ReactElement | string;
  if (error instanceof ApiFailure && error.problems.length) body = 'Fix the retention fields marked above to see what this policy would remove.';
  else if (error) body = <span className="problem">{error.message}</span>;
  else if (shown) {
    const many = removesMostSnapshots(shown) && shown.removes > 0;
    body = (
      <>
        <strong className={many ? 'retention-many' : undefined}>{previewLine(shown)}</strong>
        {shown.remove.length ? (
          <details>
            <summary>Which snapshots it removes</summary>
            <ol className="retention-removed">
              {shown.remove.map((snapshot) => (
                <li key={snapshot.id} className="mono">
                  {snapshot.shortId} · {formatTime(snapshot.time)}
                </li>
              ))}
              {shown.removes > shown.remove.length ? <li>…and {shown.removes - shown.remove.length} more</li> : null}
            </ol>
          </details>
        ) : null}
      </>
    );
  } else body = 'Working out what this policy keeps…';
  return (
    <div className="retention-preview" aria-live="polite" aria-busy={loading || !current} data-testid="retention-preview">
      {body}
    </div>
  );
}

/** The same keys and values, whatever their order: a policy typed back to what is saved asks nothing. */
function samePolicy(a: Draft, b: Draft): boolean {
  const canonical = (policy: Draft) =>
    policy && typeof policy === 'object' ? JSON.stringify(Object.entries(policy).sort(([x], [y]) => x.localeCompare(y))) : JSON.stringify(policy ?? null);
  return canonical(a) === canonical(b);
}

interface Pending {
  preview: RetentionPreviewView;
  answer: (go: boolean) => void;
}

/**
 * Saving a policy that would remove more than half of the plan's snapshots asks once more, in
 * the page. `ask` resolves true to save, false to keep the draft unsaved; `panel` shows the question.
 */
export function useRetentionConfirm(planId: string): { ask: (retention: Draft, saved: Draft) => Promise<boolean>; panel: ReactElement | null } {
  const client = useClient();
  const [pending, setPending] = useState<Pending>();
  const pendingRef = useRef<Pending>(undefined);
  pendingRef.current = pending;
  // Leaving the page with the question open is a no.
  useEffect(() => () => pendingRef.current?.answer(false), []);

  const ask = useCallback(
    async (retention: Draft, saved: Draft): Promise<boolean> => {
      if (samePolicy(retention, saved)) return true;
      let preview: RetentionPreviewView;
      try {
        preview = await client.call('retention.preview', { plan: planId, retention: retention ?? null });
      } catch {
        return true; // the repository cannot be read now: the save goes on, its own checks still apply
      }
      if (!preview.policy || !removesMostSnapshots(preview) || preview.removes === 0) return true;
      return new Promise<boolean>((resolve) => {
        setPending({
          preview,
          answer: (go) => {
            setPending(undefined);
            resolve(go);
          },
        });
      });
    },
    [client, planId],
  );

  const panel = pending ? <ConfirmPanel preview={pending.preview} answer={pending.answer} /> : null;
  return { ask, panel };
}

/** The question, with the safe answer focused (and scrolled into view) as it appears. */
function ConfirmPanel({ preview, answer }: { preview: RetentionPreviewView; answer: (go: boolean) => void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancel.current?.focus();
    cancel.current?.scrollIntoView({ block: 'center' });
  }, []);
  return (
    <div className="banner banner-paused retention-confirm" role="alertdialog" aria-labelledby="retention-confirm-text">
      <p id="retention-confirm-text">
        This policy removes {preview.removes} of {plural(preview.snapshots, 'snapshot')} at the next backup (more than half) and keeps {preview.keeps}. Save it
        anyway?
      </p>
      <div className="actions">
        <button type="button" ref={cancel} onClick={() => answer(false)}>
          Cancel, keep editing
        </button>
        <button type="button" className="danger" onClick={() => answer(true)}>
          Save and remove {preview.removes}
        </button>
      </div>
    </div>
  );
}
