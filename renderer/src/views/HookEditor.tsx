import { useState } from 'react';
import type { HookTemplateView, Problem } from '../../../main/api/contract.ts';
import { eventInWords, HOOK_EVENTS } from '../../../main/api/vocabulary.ts';
import { ApiFailure } from '../api/client.ts';
import { useClient } from '../context.ts';
import { byId, pathOf, problemsUnder } from '../problem-path.ts';
import { useCall } from '../use-call.ts';
import { newCondition } from './hooks/ConditionForm.tsx';
import { HookForm } from './hooks/HookForm.tsx';
import type { HookTestState } from './hooks/HookTestPanel.tsx';
import { canMoveInGroup, type HookItem, type HookJson, hookGroup, hookItem, hookToJson, moveInGroup } from './plan-draft.ts';

export type HooksUpdate = (change: (hooks: HookItem[]) => HookItem[]) => void;

function uniqueId(base: string, hooks: HookItem[]): string {
  const taken = new Set(hooks.map((item) => item.hook.id));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

/** The hooks of a plan, listed per event (in words), each card keyed by its own uid. */
export function HookEditor({ planId, hooks, update, problems }: { planId: string; hooks: HookItem[]; update: HooksUpdate; problems: Problem[] }) {
  const client = useClient();
  const templates = useCall('templates.list', {}).data ?? [];
  const [gallery, setGallery] = useState(false);
  // Test output belongs to a hook's uid: it moves and goes with the hook, never stays at a position.
  const [tests, setTests] = useState<Record<string, HookTestState>>({});

  const add = (make: (current: HookItem[]) => HookJson[]) => update((current) => [...current, ...make(current).map(hookItem)]);
  const insertTemplate = (template: HookTemplateView) => {
    add((current) => {
      const taken = [...current];
      return template.hooks.map((hook) => {
        // A template's hook is a hook as written; the engine checks it like any other.
        const next = hookItem({ ...(hook as HookJson), id: uniqueId(String(hook.id), taken) });
        taken.push(next);
        return next.hook;
      });
    });
    setGallery(false);
  };

  const runTest = async (item: HookItem) => {
    const testId = `${String(item.hook.id).slice(0, 40)}-${Date.now()}`;
    const patch = (change: (state: HookTestState) => HookTestState) =>
      setTests((current) => ({ ...current, [item.uid]: change(current[item.uid] ?? { lines: [], busy: false }) }));
    patch(() => ({ lines: [], busy: true }));
    const off = client.on('hook-test.output', (payload) => {
      if (payload.testId === testId)
        patch((state) => ({ ...state, lines: [...state.lines.slice(-500), `${payload.stream === 'stderr' ? '! ' : ''}${payload.line}`] }));
    });
    try {
      const result = await client.call('hooks.test', { plan: planId, hook: hookToJson(item), testId });
      patch((state) => ({ ...state, verdict: result.verdict }));
    } catch (failure) {
      const text = failure instanceof ApiFailure ? [failure.message, ...failure.problems.map((p) => `${p.path}: ${p.message}`)].join(' ') : String(failure);
      patch((state) => ({ ...state, verdict: { kind: 'fail', text } }));
    } finally {
      off();
      patch((state) => ({ ...state, busy: false }));
    }
  };

  const groups = [...HOOK_EVENTS, ...new Set(hooks.map((item) => hookGroup(item.hook)))]
    .filter((event, index, all) => all.indexOf(event) === index)
    .map((event) => ({ event, items: hooks.filter((item) => hookGroup(item.hook) === event) }))
    .filter((group) => group.items.length > 0);

  return (
    <section className="hooks" aria-labelledby="hooks-title">
      <div className="section-head">
        <h2 id="hooks-title">Hooks</h2>
        <div className="actions">
          <button
            type="button"
            onClick={() =>
              add((current) => [
                { id: uniqueId('script', current), on: ['backup.before'], script: { inline: '#!/bin/sh\necho "Preparing $LIFEBOAT_PLAN_NAME"\n' } },
              ])
            }
          >
            + Script
          </button>
          <button
            type="button"
            onClick={() => add((current) => [{ id: uniqueId('condition', current), on: ['run.start'], condition: newCondition('battery') }])}
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
          <h3 title={group.event}>{eventInWords(group.event)}</h3>
          {group.items.map((item) => (
            <HookForm
              key={item.uid}
              item={item}
              problems={problemsUnder(problems, pathOf('hooks', byId(item.uid)))}
              update={(change) => update((current) => current.map((candidate) => (candidate.uid === item.uid ? change(candidate) : candidate)))}
              onRemove={() => {
                update((current) => current.filter((candidate) => candidate.uid !== item.uid));
                setTests((current) => {
                  const { [item.uid]: _gone, ...rest } = current;
                  return rest;
                });
              }}
              onMove={(by) => update((current) => moveInGroup(current, item.uid, by))}
              canMoveUp={canMoveInGroup(hooks, item.uid, -1)}
              canMoveDown={canMoveInGroup(hooks, item.uid, 1)}
              test={tests[item.uid]}
              onTest={() => void runTest(item)}
            />
          ))}
        </div>
      ))}
    </section>
  );
}
