import { useEffect, useRef, useState } from 'react';
import type { CallOutput, Problem } from '../../../main/api/contract.ts';
import { ApiFailure } from '../api/client.ts';
import { ErrorBanner, Field, problemsAt } from '../components/common.tsx';
import { useClient } from '../context.ts';
import { useCall } from '../use-call.ts';
import { ImportFrom } from './ImportFrom.tsx';
import { MetricsSettings } from './MetricsSettings.tsx';

export function Settings({ status, onChange }: { status: CallOutput<'app.status'>; onChange: () => void }) {
  const client = useClient();
  const [error, setError] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [resticPath, setResticPath] = useState('');
  const [importing, setImporting] = useState(false);
  // What the person types is never replaced by an answer that arrives later.
  const typed = useRef(false);
  const { data: restic, retry: loadRestic } = useCall('settings.restic', {});
  useEffect(() => {
    if (restic && !typed.current) setResticPath(restic.resticPath ?? '');
  }, [restic]);
  const [resticProblems, setResticProblems] = useState<Problem[]>([]);
  const startAtLogin = useCall('desktop.startAtLogin', status.desktop ? {} : null);
  const atLogin = startAtLogin.data?.enabled;
  const useRestic = async () => {
    setError(undefined);
    setMessage(undefined);
    setResticProblems([]);
    try {
      await client.call('settings.update', { resticPath: resticPath.trim() || null });
      typed.current = false;
      loadRestic();
      onChange();
    } catch (failure) {
      // A sentence under the field; the banner only for what has no field.
      if (failure instanceof ApiFailure && failure.problems.length) setResticProblems([{ path: 'resticPath', message: failure.message }]);
      else setError((failure as Error).message);
    }
  };
  const update = async (change: { hooksEnabled?: boolean; notifications?: boolean; resticPath?: string | null }) => {
    setError(undefined);
    try {
      await client.call('settings.update', change);
      onChange();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <ErrorBanner error={error} />
      <div className="card form">
        <label className="inline">
          <input type="checkbox" checked={status.notifications} onChange={(e) => update({ notifications: e.target.checked })} /> Desktop notifications
        </label>
        <button
          type="button"
          onClick={() =>
            client.call('notifications.test', {}).then(
              () => setMessage('A test notification was sent.'),
              (e: Error) => setError(e.message),
            )
          }
        >
          Send test notification
        </button>
        {status.desktop && atLogin !== undefined ? (
          <label className="inline">
            <input
              type="checkbox"
              checked={atLogin}
              onChange={(e) => void client.call('desktop.startAtLogin', { enabled: e.target.checked }).then(startAtLogin.retry)}
            />{' '}
            Start Lifeboat when I log in
          </label>
        ) : null}
        <label className="inline">
          <input type="checkbox" checked={status.hooksEnabled} onChange={(e) => update({ hooksEnabled: e.target.checked })} /> Run hooks (turn off to back up
          without any hook)
        </label>
        <Field label="restic program (empty: the one on PATH)" problems={problemsAt(resticProblems, 'resticPath')}>
          {(id) => (
            <div className="actions">
              <input
                id={id}
                className="mono"
                value={resticPath}
                placeholder="/usr/bin/restic"
                onChange={(e) => {
                  typed.current = true;
                  setResticPath(e.target.value);
                }}
              />
              <button type="button" onClick={useRestic}>
                Use it
              </button>
            </div>
          )}
        </Field>
        {restic ? (
          <p className="restic-found" role="status" aria-label="restic in use">
            {restic.version ? `Using restic ${restic.version} at ${restic.found}` : `restic cannot be used: ${restic.problem}`}
          </p>
        ) : null}
        {message ? <p role="status">{message}</p> : null}
        <dl className="facts">
          <dt>Config file</dt>
          <dd className="mono">{status.configFile}</dd>
          <dt>Data folder</dt>
          <dd className="mono">{status.dataDir}</dd>
          <dt>Version</dt>
          <dd>{status.version}</dd>
        </dl>
      </div>
      <MetricsSettings />
      {importing ? (
        <ImportFrom
          desktop={status.desktop}
          onDone={(done) => {
            setImporting(false);
            setMessage(`Imported ${done.plans.map((plan) => plan.name).join(', ')}; every imported hook is off until you turn it on.`);
            onChange();
          }}
        />
      ) : (
        <div className="card">
          <button type="button" onClick={() => setImporting(true)}>
            Import from resticprofile, autorestic or Backrest…
          </button>
        </div>
      )}
    </section>
  );
}
