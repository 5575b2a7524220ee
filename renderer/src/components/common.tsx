import { type ReactNode, useId } from 'react';
import type { Problem } from '../../../main/api/contract.ts';

const MARKS: Record<string, string> = { success: '✔', warning: '⚠', failure: '✘', skipped: '»', cancelled: '■', running: '…' };

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${status}`}>
      <span aria-hidden="true">{MARKS[status] ?? '•'}</span> {status}
    </span>
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
      {problems?.map((problem) => (
        <p key={problem.path + problem.message} className="problem" role="alert">
          {problem.message}
        </p>
      ))}
    </div>
  );
}

export function problemsAt(problems: Problem[], path: string): Problem[] {
  return problems.filter((problem) => problem.path === path || problem.path.startsWith(`${path}.`) || problem.path.startsWith(`${path}[`));
}

export function ErrorBanner({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert">
      {error}
    </div>
  );
}
