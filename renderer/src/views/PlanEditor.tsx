import { useCallback, useEffect, useRef, useState } from 'react';
import type { Problem } from '../../../main/api/contract.ts';
import { ApiFailure } from '../api/client.ts';
import { ErrorBanner, Field, problemsAt } from '../components/common.tsx';
import { navigate, useClient } from '../context.ts';
import { formatTime } from '../format.ts';
import { type HookJson, HookList } from './HookEditor.tsx';

// biome-ignore lint/suspicious/noExplicitAny: the config is edited as the JSON document it is
type Json = Record<string, any>;

export function PlanEditor({ planId }: { planId: string }) {
  const client = useClient();
  const [config, setConfig] = useState<Json>();
  const [draft, setDraft] = useState<Json>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [preview, setPreview] = useState<{ sentence: string; next: string[]; problems: Problem[] }>();
  const dirty = useRef(false);
  const [desktop, setDesktop] = useState(false);
  useEffect(() => {
    void client.call('app.status', {}).then((status) => setDesktop(status.desktop));
  }, [client]);
  const draftKey = `lifeboat-draft-${planId}`;
  const [recovered, setRecovered] = useState<Json>();

  useEffect(() => {
    void client.call('config.get', {}).then(({ config: loaded }) => {
      setConfig(loaded);
      const stored = (loaded.plans as Json[] | undefined)?.find((plan) => plan.id === planId);
      setDraft(stored);
      // Edits left unsaved (the tab closed, another view opened) are offered back, never dropped.
      const kept = sessionStorage.getItem(draftKey);
      if (kept && kept !== JSON.stringify(stored)) setRecovered(JSON.parse(kept));
      else sessionStorage.removeItem(draftKey);
    });
  }, [client, planId, draftKey]);

  useEffect(() => {
    if (draft && dirty.current) sessionStorage.setItem(draftKey, JSON.stringify(draft));
  }, [draft, draftKey]);

  // Unsaved edits are never lost silently.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (dirty.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  const index = (config?.plans as Json[] | undefined)?.findIndex((plan) => plan.id === planId) ?? -1;
  const change = (key: string, value: unknown) => {
    dirty.current = true;
    setSaved(false);
    setDraft((current) => {
      const next = { ...current };
      if (value === undefined) delete next[key];
      else next[key] = value;
      return next;
    });
  };

  const schedule = draft?.schedule;
  useEffect(() => {
    if (draft === undefined) return;
    const timer = setTimeout(() => void client.call('schedule.preview', { schedule: schedule ?? null }).then(setPreview), 250);
    return () => clearTimeout(timer);
  }, [client, schedule, draft === undefined]);

  // Problems as you type: unknown {{…}} names, bad durations, all from the engine's own validation.
  const validate = useCallback(
    async (plan: Json) => {
      if (!config) return;
      const plans = [...(config.plans as Json[])];
      plans[index] = plan;
      const result = await client.call('config.validate', { config: { ...config, plans } });
      setProblems(
        result.problems
          .filter((p) => p.path.startsWith(`plans[${index}]`))
          .map((p) => ({ ...p, path: p.path.replace(`plans[${index}].`, '').replace(`plans[${index}]`, '') })),
      );
    },
    [client, config, index],
  );
  useEffect(() => {
    if (!draft) return;
    const timer = setTimeout(() => void validate(draft), 300);
    return () => clearTimeout(timer);
  }, [draft, validate]);

  if (!config || !draft) return <p>{config ? `There is no plan "${planId}".` : 'Loading…'}</p>;

  const save = async () => {
    setError(undefined);
    const plans = [...(config.plans as Json[])];
    plans[index] = draft;
    try {
      await client.call('config.save', { config: { ...config, plans } });
      dirty.current = false;
      sessionStorage.removeItem(draftKey);
      setSaved(true);
      setProblems([]);
      setConfig({ ...config, plans });
    } catch (failure) {
      if (failure instanceof ApiFailure) {
        setError(`${failure.message} See the fields marked below.`);
        setProblems(failure.problems.filter((p) => p.path.startsWith(`plans[${index}]`)).map((p) => ({ ...p, path: p.path.replace(`plans[${index}].`, '') })));
      } else setError(String(failure));
    }
  };

  const scheduleMode = schedule === null || schedule === undefined ? 'manual' : 'every' in schedule ? 'every' : 'cron';
  const retention: Json = draft.retention ?? {};
  const lines = (value: string) =>
    value
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);

  return (
    <section aria-labelledby="editor-title" className="editor">
      <div className="section-head">
        <h1 id="editor-title">Plan: {draft.name ?? draft.id}</h1>
        <div className="actions">
          <button type="button" onClick={() => navigate('/')}>
            Back
          </button>
          <button type="button" className="primary" onClick={save}>
            Save plan
          </button>
        </div>
      </div>
      <ErrorBanner error={error} />
      {recovered ? (
        <div className="banner banner-paused" role="status">
          You have changes to this plan that were not saved.{' '}
          <button
            type="button"
            onClick={() => {
              dirty.current = true;
              setDraft(recovered);
              setRecovered(undefined);
            }}
          >
            Restore them
          </button>{' '}
          <button
            type="button"
            onClick={() => {
              sessionStorage.removeItem(draftKey);
              setRecovered(undefined);
            }}
          >
            Discard them
          </button>
        </div>
      ) : null}
      {saved ? (
        <div className="banner banner-ok" role="status">
          Saved.
        </div>
      ) : null}
      <div className="card form">
        <Field label="Name" problems={problemsAt(problems, 'name')}>
          {(id) => <input id={id} value={draft.name ?? ''} onChange={(e) => change('name', e.target.value)} />}
        </Field>
        <Field label="Folders to back up (one per line)" problems={problemsAt(problems, 'sources')}>
          {(id) => (
            <textarea id={id} rows={3} className="mono" value={(draft.sources ?? []).join('\n')} onChange={(e) => change('sources', lines(e.target.value))} />
          )}
        </Field>
        {desktop ? (
          <button
            type="button"
            onClick={() =>
              void client
                .call('desktop.pickFolder', {})
                .then(({ path }) => path && change('sources', [...((draft.sources as string[] | undefined) ?? []), path]))
            }
          >
            Add a folder…
          </button>
        ) : null}
        <Field label="Leave out (patterns, one per line)" problems={problemsAt(problems, 'excludes')}>
          {(id) => (
            <textarea id={id} rows={2} className="mono" value={(draft.excludes ?? []).join('\n')} onChange={(e) => change('excludes', lines(e.target.value))} />
          )}
        </Field>
        <div className="grid">
          <Field label="Schedule">
            {(id) => (
              <select
                id={id}
                value={scheduleMode}
                onChange={(e) => change('schedule', e.target.value === 'manual' ? null : e.target.value === 'every' ? { every: '6h' } : { cron: '0 * * * *' })}
              >
                <option value="cron">at times (cron)</option>
                <option value="every">every … after the last run</option>
                <option value="manual">only when I ask</option>
              </select>
            )}
          </Field>
          {scheduleMode === 'cron' ? (
            <Field label="Cron expression" problems={problemsAt(problems, 'schedule')}>
              {(id) => <input id={id} className="mono" value={schedule.cron} onChange={(e) => change('schedule', { ...schedule, cron: e.target.value })} />}
            </Field>
          ) : null}
          {scheduleMode === 'every' ? (
            <Field label="Every" problems={problemsAt(problems, 'schedule')}>
              {(id) => <input id={id} value={schedule.every} onChange={(e) => change('schedule', { every: e.target.value })} />}
            </Field>
          ) : null}
        </div>
        <div className="schedule-preview" aria-live="polite">
          {preview?.problems.length ? (
            <p className="problem">{preview.problems.map((p) => p.message).join('; ')}</p>
          ) : preview ? (
            <>
              <p>
                <strong>{preview.sentence}</strong>
              </p>
              {preview.next.length ? (
                <ol className="next-runs" aria-label="Next runs">
                  {preview.next.map((time) => (
                    <li key={time}>{formatTime(time)}</li>
                  ))}
                </ol>
              ) : null}
            </>
          ) : null}
        </div>
        <fieldset>
          <legend>Keep</legend>
          <div className="grid">
            {(
              [
                ['keepLast', 'last snapshots'],
                ['keepDaily', 'daily'],
                ['keepWeekly', 'weekly'],
                ['keepMonthly', 'monthly'],
              ] as const
            ).map(([key, label]) => (
              <Field key={key} label={label} problems={problemsAt(problems, `retention.${key}`)}>
                {(id) => (
                  <input
                    id={id}
                    type="number"
                    min={1}
                    value={retention[key] ?? ''}
                    onChange={(e) => {
                      const next = { ...retention };
                      if (Number.isNaN(e.target.valueAsNumber)) delete next[key];
                      else next[key] = e.target.valueAsNumber;
                      change('retention', Object.keys(next).length ? next : undefined);
                    }}
                  />
                )}
              </Field>
            ))}
          </div>
        </fieldset>
        <Field label="Check the repository every" problems={problemsAt(problems, 'check')} hint="Leave empty to never check automatically.">
          {(id) => (
            <input
              id={id}
              value={draft.check?.every ?? ''}
              placeholder="7d"
              onChange={(e) => change('check', e.target.value ? { ...draft.check, every: e.target.value } : undefined)}
            />
          )}
        </Field>
      </div>
      <HookList
        planId={planId}
        hooks={(draft.hooks ?? []) as HookJson[]}
        problems={problems}
        onChange={(hooks) => change('hooks', hooks.length ? hooks : undefined)}
      />
      <div className="actions end">
        <button type="button" className="primary" onClick={save}>
          Save plan
        </button>
      </div>
    </section>
  );
}
