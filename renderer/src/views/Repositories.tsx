import { useCallback, useEffect, useState } from 'react';
import type { CallOutput, Problem } from '../../../main/api/contract.ts';
import { ApiFailure } from '../api/client.ts';
import { ErrorBanner, Field, problemsAt } from '../components/common.tsx';
import { useClient } from '../context.ts';

export function Repositories() {
  const client = useClient();
  const [list, setList] = useState<CallOutput<'repositories.list'>>([]);
  const [form, setForm] = useState({ id: '', name: '', url: '', password: '', initialise: true });
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string>();
  const [output, setOutput] = useState<string>();
  const load = useCallback(() => client.call('repositories.list', {}).then(setList), [client]);
  useEffect(() => {
    void load();
  }, [load]);

  const create = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await client.call('repositories.create', form);
      setForm({ id: '', name: '', url: '', password: '', initialise: true });
      setProblems([]);
      await load();
    } catch (failure) {
      setError((failure as Error).message);
      if (failure instanceof ApiFailure) setProblems(failure.problems);
    }
  };
  const run = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      const result = (await action()) as { output?: string };
      setOutput(result.output ?? 'Done.');
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <section aria-labelledby="repos-title">
      <h1 id="repos-title">Repositories</h1>
      <ErrorBanner error={error} />
      <ul className="list">
        {list.map((repository) => (
          <li key={repository.id} className="card">
            <strong>{repository.name}</strong> <span className="mono">{repository.url}</span>{' '}
            <span className="hint">password from {repository.passwordSource}</span>
            <div className="actions">
              <button type="button" onClick={() => run(() => client.call('repositories.check', { id: repository.id }))}>
                Check
              </button>
              <button type="button" onClick={() => run(() => client.call('repositories.unlock', { id: repository.id }))}>
                Remove stale locks
              </button>
            </div>
          </li>
        ))}
      </ul>
      {output ? <pre className="log">{output}</pre> : null}
      <h2>Add a repository</h2>
      <form className="card form" onSubmit={create}>
        <div className="grid">
          <Field label="Id" problems={problemsAt(problems, 'id')}>
            {(id) => <input id={id} value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} required placeholder="nas" />}
          </Field>
          <Field label="Name" problems={problemsAt(problems, 'name')}>
            {(id) => <input id={id} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required placeholder="NAS" />}
          </Field>
        </div>
        <Field label="Path or restic URL" problems={problemsAt(problems, 'url')} hint="/mnt/nas/restic, sftp:me@host:/srv/restic, rest:https://…">
          {(id) => <input id={id} value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} required />}
        </Field>
        <Field label="Password" problems={problemsAt(problems, 'password')}>
          {(id) => (
            <input
              id={id}
              type="password"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
              required
              minLength={8}
              autoComplete="new-password"
            />
          )}
        </Field>
        <label className="inline">
          <input type="checkbox" checked={form.initialise} onChange={(e) => setForm({ ...form, initialise: e.target.checked })} /> Initialise it now (a new,
          empty repository)
        </label>
        <button type="submit" className="primary">
          Add repository
        </button>
      </form>
    </section>
  );
}
