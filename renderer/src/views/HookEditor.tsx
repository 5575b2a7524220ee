import { useState } from 'react';
import type { EventPayload, HookTemplateView, Problem } from '../../../main/api/contract.ts';
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

/** The live preview keeps this many lines, each at most this long, and is drawn at most this often. */
const PREVIEW_LINES = 500;
const PREVIEW_LINE_CHARS = 2000;
const PREVIEW_DRAW_MS = 100;

const stderrMark = (stream: 'stdout' | 'stderr') => (stream === 'stderr' ? '! ' : '');
const linesLeftOut = (count: number) => `[… ${count} ${count === 1 ? 'line' : 'lines'} left out …]`;

/**
 * A test's last lines as they arrive, bounded in lines and characters whatever the hook prints.
 * Where lines were left out (by the server's preview or by this bound) it says how many.
 */
class LivePreview {
  private entries: Array<{ text: string; lines: number }> = [];
  private dropped = 0;

  push(payload: EventPayload<'hook-test.output'>): void {
    if (payload.linesLeftOut) this.entries.push({ text: linesLeftOut(payload.linesLeftOut), lines: payload.linesLeftOut });
    const cut = (payload.charsLeftOut ?? 0) + Math.max(0, payload.line.length - PREVIEW_LINE_CHARS);
    const line = payload.line.slice(0, PREVIEW_LINE_CHARS);
    this.entries.push({ text: `${stderrMark(payload.stream)}${line}${cut > 0 ? ` [… ${cut} characters left out …]` : ''}`, lines: 1 });
    if (this.entries.length > PREVIEW_LINES * 2) this.trim();
  }

  lines(): string[] {
    this.trim();
    const texts = this.entries.map((entry) => entry.text);
    return this.dropped > 0 ? [linesLeftOut(this.dropped), ...texts] : texts;
  }

  private trim(): void {
    if (this.entries.length <= PREVIEW_LINES) return;
    const gone = this.entries.splice(0, this.entries.length - PREVIEW_LINES);
    for (const entry of gone) this.dropped += entry.lines;
  }
}

/** The time stamp and stream the engine puts before each line it keeps. */
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (stdout|stderr) /;

/** A test's output as the answer carries it, shown as the preview was: stderr marked, time stamps left out. */
function outputLines(output: string): string[] {
  if (output === '') return [];
  return (output.endsWith('\n') ? output.slice(0, -1) : output).split('\n').map((line) => {
    const stamp = STAMP.exec(line);
    return stamp ? `${stderrMark(stamp[1] as 'stdout' | 'stderr')}${line.slice(stamp[0].length)}` : line;
  });
}

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
    // While the test runs its lines are a bounded preview, drawn a few times a second.
    const preview = new LivePreview();
    let drawing: ReturnType<typeof setTimeout> | undefined;
    const off = client.on('hook-test.output', (payload) => {
      if (payload.testId !== testId) return;
      preview.push(payload);
      drawing ??= setTimeout(() => {
        drawing = undefined;
        patch((state) => ({ ...state, lines: preview.lines() }));
      }, PREVIEW_DRAW_MS);
    });
    const stop = () => {
      off();
      clearTimeout(drawing);
    };
    try {
      const result = await client.call('hooks.test', { plan: planId, hook: hookToJson(item), testId });
      stop();
      // The answer's output is the whole of it (bounded by the engine, which says where): it replaces the preview.
      patch((state) => ({ ...state, lines: outputLines(result.output), verdict: result.verdict }));
    } catch (failure) {
      stop();
      const text = failure instanceof ApiFailure ? [failure.message, ...failure.problems.map((p) => `${p.path}: ${p.message}`)].join(' ') : String(failure);
      const lines = preview.lines();
      patch((state) => ({
        ...state,
        lines: lines.length > 0 ? [...lines, "[… the live preview only: the test's full output did not arrive …]"] : [],
        verdict: { kind: 'fail', text },
      }));
    } finally {
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
