import { useId } from 'react';
import type { Problem } from '../../../../main/api/contract.ts';
import { eventInWords, HOOK_DEFAULTS, HOOK_EVENTS, isAfterEvent, ON_ERROR, RUN_STATUSES } from '../../../../main/api/vocabulary.ts';
import { CodeEditor } from '../../components/CodeEditor.tsx';
import { Field, problemsAt } from '../../components/common.tsx';
import { FieldProblems } from '../../components/FieldProblem.tsx';
import { type HookItem, type HookJson, isScriptHook } from '../plan-draft.ts';
import { ConditionForm } from './ConditionForm.tsx';
import { HookTestPanel, type HookTestState } from './HookTestPanel.tsx';

export type HookUpdate = (change: (item: HookItem) => HookItem) => void;

/** The hook with one field set, or left out when it is empty (the engine's default applies). */
function withKey<K extends keyof HookJson>(hook: HookJson, key: K, value: HookJson[K] | ''): HookJson {
  const next = { ...hook };
  if (value === undefined || value === '') delete next[key];
  else next[key] = value;
  return next;
}

/** What each onError choice does, in words. */
const ON_ERROR_WORDS: Record<(typeof ON_ERROR)[number], string> = {
  fail: 'fail the run',
  skip: 'skip the run (no alarm)',
  ignore: 'ignore (warning)',
  defer: 'defer (try later)',
};

type Script = NonNullable<HookJson['script']>;

/** One hook's card. Every field reads the draft item and writes through `update`, so nothing outlives the hook. */
export function HookForm(props: {
  item: HookItem;
  problems: Problem[];
  update: HookUpdate;
  onRemove: () => void;
  onMove: (by: -1 | 1) => void;
  canMoveUp: boolean;
  canMoveDown: boolean;
  test: HookTestState | undefined;
  onTest: () => void;
}) {
  const { item, update, problems } = props;
  const hook = item.hook;
  const set = <K extends keyof HookJson>(key: K, value: HookJson[K] | '') => update((current) => ({ ...current, hook: withKey(current.hook, key, value) }));
  const isCondition = !isScriptHook(hook);
  const events: string[] = Array.isArray(hook.on) ? hook.on : [];
  const afterLike = events.some(isAfterEvent);
  const kind = isCondition ? HOOK_DEFAULTS.condition : HOOK_DEFAULTS.script;
  const scriptKind = hook.script?.inline !== undefined ? 'inline' : hook.script?.command !== undefined ? 'command' : 'path';
  const editorLabel = useId();
  const name = String(hook.id ?? '');

  return (
    <article className={`card hook${hook.enabled === false ? ' hook-disabled' : ''}`} aria-label={`Hook ${name}`}>
      <header className="hook-head">
        <strong>{hook.name ?? name}</strong>
        <span className="hint">{isCondition ? `condition: ${hook.condition?.type}` : `script (${scriptKind})`}</span>
        <label className="inline">
          <input type="checkbox" checked={hook.enabled !== false} onChange={(e) => set('enabled', e.target.checked ? undefined : false)} /> Enabled
        </label>
        <button type="button" onClick={() => props.onMove(-1)} disabled={!props.canMoveUp} aria-label={`Move ${name} up`}>
          ↑
        </button>
        <button type="button" onClick={() => props.onMove(1)} disabled={!props.canMoveDown} aria-label={`Move ${name} down`}>
          ↓
        </button>
        <button type="button" onClick={props.onRemove} aria-label={`Remove ${name}`}>
          Remove
        </button>
      </header>
      <div className="grid">
        <Field label="Id" problems={problemsAt(problems, 'id')}>
          {(id) => <input id={id} value={hook.id ?? ''} onChange={(e) => set('id', e.target.value)} />}
        </Field>
        <Field label="On error" problems={problemsAt(problems, 'onError')}>
          {(id) => (
            <select id={id} value={hook.onError ?? kind.onError} onChange={(e) => set('onError', e.target.value as HookJson['onError'])}>
              {ON_ERROR.map((choice) => (
                <option key={choice} value={choice}>
                  {ON_ERROR_WORDS[choice]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Timeout" problems={problemsAt(problems, 'timeout')}>
          {(id) => <input id={id} value={hook.timeout ?? ''} placeholder={HOOK_DEFAULTS.timeout} onChange={(e) => set('timeout', e.target.value)} />}
        </Field>
        <Field label="Applies to" problems={problemsAt(problems, 'appliesTo')}>
          {(id) => (
            <select id={id} value={hook.appliesTo ?? kind.appliesTo} onChange={(e) => set('appliesTo', e.target.value as HookJson['appliesTo'])}>
              <option value="all">every run</option>
              <option value="scheduled">scheduled runs only</option>
            </select>
          )}
        </Field>
        {!isCondition ? (
          <Field label="Mode" problems={problemsAt(problems, 'mode')}>
            {(id) => (
              <select id={id} value={hook.mode ?? HOOK_DEFAULTS.mode} onChange={(e) => set('mode', e.target.value as HookJson['mode'])}>
                <option value="wait">wait for it</option>
                <option value="async">start and go on</option>
              </select>
            )}
          </Field>
        ) : null}
      </div>
      <fieldset className="checks">
        <legend>Runs on</legend>
        {HOOK_EVENTS.map((event) => (
          <label key={event} className="inline" title={event}>
            <input
              type="checkbox"
              checked={events.includes(event)}
              onChange={(e) =>
                update((current) => {
                  const now = Array.isArray(current.hook.on) ? current.hook.on : [];
                  return { ...current, hook: { ...current.hook, on: e.target.checked ? [...now, event] : now.filter((x) => x !== event) } };
                })
              }
            />{' '}
            {eventInWords(event)}
          </label>
        ))}
        <FieldProblems problems={problemsAt(problems, 'on')} />
      </fieldset>
      {afterLike ? (
        <fieldset className="checks">
          <legend>Only when the run is</legend>
          {RUN_STATUSES.map((state) => {
            const states = hook.states ?? [...RUN_STATUSES];
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
          <FieldProblems problems={problemsAt(problems, 'states')} />
        </fieldset>
      ) : null}
      {hook.condition ? (
        <ConditionForm
          condition={hook.condition}
          problems={problemsAt(problems, 'condition').map((p) => ({ ...p, path: p.path.replace(/^condition\.?/, '') }))}
          update={(change) =>
            update((current) => (current.hook.condition ? { ...current, hook: { ...current.hook, condition: change(current.hook.condition) } } : current))
          }
        />
      ) : (
        <div className="script">
          <Field label="Script kind">
            {(id) => (
              <select
                id={id}
                value={scriptKind}
                onChange={(e) =>
                  set(
                    'script',
                    (e.target.value === 'inline'
                      ? { inline: '#!/bin/sh\n' }
                      : e.target.value === 'command'
                        ? { command: 'true' }
                        : { path: '/usr/local/bin/my-hook', args: [] }) satisfies Script,
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
              <CodeEditor labelledBy={editorLabel} value={hook.script?.inline ?? ''} onChange={(text) => set('script', { inline: text })} />
              <FieldProblems problems={problemsAt(problems, 'script')} />
            </div>
          ) : scriptKind === 'command' ? (
            <Field label="Command" problems={problemsAt(problems, 'script')}>
              {(id) => <input id={id} className="mono" value={hook.script?.command ?? ''} onChange={(e) => set('script', { command: e.target.value })} />}
            </Field>
          ) : (
            <Field label="Script file" problems={problemsAt(problems, 'script')}>
              {(id) => (
                <input
                  id={id}
                  className="mono"
                  value={hook.script?.path ?? ''}
                  onChange={(e) => update((current) => ({ ...current, hook: { ...current.hook, script: { ...current.hook.script, path: e.target.value } } }))}
                />
              )}
            </Field>
          )}
          <Field label="Environment (KEY=value, one per line)" problems={problemsAt(problems, 'env')}>
            {(id) => (
              <textarea
                id={id}
                rows={Math.max(2, item.envText.split('\n').length)}
                className="mono"
                spellCheck={false}
                value={item.envText}
                onChange={(e) => {
                  const envText = e.target.value;
                  update((current) => ({ ...current, envText }));
                }}
              />
            )}
          </Field>
          <Field label="Passed on from Lifeboat's environment (names; NAME_* for all starting so)" problems={problemsAt(problems, 'inheritEnv')}>
            {(id) => (
              <input
                id={id}
                className="mono"
                spellCheck={false}
                placeholder="e.g. SSH_AUTH_SOCK AWS_PROFILE"
                value={item.inheritText}
                onChange={(e) => {
                  const inheritText = e.target.value;
                  update((current) => ({ ...current, inheritText }));
                }}
              />
            )}
          </Field>
        </div>
      )}
      <HookTestPanel hookId={name} state={props.test} onRun={props.onTest} />
    </article>
  );
}
