import { useState } from 'react';
import type { Problem } from '../../../main/api/contract.ts';
import { Field } from '../components/common.tsx';
import { FieldProblems } from '../components/FieldProblem.tsx';
import { byId, listProblems, pathOf, problemsAt, problemsUnder } from '../problem-path.ts';
import { type HeaderRow, MASKED, MONITOR_TYPES, type MonitorItem, type MonitorJson, newMonitor, newUid } from './plan-draft.ts';

export type MonitorsUpdate = (update: (monitors: MonitorItem[]) => MonitorItem[]) => void;

const STORED_HINT = 'stored — type to replace';

/** A keystroke in a field that holds a stored secret (the mask) replaces it whole: the mask is never part of a value. */
const replacing = (current: string, typed: string) => (current === MASKED ? typed.replaceAll('•', '') : typed);

/** How a monitor is named to a person and to a screen reader: by its place now and its type. */
/**
 * The hint under a stored URL: after a type change it says whose URL is kept, so nobody pings the old
 * service unawares. `storedType` is the type the saved plan has for this monitor.
 */
function storedUrlHint(item: MonitorItem, storedType: string | undefined): string | undefined {
  if (item.url !== MASKED) return undefined;
  if (storedType === undefined || storedType === item.type) return STORED_HINT;
  const label = MONITOR_TYPES.find(([type]) => type === storedType)?.[1] ?? storedType;
  return `the URL stored for the ${label} monitor is kept — type this service's URL to replace it`;
}

export const monitorName = (index: number, item: MonitorItem) => `monitor ${index + 1} (${item.type})`;

/**
 * A plan's monitors: one row each, keyed by the monitor's id. A stored URL, token or header value
 * arrives masked and stays masked unless the person types a new one; saved, the mask keeps the
 * stored secret of the monitor with the same id.
 */
export function MonitorEditor({
  monitors,
  saved,
  problems,
  update,
}: {
  monitors: MonitorItem[];
  /** The plan's monitors as saved: what a stored (masked) secret belongs to. */
  saved: readonly MonitorJson[];
  problems: Problem[];
  update: MonitorsUpdate;
}) {
  const storedTypes = new Map(saved.map((monitor) => [monitor.id, monitor.type]));
  // The row (a monitor or a header) just added gets the focus, once.
  const [added, setAdded] = useState<string>();
  const at = (item: MonitorItem, ...rest: Array<string | { id: string }>) => pathOf('monitors', byId(item.id), ...rest);
  const edit = (id: string, change: (item: MonitorItem) => MonitorItem) => update((all) => all.map((item) => (item.id === id ? change(item) : item)));
  const editHeader = (id: string, uid: string, change: Partial<HeaderRow>) =>
    edit(id, (item) => ({ ...item, headers: item.headers.map((row) => (row.uid === uid ? { ...row, ...change } : row)) }));

  return (
    <fieldset className="monitors" aria-label="Monitors">
      <legend>Monitors</legend>
      <p className="hint">
        Healthchecks gets a start ping when a backup begins, a success ping when it ends well and a fail ping with the end of the log when it fails. ntfy gets a
        message when a run ends (high priority on failure). A webhook gets a JSON POST with the plan, run, status and reason. A skipped run sends no ping or
        fail. Monitors never hold up or fail a backup.
      </p>
      <FieldProblems problems={listProblems(problems, pathOf('monitors'))} />
      {monitors.map((item, index) => {
        const name = monitorName(index, item);
        const own = problemsUnder(problems, at(item)).filter((problem) => !/^(url|token|headers)([.#[]|$)/.test(problem.path));
        const stored = (value: string) => (value === MASKED ? STORED_HINT : undefined);
        return (
          <fieldset key={item.id} className="monitor" aria-label={name.replace(/^m/, 'M')}>
            <legend>Monitor {index + 1}</legend>
            <div className="monitor-fields">
              <Field label="Type">
                {(id) => (
                  <select
                    id={id}
                    value={item.type}
                    onChange={(e) => {
                      const type = e.target.value;
                      // A field the new type has not is dropped, secrets and all.
                      edit(item.id, (current) => ({
                        ...current,
                        type,
                        token: type === 'ntfy' ? current.token : '',
                        headers: type === 'webhook' ? current.headers : [],
                      }));
                    }}
                  >
                    {MONITOR_TYPES.some(([type]) => type === item.type) ? null : <option value={item.type}>{item.type}</option>}
                    {MONITOR_TYPES.map(([type, label]) => (
                      <option key={type} value={type}>
                        {label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="URL" problems={problemsAt(problems, at(item, 'url'))} hint={storedUrlHint(item, storedTypes.get(item.id))}>
                {(id) => (
                  <input
                    id={id}
                    className="mono"
                    type={item.url === MASKED ? 'password' : 'text'}
                    inputMode="url"
                    autoComplete="off"
                    spellCheck={false}
                    // biome-ignore lint/a11y/noAutofocus: the monitor just added is where the person types next
                    autoFocus={added === item.id}
                    placeholder={
                      item.type === 'ntfy' ? 'https://ntfy.sh/my-topic' : item.type === 'webhook' ? 'https://example.com/hook' : 'https://hc-ping.com/your-uuid'
                    }
                    value={item.url}
                    onChange={(e) => edit(item.id, (current) => ({ ...current, url: replacing(current.url, e.target.value) }))}
                  />
                )}
              </Field>
              {item.type === 'ntfy' ? (
                <Field
                  label="Token"
                  problems={problemsAt(problems, at(item, 'token'))}
                  hint={stored(item.token) ?? 'Optional: an access token for a protected topic.'}
                >
                  {(id) => (
                    <input
                      id={id}
                      className="mono"
                      type="password"
                      autoComplete="off"
                      value={item.token}
                      onChange={(e) => edit(item.id, (current) => ({ ...current, token: replacing(current.token, e.target.value) }))}
                    />
                  )}
                </Field>
              ) : null}
            </div>
            {item.type === 'webhook' ? (
              <div className="monitor-headers">
                <p className="hint">
                  <strong>Headers</strong> sent with each POST, e.g. Authorization. Their values are kept like passwords.
                </p>
                <FieldProblems problems={listProblems(problems, at(item, 'headers'))} />
                {item.headers.map((row, rowIndex) => {
                  const label = `Header ${rowIndex + 1}`;
                  const rowProblems = problemsAt(problems, at(item, 'headers', byId(row.uid)));
                  return (
                    <div key={row.uid} className={`credential-row${rowProblems.length ? ' field-invalid' : ''}`}>
                      <input
                        aria-label={`${label} name`}
                        className="mono"
                        placeholder="Authorization"
                        spellCheck={false}
                        // biome-ignore lint/a11y/noAutofocus: the header just added is where the person types next
                        autoFocus={added === row.uid}
                        value={row.name}
                        onChange={(e) => editHeader(item.id, row.uid, { name: e.target.value })}
                      />
                      <input
                        aria-label={`${label} value`}
                        className="mono"
                        type="password"
                        autoComplete="off"
                        placeholder="value"
                        value={row.value}
                        onChange={(e) => editHeader(item.id, row.uid, { value: replacing(row.value, e.target.value) })}
                      />
                      <button
                        type="button"
                        aria-label={`Remove header ${rowIndex + 1}${row.name ? ` (${row.name})` : ''} of monitor ${index + 1}`}
                        onClick={() => edit(item.id, (current) => ({ ...current, headers: current.headers.filter((other) => other.uid !== row.uid) }))}
                      >
                        Remove
                      </button>
                      {row.value === MASKED ? <p className="hint">{STORED_HINT}</p> : null}
                      <FieldProblems problems={rowProblems} />
                    </div>
                  );
                })}
                <button
                  type="button"
                  onClick={() => {
                    const uid = newUid();
                    setAdded(uid);
                    edit(item.id, (current) => ({ ...current, headers: [...current.headers, { uid, name: '', value: '' }] }));
                  }}
                >
                  + Add a header
                </button>
              </div>
            ) : null}
            <FieldProblems problems={own} />
            <div className="actions">
              <button type="button" aria-label={`Remove ${name}`} onClick={() => update((all) => all.filter((other) => other.id !== item.id))}>
                Remove
              </button>
            </div>
          </fieldset>
        );
      })}
      <button
        type="button"
        onClick={() => {
          const next = newMonitor(monitors);
          setAdded(next.id);
          update((all) => [...all, next]);
        }}
      >
        + Add a monitor
      </button>
    </fieldset>
  );
}
