import { useRef, useState } from 'react';
import type { CallOutput, Problem } from '../../../main/api/contract.ts';
import { APPEND_ONLY_RETENTION } from '../../../main/api/vocabulary.ts';
import { ApiFailure } from '../api/client.ts';
import { type CredentialRow, CredentialsEditor, fromRows, toRows } from '../components/CredentialsEditor.tsx';
import { ConfirmButton, ErrorBanner, Field, problemsAt } from '../components/common.tsx';
import { useClient } from '../context.ts';
import { useCall } from '../use-call.ts';

type Repository = CallOutput<'repositories.list'>[number];

const EMPTY_FORM = { id: '', name: '', url: '', password: '', initialise: false, appendOnly: false };

/** The append-only flag with its one-line explanation, for the add and edit forms. */
function AppendOnlyFlag({ checked, onChange }: { checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="inline">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> Append-only server: never forget or prune here (
      {APPEND_ONLY_RETENTION}; for rest-server or rclone with --append-only)
    </label>
  );
}

/** Why a repository cannot be removed yet (a plan backs up there, or copies there), or undefined. */
function inUse(repository: Repository): string | undefined {
  const plans = [...repository.usedBy, ...(repository.copiedBy ?? [])];
  if (plans.length === 0) return undefined;
  const one = plans.length === 1;
  return `"${repository.name}" cannot be removed while ${one ? 'the plan' : 'the plans'} ${plans.join(', ')} ${one ? 'uses' : 'use'} it: move ${one ? 'that plan' : 'those plans'} to another repository, or delete ${one ? 'it' : 'them'}, first. Its backups stay where they are.`;
}

export function Repositories() {
  const client = useClient();
  const repositories = useCall('repositories.list', {});
  const list = repositories.data ?? [];
  const load = repositories.retry;
  const [form, setForm] = useState(EMPTY_FORM);
  const [credentials, setCredentials] = useState<CredentialRow[]>([]);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [output, setOutput] = useState<string>();
  const [editing, setEditing] = useState<string>();

  const create = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setOutput(undefined);
    setBusy(true);
    try {
      await client.call('repositories.create', { ...form, env: fromRows(credentials) });
      setForm(EMPTY_FORM);
      setCredentials([]);
      setProblems([]);
      setOutput(`Repository "${form.name}" added.`);
      load();
    } catch (failure) {
      setError((failure as Error).message);
      if (failure instanceof ApiFailure) setProblems(failure.problems);
    } finally {
      setBusy(false);
    }
  };
  const run = async (action: () => Promise<unknown>, done?: string) => {
    setError(undefined);
    setOutput(undefined);
    try {
      const result = (await action()) as { output?: string };
      setOutput(result.output ?? done ?? 'Done.');
      load();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <section aria-labelledby="repos-title">
      <h1 id="repos-title">Repositories</h1>
      <ErrorBanner error={error} />
      {error ? null : <ErrorBanner error={repositories.error?.message} retry={load} />}
      {output ? (
        <pre className="log" role="status">
          {output}
        </pre>
      ) : null}
      <ul className="list repositories">
        {list.map((repository) => (
          <li key={repository.id} className="card repository" aria-label={`Repository ${repository.name}`}>
            <strong>{repository.name}</strong> <span className="mono">{repository.url}</span>{' '}
            <span className="hint">
              password from {repository.passwordSource}
              {Object.keys(repository.env).length ? ` · credentials ${Object.keys(repository.env).join(', ')}` : ''}
              {' · '}
              {repository.usedBy.length ? `used by ${repository.usedBy.join(', ')}` : 'no plan uses it'}
              {repository.copiedBy?.length ? ` · second copy of ${repository.copiedBy.join(', ')}` : ''}
              {repository.appendOnly ? ` · append-only: ${APPEND_ONLY_RETENTION}` : ''}
            </span>
            <div className="actions">
              <button type="button" onClick={() => run(() => client.call('repositories.check', { id: repository.id }))}>
                Check
              </button>
              <button type="button" onClick={() => run(() => client.call('repositories.unlock', { id: repository.id }), 'Stale locks removed.')}>
                Remove stale locks
              </button>
              <button type="button" aria-expanded={editing === repository.id} onClick={() => setEditing(editing === repository.id ? undefined : repository.id)}>
                Edit
              </button>
              {inUse(repository) ? (
                // Used by a plan: nothing to confirm yet, so Remove says what comes first.
                <button
                  type="button"
                  className="danger"
                  onClick={() => {
                    setOutput(undefined);
                    setError(inUse(repository));
                  }}
                >
                  Remove
                </button>
              ) : (
                <ConfirmButton
                  label="Remove"
                  question={`Remove "${repository.name}" from Lifeboat? Its backups stay where they are.`}
                  confirmLabel="Remove it"
                  onConfirm={() => run(() => client.call('repositories.remove', { id: repository.id }), `Repository "${repository.name}" removed.`)}
                />
              )}
            </div>
            {editing === repository.id ? (
              <EditRepository
                repository={repository}
                onDone={async (text) => {
                  setEditing(undefined);
                  setOutput(text);
                  load();
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
      <h2>Add a repository</h2>
      <form className="card form" onSubmit={create} aria-label="Add a repository">
        <div className="grid">
          <Field label="Id" problems={problemsAt(problems, 'id')}>
            {(id) => <input id={id} value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} required placeholder="nas" />}
          </Field>
          <Field label="Name" problems={problemsAt(problems, 'name')}>
            {(id) => <input id={id} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required placeholder="NAS" />}
          </Field>
        </div>
        <Field
          label="Path or restic URL"
          problems={problemsAt(problems, 'url')}
          hint="/mnt/nas/restic, sftp:me@host:/srv/restic, s3:s3.amazonaws.com/bucket, b2:bucket:path"
        >
          {(id) => <input id={id} value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} required />}
        </Field>
        <Field
          label="Password"
          problems={problemsAt(problems, 'password')}
          hint="For a repository that exists, the password it was made with: it is checked before anything is saved."
        >
          {(id) => (
            <input id={id} type="password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required autoComplete="off" />
          )}
        </Field>
        <CredentialsEditor rows={credentials} onChange={setCredentials} />
        <AppendOnlyFlag checked={form.appendOnly} onChange={(appendOnly) => setForm({ ...form, appendOnly })} />
        <label className="inline">
          <input type="checkbox" checked={form.initialise} onChange={(e) => setForm({ ...form, initialise: e.target.checked })} /> Initialise a new, empty
          repository there if there is none
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Add repository'}
        </button>
      </form>
    </section>
  );
}

function EditRepository({ repository, onDone }: { repository: Repository; onDone: (message: string) => Promise<void> }) {
  const client = useClient();
  const counter = useRef(0);
  const [name, setName] = useState(repository.name);
  const [url, setUrl] = useState(repository.url);
  const [password, setPassword] = useState('');
  const [appendOnly, setAppendOnly] = useState(repository.appendOnly === true);
  const [rows, setRows] = useState<CredentialRow[]>(() =>
    toRows(repository.env, () => {
      counter.current += 1;
      return counter.current;
    }),
  );
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await client.call('repositories.update', {
        id: repository.id,
        name,
        ...(url !== repository.url ? { url } : {}),
        env: fromRows(rows),
        appendOnly,
        ...(password ? { password } : {}),
      });
      await onDone(`Repository "${name}" saved.`);
    } catch (failure) {
      setError((failure as Error).message);
      if (failure instanceof ApiFailure) setProblems(failure.problems);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form edit-repository" onSubmit={save} aria-label={`Edit ${repository.name}`}>
      <ErrorBanner error={error} />
      <Field label="Name" problems={problemsAt(problems, 'name')}>
        {(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}
      </Field>
      <Field label="Path or restic URL" problems={problemsAt(problems, 'url')}>
        {(id) => <input id={id} className="mono" value={url} onChange={(e) => setUrl(e.target.value)} required />}
      </Field>
      <Field label="New password (empty: keep it)" problems={problemsAt(problems, 'password')} hint="Checked against the repository before it is saved.">
        {(id) => <input id={id} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" />}
      </Field>
      <CredentialsEditor rows={rows} onChange={setRows} />
      <AppendOnlyFlag checked={appendOnly} onChange={setAppendOnly} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Save repository
        </button>
      </div>
    </form>
  );
}
