import { useEffect, useId, useState } from 'react';
import type { HookTemplateView, Problem } from '../../../main/api/contract.ts';
import { HOOK_EVENTS, RUN_STATUSES } from '../../../main/api/vocabulary.ts';
import { ApiFailure } from '../api/client.ts';
import { CodeEditor } from '../components/CodeEditor.tsx';
import { Field, problemsAt } from '../components/common.tsx';
import { useClient } from '../context.ts';

// biome-ignore lint/suspicious/noExplicitAny: hooks are edited as the JSON the config file holds
export type HookJson = Record<string, any>;

export const EVENTS = HOOK_EVENTS;
const STATES = RUN_STATUSES;
const CONDITIONS: Record<string, HookJson> = {
  battery: { type: 'battery', minPercent: 30 },
  acPower: { type: 'acPower' },
  online: { type: 'online', timeout: '3s' },
  path: { type: 'path', path: '/media/backup', mounted: true },
  timeWindow: { type: 'timeWindow', from: '22:00', to: '06:00' },
  diskSpace: { type: 'diskSpace', path: '/', minFree: '5GB' },
  networkUnmetered: { type: 'networkUnmetered' },
  idle: { type: 'idle', minIdle: '5m' },
};

function uniqueId(base: string, hooks: HookJson[]): string {
  const taken = new Set(hooks.map((hook) => hook.id));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

export function HookList({
  planId,
  hooks,
  onChange,
  problems,
}: {
  planId: string;
  hooks: HookJson[];
  onChange: (hooks: HookJson[]) => void;
  problems: Problem[];
}) {
  const client = useClient();
  const [templates, setTemplates] = useState<HookTemplateView[]>([]);
  const [gallery, setGallery] = useState(false);
  useEffect(() => {
    void client.call('templates.list', {}).then(setTemplates);
  }, [client]);

  const update = (index: number, hook: HookJson) => onChange(hooks.map((current, i) => (i === index ? hook : current)));
  const move = (index: number, by: number) => {
    const next = [...hooks];
    const [hook] = next.splice(index, 1);
    next.splice(index + by, 0, hook!);
    onChange(next);
  };
  const insertTemplate = (template: HookTemplateView) => {
    const next = [...hooks];
    for (const hook of template.hooks) next.push({ ...hook, id: uniqueId(String(hook.id), next) });
    onChange(next);
    setGallery(false);
  };

  const groups = EVENTS.map((event) => ({
    event,
    items: hooks.map((hook, index) => ({ hook, index })).filter(({ hook }) => (hook.on?.[0] ?? 'run.start') === event),
  })).filter((group) => group.items.length > 0);

  return (
    <section className="hooks" aria-labelledby="hooks-title">
      <div className="section-head">
        <h2 id="hooks-title">Hooks</h2>
        <div className="actions">
          <button
            type="button"
            onClick={() =>
              onChange([
                ...hooks,
                { id: uniqueId('script', hooks), on: ['backup.before'], script: { inline: '#!/bin/sh\necho "Preparing $LIFEBOAT_PLAN_NAME"\n' } },
              ])
            }
          >
            + Script
          </button>
          <button
            type="button"
            onClick={() => onChange([...hooks, { id: uniqueId('condition', hooks), on: ['run.start'], condition: { ...CONDITIONS.battery } }])}
          >
            + Condition
          </button>
          <button type="button" aria-expanded={gallery} onClick={() => setGallery(!gallery)}>
            Templates…
          </button>
        </div>
      </div>
      {gallery ? (
        <ul className="gallery" aria-label="Hook templates">
          {templates.map((template) => (
            <li key={template.id} className="card">
              <h3>{template.title}</h3>
              <p>{template.description}</p>
              <button type="button" onClick={() => insertTemplate(template)} aria-label={`Insert ${template.title}`}>
                Insert
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {hooks.length === 0 ? <p className="hint">No hooks yet. Add a condition (battery, network, drive) or a script to run around each backup.</p> : null}
      {groups.map((group) => (
        <div key={group.event} className="hook-group">
          <h3>{group.event}</h3>
          {group.items.map(({ hook, index }) => (
            <HookCard
              key={index}
              planId={planId}
              hook={hook}
              problems={problemsAt(problems, `hooks[${index}]`).map((p) => ({ ...p, path: p.path.replace(`hooks[${index}]`, '').replace(/^\./, '') }))}
              onChange={(next) => update(index, next)}
              onRemove={() => onChange(hooks.filter((_, i) => i !== index))}
              onMove={(by) => move(index, by)}
              canMoveUp={index > 0}
              canMoveDown={index < hooks.length - 1}
            />
          ))}
        </div>
      ))}
    </section>
  );
}

function HookCard(props: {
  planId: string;
  hook: HookJson;
  problems: Problem[];
  onChange: (hook: HookJson) => void;
  onRemove: () => void;
  onMove: (by: number) => void;
  canMoveUp: boolean;
  canMoveDown: boolean;
}) {
  const { hook, onChange, problems } = props;
  const set = (key: string, value: unknown) => {
    const next = { ...hook };
    if (value === undefined || value === '') delete next[key];
    else next[key] = value;
    onChange(next);
  };
  const isCondition = hook.condition !== undefined;
  const events: string[] = hook.on ?? [];
  const afterLike = events.some((event) => event.endsWith('.after') || event === 'run.end');
  const scriptKind = hook.script?.inline !== undefined ? 'inline' : hook.script?.command !== undefined ? 'command' : 'path';
  const editorLabel = useId();

  return (
    <article className={`card hook${hook.enabled === false ? ' hook-disabled' : ''}`} aria-label={`Hook ${hook.id}`}>
      <header className="hook-head">
        <strong>{hook.name ?? hook.id}</strong>
        <span className="hint">{isCondition ? `condition: ${hook.condition.type}` : `script (${scriptKind})`}</span>
        <label className="inline">
          <input type="checkbox" checked={hook.enabled !== false} onChange={(e) => set('enabled', e.target.checked ? undefined : false)} /> Enabled
        </label>
        <button type="button" onClick={() => props.onMove(-1)} disabled={!props.canMoveUp} aria-label={`Move ${hook.id} up`}>
          ↑
        </button>
        <button type="button" onClick={() => props.onMove(1)} disabled={!props.canMoveDown} aria-label={`Move ${hook.id} down`}>
          ↓
        </button>
        <button type="button" onClick={props.onRemove} aria-label={`Remove ${hook.id}`}>
          Remove
        </button>
      </header>
      <div className="grid">
        <Field label="Id" problems={problemsAt(problems, 'id')}>
          {(id) => <input id={id} value={hook.id} onChange={(e) => set('id', e.target.value)} />}
        </Field>
        <Field label="On error" problems={problemsAt(problems, 'onError')}>
          {(id) => (
            <select id={id} value={hook.onError ?? (isCondition ? 'skip' : 'fail')} onChange={(e) => set('onError', e.target.value)}>
              <option value="fail">fail the run</option>
              <option value="skip">skip the run (no alarm)</option>
              <option value="ignore">ignore (warning)</option>
              <option value="defer">defer (try later)</option>
            </select>
          )}
        </Field>
        <Field label="Timeout" problems={problemsAt(problems, 'timeout')}>
          {(id) => <input id={id} value={hook.timeout ?? ''} placeholder="5m" onChange={(e) => set('timeout', e.target.value)} />}
        </Field>
        <Field label="Applies to" problems={problemsAt(problems, 'appliesTo')}>
          {(id) => (
            <select id={id} value={hook.appliesTo ?? (isCondition ? 'scheduled' : 'all')} onChange={(e) => set('appliesTo', e.target.value)}>
              <option value="all">every run</option>
              <option value="scheduled">scheduled runs only</option>
            </select>
          )}
        </Field>
        {!isCondition ? (
          <Field label="Mode" problems={problemsAt(problems, 'mode')}>
            {(id) => (
              <select id={id} value={hook.mode ?? 'wait'} onChange={(e) => set('mode', e.target.value)}>
                <option value="wait">wait for it</option>
                <option value="async">start and go on</option>
              </select>
            )}
          </Field>
        ) : null}
      </div>
      <fieldset className="checks">
        <legend>Runs on</legend>
        {EVENTS.map((event) => (
          <label key={event} className="inline">
            <input
              type="checkbox"
              checked={events.includes(event)}
              onChange={(e) => set('on', e.target.checked ? [...events, event] : events.filter((x) => x !== event))}
            />{' '}
            {event}
          </label>
        ))}
        {problemsAt(problems, 'on').map((p) => (
          <p key={p.message} className="problem" role="alert">
            {p.message}
          </p>
        ))}
      </fieldset>
      {afterLike ? (
        <fieldset className="checks">
          <legend>Only when the run is</legend>
          {STATES.map((state) => {
            const states: string[] = hook.states ?? [...STATES];
            return (
              <label key={state} className="inline">
                <input
                  type="checkbox"
                  checked={states.includes(state)}
                  onChange={(e) => set('states', e.target.checked ? [...states, state] : states.filter((x) => x !== state))}
                />{' '}
                {state}
              </label>
            );
          })}
        </fieldset>
      ) : null}
      {isCondition ? (
        <ConditionForm condition={hook.condition} problems={problemsAt(problems, 'condition')} onChange={(condition) => set('condition', condition)} />
      ) : null}
      {!isCondition ? (
        <div className="script">
          <Field label="Script kind">
            {(id) => (
              <select
                id={id}
                value={scriptKind}
                onChange={(e) =>
                  set(
                    'script',
                    e.target.value === 'inline'
                      ? { inline: '#!/bin/sh\n' }
                      : e.target.value === 'command'
                        ? { command: 'true' }
                        : { path: '/usr/local/bin/my-hook', args: [] },
                  )
                }
              >
                <option value="inline">script written here</option>
                <option value="command">one command line</option>
                <option value="path">a script file</option>
              </select>
            )}
          </Field>
          {scriptKind === 'inline' ? (
            <div className={`field${problemsAt(problems, 'script').length ? ' field-invalid' : ''}`}>
              <span id={editorLabel} className="label">
                Script (type $LIFEBOAT_ or {'{{'} for variables)
              </span>
              <CodeEditor labelledBy={editorLabel} value={hook.script.inline} onChange={(text) => set('script', { inline: text })} />
              {problemsAt(problems, 'script').map((p) => (
                <p key={p.message} className="problem" role="alert">
                  {p.message}
                </p>
              ))}
            </div>
          ) : scriptKind === 'command' ? (
            <Field label="Command" problems={problemsAt(problems, 'script')}>
              {(id) => <input id={id} className="mono" value={hook.script.command} onChange={(e) => set('script', { command: e.target.value })} />}
            </Field>
          ) : (
            <Field label="Script file" problems={problemsAt(problems, 'script')}>
              {(id) => <input id={id} className="mono" value={hook.script.path} onChange={(e) => set('script', { ...hook.script, path: e.target.value })} />}
            </Field>
          )}
        </div>
      ) : null}
      <EnvField env={hook.env} problems={problemsAt(problems, 'env')} onChange={(env) => set('env', env)} />
      <TestRun planId={props.planId} hook={hook} />
    </article>
  );
}

/** KEY=value lines; the text is kept as typed, the parsed variables go to the hook. */
function EnvField({
  env,
  problems,
  onChange,
}: {
  env: Record<string, string> | undefined;
  problems: Problem[];
  onChange: (env: Record<string, string> | undefined) => void;
}) {
  const [text, setText] = useState(() =>
    Object.entries(env ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join('\n'),
  );
  return (
    <Field label="Environment (KEY=value, one per line)" problems={problems}>
      {(id) => (
        <textarea
          id={id}
          rows={2}
          className="mono"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            const entries = e.target.value
              .split('\n')
              .filter((line) => line.includes('='))
              .map((line) => [line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1)] as const);
            onChange(entries.length ? Object.fromEntries(entries) : undefined);
          }}
        />
      )}
    </Field>
  );
}

function ConditionForm({ condition, problems, onChange }: { condition: HookJson; problems: Problem[]; onChange: (condition: HookJson) => void }) {
  const set = (key: string, value: unknown) => {
    const next = { ...condition };
    if (value === undefined || value === '' || Number.isNaN(value)) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  const text = (key: string, label: string, placeholder = '') => (
    <Field key={key} label={label} problems={problemsAt(problems, key)}>
      {(id) => <input id={id} value={condition[key] ?? ''} placeholder={placeholder} onChange={(e) => set(key, e.target.value)} />}
    </Field>
  );
  const flag = (key: string, label: string, fallback: boolean) => (
    <label key={key} className="inline">
      <input type="checkbox" checked={condition[key] ?? fallback} onChange={(e) => set(key, e.target.checked)} /> {label}
    </label>
  );
  return (
    <div className="grid">
      <Field label="Condition" problems={problemsAt(problems, 'type')}>
        {(id) => (
          <select id={id} value={condition.type} onChange={(e) => onChange({ ...CONDITIONS[e.target.value] })}>
            {Object.keys(CONDITIONS).map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        )}
      </Field>
      {condition.type === 'battery' ? (
        <>
          <Field label="Minimum battery %" problems={problemsAt(problems, 'minPercent')}>
            {(id) => (
              <input id={id} type="number" min={0} max={100} value={condition.minPercent ?? ''} onChange={(e) => set('minPercent', e.target.valueAsNumber)} />
            )}
          </Field>
          {flag('allowOnAC', 'Any level on AC power', true)}
        </>
      ) : null}
      {condition.type === 'online' ? (
        <>
          {text('url', 'URL to ask (optional)', 'https://example.com')}
          {text('host', 'or host (optional)')}
          {text('timeout', 'Timeout', '3s')}
        </>
      ) : null}
      {condition.type === 'path' ? (
        <>
          {text('path', 'Path')}
          {flag('mounted', 'Must be a mount point', false)}
          {flag('writable', 'Must be writable', false)}
        </>
      ) : null}
      {condition.type === 'timeWindow' ? (
        <>
          {text('from', 'From', '22:00')}
          {text('to', 'To', '06:00')}
        </>
      ) : null}
      {condition.type === 'diskSpace' ? (
        <>
          {text('path', 'Path')}
          {text('minFree', 'Minimum free', '5GB')}
        </>
      ) : null}
      {condition.type === 'idle' ? text('minIdle', 'Idle for at least', '5m') : null}
    </div>
  );
}

function TestRun({ planId, hook }: { planId: string; hook: HookJson }) {
  const client = useClient();
  const [lines, setLines] = useState<string[]>([]);
  const [verdict, setVerdict] = useState<{ kind: string; text: string }>();
  const [busy, setBusy] = useState(false);

  const run = async () => {
    const testId = `${hook.id}-${Date.now()}`;
    setLines([]);
    setVerdict(undefined);
    setBusy(true);
    const off = client.on('hook-test.output', (payload) => {
      if (payload.testId === testId) setLines((current) => [...current.slice(-500), `${payload.stream === 'stderr' ? '! ' : ''}${payload.line}`]);
    });
    try {
      const result = await client.call('hooks.test', { plan: planId, hook, testId });
      const words: Record<string, string> = { pass: 'Passed', skip: 'Would skip the run', error: 'Failed', cancelled: 'Stopped' };
      setVerdict({ kind: result.outcome, text: `${words[result.outcome]}: ${result.reason}` });
    } catch (failure) {
      setVerdict({
        kind: 'error',
        text: failure instanceof ApiFailure ? [failure.message, ...failure.problems.map((p) => `${p.path}: ${p.message}`)].join(' ') : String(failure),
      });
    } finally {
      off();
      setBusy(false);
    }
  };

  return (
    <div className="test-run">
      <button type="button" onClick={run} disabled={busy} aria-label={`Test run ${hook.id}`}>
        {busy ? 'Running…' : 'Test run'}
      </button>
      {lines.length > 0 || verdict ? (
        <div className="test-output" aria-live="polite">
          <pre role="log" aria-label="Test output">
            {lines.join('\n')}
          </pre>
          {verdict ? <p className={`verdict verdict-${verdict.kind}`}>{verdict.text}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
