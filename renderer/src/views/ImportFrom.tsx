import { useState } from 'react';
import type { CallInput, CallOutput } from '../../../main/api/contract.ts';
import { ErrorBanner, Field } from '../components/common.tsx';
import { useClient } from '../context.ts';

type Tool = CallInput<'config.importPreview'>['tool'];
type Report = CallOutput<'config.importPreview'>;

const TOOLS: Array<{ tool: Tool; label: string; example: string }> = [
  { tool: 'resticprofile', label: 'resticprofile', example: '~/.config/resticprofile/profiles.toml' },
  { tool: 'autorestic', label: 'autorestic', example: '~/.autorestic.yml' },
  { tool: 'backrest', label: 'Backrest', example: '~/.config/backrest/config.json' },
];

/**
 * "Import from…": another tool's config, previewed (what maps, what did not and why, every hook
 * off, secrets masked), then imported beside the person's own plans, never over them.
 */
export function ImportFrom({ onDone, desktop = false }: { onDone: (report: Report) => void; desktop?: boolean }) {
  const client = useClient();
  const [tool, setTool] = useState<Tool>('resticprofile');
  const [file, setFile] = useState('');
  const [report, setReport] = useState<Report>();
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const example = TOOLS.find((entry) => entry.tool === tool)?.example ?? '';

  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const preview = (event: React.FormEvent) => {
    event.preventDefault();
    setReport(undefined);
    setConfirmed(false);
    void attempt(async () => setReport(await client.call('config.importPreview', { tool, file })));
  };
  const importNow = () =>
    void attempt(async () => {
      const done = await client.call('config.import', { tool, file, merge: confirmed });
      setReport(undefined);
      onDone(done);
    });
  // A changed choice makes the shown report stale: it goes, and Import waits for a new preview.
  const change = (apply: () => void) => {
    apply();
    setReport(undefined);
    setConfirmed(false);
  };

  return (
    <section className="card form import-from" aria-labelledby="import-title">
      <h2 id="import-title">Import from another backup tool</h2>
      <p className="hint">Your plans, repositories, schedules and retention come over; every imported hook arrives switched off until you read it.</p>
      <form onSubmit={preview}>
        <fieldset>
          <legend>Import from</legend>
          {TOOLS.map((entry) => (
            <label key={entry.tool} className="choice">
              <input type="radio" name="import-tool" checked={tool === entry.tool} onChange={() => change(() => setTool(entry.tool))} /> {entry.label}
            </label>
          ))}
        </fieldset>
        <Field label="Its config file" hint={`The whole path, e.g. ${example}`}>
          {(id) => (
            <div className="actions">
              <input id={id} className="mono" value={file} required placeholder={example} onChange={(e) => change(() => setFile(e.target.value))} />
              {desktop ? (
                <button
                  type="button"
                  onClick={() =>
                    void client.call('desktop.pickFile', { title: `Choose the ${tool} config` }).then(({ path }) => path && change(() => setFile(path)))
                  }
                >
                  Choose…
                </button>
              ) : null}
            </div>
          )}
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy || file.trim() === ''}>
            {busy && !report ? 'Reading…' : 'Show what would be imported'}
          </button>
        </div>
      </form>
      <ErrorBanner error={error} />
      {report ? <ImportReport report={report} confirmed={confirmed} setConfirmed={setConfirmed} busy={busy} onImport={importNow} /> : null}
    </section>
  );
}

function ImportReport(props: { report: Report; confirmed: boolean; setConfirmed: (value: boolean) => void; busy: boolean; onImport: () => void }) {
  const { report } = props;
  const hooks = report.plans.reduce((sum, counted) => sum + counted.hooks.length, 0);
  const canImport = report.plans.length > 0 && (!report.needsConfirmation || props.confirmed);
  return (
    <section className="import-report" aria-label="Import preview">
      <p role="status">
        {report.plans.length
          ? `${plural(report.plans.length, 'plan')}, ${plural(report.repositories.length, 'new repository', 'new repositories')} and ${plural(hooks, 'hook')} (all off) would be imported.`
          : report.alreadyImported.length
            ? 'Everything in this file that can be imported is already in your config.'
            : 'Nothing in this file can become a plan; the list below says why.'}
      </p>
      {report.plans.length ? (
        <table className="table" aria-label="Plans to import">
          <thead>
            <tr>
              <th>Plan</th>
              <th>Folders</th>
              <th>Schedule</th>
              <th>Repository</th>
              <th>Hooks (off)</th>
            </tr>
          </thead>
          <tbody>
            {report.plans.map((plan) => (
              <tr key={plan.id}>
                <td>
                  {plan.name} <span className="mono hint">{plan.id}</span>
                </td>
                <td className="mono">{plan.sources.join(', ')}</td>
                <td>{plan.schedule}</td>
                <td className="mono">{plan.repository}</td>
                <td>
                  {plan.hooks.length ? (
                    <ul className="plain">
                      {plan.hooks.map((hook) => (
                        <li key={hook.id} title={hook.command}>
                          <span className="mono">{hook.id}</span> on {hook.on.join(', ')}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    'none'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {report.repositories.length ? (
        <>
          <h3>New repositories</h3>
          <ul aria-label="Repositories to import">
            {report.repositories.map((repository) => (
              <li key={repository.id}>
                <span className="mono">{repository.id}</span>: <span className="mono">{repository.url}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {report.reused.length || report.alreadyImported.length || report.passwordFiles.length ? (
        <ul aria-label="Already here">
          {report.reused.map((entry) => (
            <li key={`reused-${entry.repository}`}>
              {entry.repository} is your repository “{entry.existing}” (same location): the plans use it.
            </li>
          ))}
          {report.alreadyImported.map((entry) => (
            <li key={`already-${entry.plan}`}>
              {entry.origin} is already imported, as plan “{entry.plan}”: left as it is.
            </li>
          ))}
          {report.passwordFiles.map((file) => (
            <li key={file}>
              A password from the file will be kept in <span className="mono">{file}</span> (private), never in the config.
            </li>
          ))}
        </ul>
      ) : null}
      {report.notMapped.length ? (
        <>
          <h3>Not imported ({report.notMapped.length})</h3>
          <ul aria-label="Not imported">
            {report.notMapped.map((item) => (
              // A note is its place and its reason: the report never lists the same one twice.
              <li key={`${item.path}\u0000${item.reason}`}>
                {item.path ? <span className="mono">{item.path}</span> : null}
                {item.path ? ': ' : ''}
                {item.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {report.needsConfirmation && report.plans.length ? (
        <label className="inline">
          <input type="checkbox" checked={props.confirmed} onChange={(e) => props.setConfirmed(e.target.checked)} /> Add these beside my{' '}
          {plural(report.existingPlans, 'plan')} (mine stay exactly as they are)
        </label>
      ) : null}
      {report.plans.length ? (
        <div className="actions">
          <button type="button" className="primary" disabled={!canImport || props.busy} onClick={props.onImport}>
            {props.busy ? 'Importing…' : `Import ${plural(report.plans.length, 'plan')}`}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
