import { useState } from 'react';
import type { CallInput, CallOutput, Problem } from '../../../main/api/contract.ts';
import { ApiFailure } from '../api/client.ts';
import { ErrorBanner, Field, problemsAt } from '../components/common.tsx';
import { navigate, useClient } from '../context.ts';
import { useCall } from '../use-call.ts';
import { ImportFrom } from './ImportFrom.tsx';

const SCHEDULES = [
  ['0 * * * *', 'Every hour'],
  ['0 */4 * * *', 'Every 4 hours'],
  ['30 12 * * *', 'Every day at 12:30'],
  ['0 2 * * *', 'Every night at 02:00'],
] as const;

/** First run: a working, scheduled backup in a minute, its first backup started at once. */
export function Onboarding({ onDone, desktop = false, firstTime = true }: { onDone: () => void; desktop?: boolean; firstTime?: boolean }) {
  if (!firstTime) return <AddFolder onDone={onDone} desktop={desktop} />;
  return <FirstBackup onDone={onDone} desktop={desktop} />;
}

function FirstBackup({ onDone, desktop }: { onDone: () => void; desktop: boolean }) {
  const [folder, setFolder] = useState('');
  const [where, setWhere] = useState<'here' | 'path'>('here');
  const [repositoryPath, setRepositoryPath] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [cron, setCron] = useState<string>(SCHEDULES[0][0]);
  const { problems, setProblems, error, busy, setup } = useSetup(onDone);
  const [importing, setImporting] = useState(false);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (password !== confirm) {
      setProblems([{ path: 'confirm', message: 'does not match the password' }]);
      return;
    }
    const result = await setup({ folder, password, cron, ...(where === 'path' ? { repositoryPath } : {}) });
    // Only if the person is still here: never pull them back from a view they moved on to.
    if (result && ['', '#', '#/', '#/onboarding'].includes(window.location.hash)) navigate(`/?created=${result.plan}`);
  };

  return (
    <section className="onboarding" aria-labelledby="onboarding-title">
      <h1 id="onboarding-title">Welcome aboard</h1>
      <p className="lead">Three answers and your files are backed up, encrypted, on a schedule. The first backup starts right away.</p>
      <ErrorBanner error={error} />
      <form onSubmit={submit} className="card form">
        <FolderField
          folder={folder}
          setFolder={setFolder}
          desktop={desktop}
          problems={problems}
          hint="For example ~/Documents or /home/you/Pictures"
          placeholder="~/Documents"
        />
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
      {importing ? (
        <ImportFrom
          desktop={desktop}
          onDone={() => {
            onDone();
            navigate('/');
          }}
        />
      ) : (
        <p>
          <button type="button" className="link" onClick={() => setImporting(true)}>
            Coming from resticprofile, autorestic or Backrest? Import from…
          </button>
        </p>
      )}
    </section>
  );
}

type Where = 'plan' | 'repository' | 'new';

/** "Back up another folder": into a plan or a repository that exists; a new repository only when asked for. */
function AddFolder({ onDone, desktop }: { onDone: () => void; desktop: boolean }) {
  const planList = useCall('plans.list', {});
  const repositoryList = useCall('repositories.list', {});
  const plans = planList.data ?? [];
  const repositories = repositoryList.data ?? [];
  const loaded = planList.data !== undefined && repositoryList.data !== undefined;
  const [folder, setFolder] = useState('');
  // Until a choice is made: a repository you have, or a new one when there is none.
  const [chosenWhere, setWhere] = useState<Where>();
  const where: Where = chosenWhere ?? (loaded && repositories.length === 0 ? 'new' : 'repository');
  const [chosenPlan, setPlan] = useState('');
  const plan = chosenPlan || plans[0]?.id || '';
  const [chosenRepository, setRepository] = useState('');
  const repository = chosenRepository || repositories[0]?.id || '';
  const [repositoryPath, setRepositoryPath] = useState('');
  const [password, setPassword] = useState('');
  const [cron, setCron] = useState<string>(SCHEDULES[0][0]);
  const { problems, error, busy, setup } = useSetup(onDone);
  const loadFailed = planList.error ?? repositoryList.error;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const input = where === 'plan' ? { folder, plan } : where === 'repository' ? { folder, repository, cron } : { folder, repositoryPath, password, cron };
    const result = await setup(input);
    if (result) navigate(`/?created=${encodeURIComponent(result.plan)}`);
  };

  return (
    <section className="onboarding" aria-labelledby="add-folder-title">
      <h1 id="add-folder-title">Back up another folder</h1>
      <p className="lead">Add it to a plan you have, or give it its own plan and schedule in a repository you already use.</p>
      <ErrorBanner error={error} />
      {error ? null : (
        <ErrorBanner
          error={loadFailed?.message}
          retry={() => {
            if (planList.error) planList.retry();
            if (repositoryList.error) repositoryList.retry();
          }}
        />
      )}
      <form onSubmit={submit} className="card form">
        <FolderField folder={folder} setFolder={setFolder} desktop={desktop} problems={problems} hint="For example ~/Pictures" placeholder="~/Pictures" />
        <fieldset>
          <legend>How to back it up</legend>
          {plans.length ? (
            <label className="choice">
              <input type="radio" name="where" checked={where === 'plan'} onChange={() => setWhere('plan')} /> Add it to an existing plan
            </label>
          ) : null}
          {where === 'plan' ? (
            <Field label="Plan" problems={problemsAt(problems, 'plan')}>
              {(id) => (
                <select id={id} value={plan} onChange={(e) => setPlan(e.target.value)}>
                  {plans.map((candidate) => (
                    <option key={candidate.id} value={candidate.id}>
                      {candidate.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          {repositories.length ? (
            <label className="choice">
              <input type="radio" name="where" checked={where === 'repository'} onChange={() => setWhere('repository')} /> A new plan in a repository I have
            </label>
          ) : null}
          {where === 'repository' ? (
            <Field label="Repository" problems={problemsAt(problems, 'repository')}>
              {(id) => (
                <select id={id} value={repository} onChange={(e) => setRepository(e.target.value)}>
                  {repositories.map((candidate) => (
                    <option key={candidate.id} value={candidate.id}>
                      {candidate.name} ({candidate.url})
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <label className="choice">
            <input type="radio" name="where" checked={where === 'new'} onChange={() => setWhere('new')} /> A new plan in another place (a USB disk, a NAS mount)
          </label>
          {where === 'new' ? (
            <>
              <Field
                label="Backup folder"
                problems={problemsAt(problems, 'repositoryPath')}
                hint="A place you use already is reused (its password is checked); an empty one gets a new repository."
              >
                {(id) => <input id={id} value={repositoryPath} onChange={(e) => setRepositoryPath(e.target.value)} required placeholder="/media/you/backup" />}
              </Field>
              <Field label="Its password" problems={problemsAt(problems, 'password')}>
                {(id) => <input id={id} type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" />}
              </Field>
            </>
          ) : null}
        </fieldset>
        {where === 'plan' ? null : (
          <Field label="How often" problems={problemsAt(problems, 'cron')}>
            {(id) => (
              <select id={id} value={cron} onChange={(e) => setCron(e.target.value)}>
                {SCHEDULES.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <button type="submit" className="primary" disabled={busy || !loaded}>
          {busy ? 'Adding…' : 'Add and back up now'}
        </button>
      </form>
    </section>
  );
}

/** The folder to back up: typed, or chosen with the desktop app's folder picker. */
function FolderField(props: { folder: string; setFolder: (folder: string) => void; desktop: boolean; problems: Problem[]; hint: string; placeholder: string }) {
  const client = useClient();
  const { folder, setFolder } = props;
  return (
    <Field label="Folder to back up" problems={problemsAt(props.problems, 'folder')} hint={props.hint}>
      {(id) => (
        <div className="actions">
          <input id={id} name="folder" value={folder} onChange={(e) => setFolder(e.target.value)} required placeholder={props.placeholder} />
          {props.desktop ? (
            <button type="button" onClick={() => void client.call('desktop.pickFolder', {}).then(({ path }) => path && setFolder(path))}>
              Choose…
            </button>
          ) : null}
        </div>
      )}
    </Field>
  );
}

/** One `onboarding.setup` call with its busy state, its sentence and its field problems. */
function useSetup(onDone: () => void) {
  const client = useClient();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const setup = async (input: CallInput<'onboarding.setup'>): Promise<CallOutput<'onboarding.setup'> | undefined> => {
    setBusy(true);
    setError(undefined);
    setProblems([]);
    try {
      const result = await client.call('onboarding.setup', input);
      onDone();
      return result;
    } catch (failure) {
      if (failure instanceof ApiFailure) {
        setProblems(failure.problems);
        setError(failure.message);
      } else setError(String(failure));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { problems, setProblems, error, busy, setup };
}
