import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { Problem } from '../../../main/api/contract.ts';
import { type JsonPath, problemsAt as problemsAtPath } from '../problem-path.ts';
import { FieldProblems } from './FieldProblem.tsx';

const MARKS: Record<string, string> = { success: '✔', warning: '⚠', failure: '✘', skipped: '»', cancelled: '■', running: '…', bypassed: '↷' };

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return (
    <span className={`badge badge-${status}`}>
      <span aria-hidden="true">{MARKS[status] ?? '•'}</span> {label ?? status}
    </span>
  );
}

/**
 * A button that asks once more, in the page (no browser dialog), before it does something that cannot be undone.
 * The question opens on its safe choice, Escape answers it, and focus goes back to the button that asked.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void | Promise<void>;
}) {
  const [asking, setAsking] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  // Only a question that was open gives focus back: the first draw takes nothing from anyone.
  const answered = useRef(false);
  useEffect(() => {
    if (asking) keep.current?.focus();
    else if (answered.current) {
      answered.current = false;
      opener.current?.focus();
    }
  }, [asking]);
  const close = () => {
    answered.current = true;
    setAsking(false);
  };
  if (!asking) {
    return (
      <button ref={opener} type="button" className="danger" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <fieldset
      className="confirm"
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        close();
      }}
    >
      <legend>{question}</legend>
      <button
        type="button"
        className="danger"
        onClick={() => {
          close();
          void onConfirm();
        }}
      >
        {confirmLabel}
      </button>{' '}
      <button ref={keep} type="button" onClick={close}>
        Keep it
      </button>
    </fieldset>
  );
}

/** A labelled field with the problems that name its path shown right under it. */
export function Field({
  label,
  problems,
  children,
  hint,
}: {
  label: string;
  problems?: Problem[] | undefined;
  children: (id: string) => ReactNode;
  hint?: string;
}) {
  const id = useId();
  return (
    <div className={`field${problems?.length ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint ? <p className="hint">{hint}</p> : null}
      <FieldProblems problems={problems ?? []} />
    </div>
  );
}

/** The problems at a field or inside it; `path` is typed (`pathOf('retention', 'keepLast')`) or the wire's string. */
export function problemsAt(problems: Problem[], path: JsonPath | string): Problem[] {
  return problemsAtPath(problems, path);
}

export function ErrorBanner({ error, retry }: { error: string | undefined; retry?: (() => void) | undefined }) {
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert">
      {error}
      {retry ? <RetryButton retry={retry} /> : null}
    </div>
  );
}

/** A view whose data could not be loaded: the sentence that says why, and a way to ask again. */
export function LoadFailed({ error, retry }: { error: Error; retry: () => void }) {
  return (
    <p role="alert">
      {error.message}
      <RetryButton retry={retry} />
    </p>
  );
}

function RetryButton({ retry }: { retry: () => void }) {
  return (
    <>
      {' '}
      <button type="button" onClick={retry}>
        Retry
      </button>
    </>
  );
}
