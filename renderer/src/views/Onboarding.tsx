import { useState } from 'react';
import type { Problem } from '../../../main/api/contract.ts';
import { ApiFailure } from '../api/client.ts';
import { ErrorBanner, Field, problemsAt } from '../components/common.tsx';
import { navigate, useClient } from '../context.ts';

const SCHEDULES = [
  ['0 * * * *', 'Every hour'],
  ['0 */4 * * *', 'Every 4 hours'],
  ['30 12 * * *', 'Every day at 12:30'],
  ['0 2 * * *', 'Every night at 02:00'],
] as const;

/** First run: a working, scheduled backup in a minute. */
export function Onboarding({ onDone, desktop = false }: { onDone: () => void; desktop?: boolean }) {
  const client = useClient();
  const [folder, setFolder] = useState('');
  const [where, setWhere] = useState<'here' | 'path'>('here');
  const [repositoryPath, setRepositoryPath] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [cron, setCron] = useState<string>(SCHEDULES[0][0]);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (password !== confirm) {
      setProblems([{ path: 'confirm', message: 'does not match the password' }]);
      return;
    }
    setBusy(true);
    setError(undefined);
    setProblems([]);
    try {
      const result = await client.call('onboarding.setup', { folder, password, cron, ...(where === 'path' ? { repositoryPath } : {}) });
      onDone();
      // Only if the person is still here: never pull them back from a view they moved on to.
      if (['', '#', '#/', '#/onboarding'].includes(window.location.hash)) navigate(`/?created=${result.plan}`);
    } catch (failure) {
      if (failure instanceof ApiFailure) {
        setProblems(failure.problems);
        setError(failure.message);
      } else setError(String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="onboarding" aria-labelledby="onboarding-title">
      <h1 id="onboarding-title">Welcome aboard</h1>
      <p className="lead">Three answers and your files are backed up, encrypted, on a schedule.</p>
      <ErrorBanner error={error} />
      <form onSubmit={submit} className="card form">
        <Field label="Folder to back up" problems={problemsAt(problems, 'folder')} hint="For example ~/Documents or /home/you/Pictures">
          {(id) => (
            <div className="actions">
              <input id={id} name="folder" value={folder} onChange={(e) => setFolder(e.target.value)} required placeholder="~/Documents" />
              {desktop ? (
                <button type="button" onClick={() => void client.call('desktop.pickFolder', {}).then(({ path }) => path && setFolder(path))}>
                  Choose…
                </button>
              ) : null}
            </div>
          )}
        </Field>
        <fieldset>
          <legend>Where to keep the backups</legend>
          <label className="choice">
            <input type="radio" name="where" checked={where === 'here'} onChange={() => setWhere('here')} /> On this computer, in Lifeboat's data folder
          </label>
          <label className="choice">
            <input type="radio" name="where" checked={where === 'path'} onChange={() => setWhere('path')} /> In a folder I choose (a USB disk, a NAS mount)
          </label>
          {where === 'path' ? (
            <Field label="Backup folder" problems={problemsAt(problems, 'repositoryPath')}>
              {(id) => (
                <input
                  id={id}
                  name="repositoryPath"
                  value={repositoryPath}
                  onChange={(e) => setRepositoryPath(e.target.value)}
                  required
                  placeholder="/media/you/backup/lifeboat"
                />
              )}
            </Field>
          ) : null}
        </fieldset>
        <Field
          label="Encryption password"
          problems={problemsAt(problems, 'password')}
          hint="Without it nobody can read the backups, you included: keep it somewhere safe."
        >
          {(id) => (
            <input
              id={id}
              name="password"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
              minLength={8}
              autoComplete="new-password"
            />
          )}
        </Field>
        <Field label="Password again" problems={problemsAt(problems, 'confirm')}>
          {(id) => (
            <input id={id} name="confirm" type="password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required autoComplete="new-password" />
          )}
        </Field>
        <Field label="How often" problems={problemsAt(problems, 'cron')}>
          {(id) => (
            <select id={id} name="cron" value={cron} onChange={(e) => setCron(e.target.value)}>
              {SCHEDULES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create my backup'}
        </button>
      </form>
    </section>
  );
}
