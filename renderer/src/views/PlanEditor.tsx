import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Problem } from '../../../main/api/contract.ts';
import { APPEND_ONLY_RETENTION } from '../../../main/api/vocabulary.ts';
import { ApiFailure, LifeboatUnreachable } from '../api/client.ts';
import { ErrorBanner, Field, problemsAt } from '../components/common.tsx';
import { FieldProblems } from '../components/FieldProblem.tsx';
import { ListEditor, type RowsUpdate } from '../components/ListEditor.tsx';
import { RetentionPreview, useRetentionConfirm } from '../components/RetentionPreview.tsx';
import { navigate, useClient } from '../context.ts';
import { formatTime } from '../format.ts';
import { byId, formatPath, listProblems, parsePath, pathOf, problemsUnder } from '../problem-path.ts';
import { useCall } from '../use-call.ts';
import { rebaseDraft, sameJson } from './draft-rebase.ts';
import { HookEditor, type HooksUpdate } from './HookEditor.tsx';
import { MonitorEditor, type MonitorsUpdate, monitorName } from './MonitorEditor.tsx';
import {
  type ConfigJson,
  draftFromPlan,
  fingerprint,
  keptRows,
  localProblems,
  maskedPlan,
  maskSavedSecrets,
  type PlanDraft,
  type PlanJson,
  planFromDraft,
  problemsForDraft,
  withoutBlankRows,
  withoutTypedSecrets,
} from './plan-draft.ts';

const VALIDATE_AFTER_MS = 300;
/** How long the editor waits for its first folder check before it draws without it. */
const FIRST_CHECK_MS = 1500;

/** A problem's place, as a person finds it in the form: `hook dump › timeout`, `folder "/x"`. */
function whereInWords(text: string, draft: PlanDraft): string {
  const [list, item, ...rest] = parsePath(text);
  if ((list !== 'sources' && list !== 'excludes' && list !== 'hooks' && list !== 'monitors') || typeof item !== 'object') return text || 'the plan';
  const tail = rest.length ? ` › ${formatPath(rest)}` : '';
  if (list === 'monitors') {
    const at = draft.monitors.findIndex((monitor) => monitor.id === item.id);
    if (at === -1) return `monitor ${item.id}${tail}`;
    const [field, header] = rest;
    const row = field === 'headers' && typeof header === 'object' ? draft.monitors[at]!.headers.find((candidate) => candidate.uid === header.id) : undefined;
    return `${monitorName(at, draft.monitors[at]!)}${row ? ` › header ${JSON.stringify(row.name)}` : tail}`;
  }
  if (list === 'hooks') return `hook ${draft.hooks.find((hook) => hook.uid === item.id)?.hook.id ?? ''}${tail}`;
  const row = draft[list].find((candidate) => candidate.uid === item.id);
  return `${list === 'sources' ? 'folder' : 'leave out'} ${JSON.stringify(row?.value ?? '')}${tail}`;
}

/** Where two versions of a plan differ (`retention.keepLast`), in words. */
const PART_WORDS: Record<string, string> = {
  name: 'The name',
  enabled: 'Whether it runs',
  repository: 'The repository',
  sources: 'The folders',
  excludes: 'What is left out',
  schedule: 'The schedule',
  retention: 'What is kept',
  hooks: 'The hooks',
  monitors: 'The monitors',
  notifications: 'The notifications',
};

function partInWords(path: string): string {
  const [first = '', ...rest] = path.split('.');
  return `${PART_WORDS[first] ?? first}${rest.length ? ` (${rest.join('.')})` : ''}`;
}

export function PlanEditor({ planId }: { planId: string }) {
  const client = useClient();
  const [config, setConfig] = useState<ConfigJson>();
  /** The plan as it is on disk: Discard goes back to exactly this. */
  const [savedPlan, setSavedPlan] = useState<PlanJson>();
  const [draft, setDraft] = useState<PlanDraft>();
  const [validation, setValidation] = useState<{ draft: PlanDraft; problems: Problem[]; outside: Problem[] }>();
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  const [preview, setPreview] = useState<{ sentence: string; next: string[]; problems: Problem[] }>();
  const desktop = useCall('app.status', {}).data?.desktop ?? false;
  const repositories = useCall('repositories.list', {}).data ?? [];
  const [missing, setMissing] = useState<Set<string>>(new Set());
  const draftKey = `lifeboat-draft-${planId}`;
  const [recovered, setRecovered] = useState<PlanJson>();
  /** Whether the plan was saved since the recovered edit was made, and the parts both changed. */
  const [changedSince, setChangedSince] = useState<{ conflicts: string[] }>();
  const [secretsLeftOut, setSecretsLeftOut] = useState(false);
  // The unsaved edit kept for a reload, without the monitor secrets typed (said so beside it), with
  // the version it was made to: restored over a newer one, it changes only what the edit changed.
  const secretsLeftOutKey = `${draftKey}:secrets-left-out`;
  const draftBaseKey = `${draftKey}:base`;
  const keepDraft = (edited: PlanJson, base: PlanJson) => {
    const { plan: kept, dropped } = withoutTypedSecrets(edited);
    sessionStorage.setItem(draftKey, JSON.stringify(kept));
    sessionStorage.setItem(draftBaseKey, JSON.stringify(base));
    if (dropped) sessionStorage.setItem(secretsLeftOutKey, '1');
    else sessionStorage.removeItem(secretsLeftOutKey);
  };
  const forgetDraft = () => {
    sessionStorage.removeItem(draftKey);
    sessionStorage.removeItem(draftBaseKey);
    sessionStorage.removeItem(secretsLeftOutKey);
  };
  // Which version of the file this page edits: a save over a newer one is refused, never a silent clobber.
  const [revision, setRevision] = useState<string>();
  const retentionConfirm = useRetentionConfirm(planId);

  /** The folders the first draw was checked for: the check after it is not asked again. */
  const firstChecked = useRef<string>(undefined);

  useEffect(() => {
    let current = true;
    void client
      .call('config.get', {})
      .then(async ({ config: loaded, revision: loadedRevision }) => {
        const stored = (loaded as ConfigJson).plans?.find((plan) => plan.id === planId);
        const first = stored ? draftFromPlan(stored) : undefined;
        // The warnings of missing folders are part of the first draw: rows that moved down a moment after
        // they were drawn would take a press (a click begun on one row and ended on another) away from the person.
        const paths = first ? keptRows(first.sources).map((row) => row.value) : [];
        const gone = paths.length
          ? await Promise.race([
              client.call('paths.check', { paths }).then(
                (answer) => answer.missing,
                () => undefined,
              ),
              new Promise<undefined>((resolve) => setTimeout(resolve, FIRST_CHECK_MS)),
            ])
          : undefined;
        if (!current) return;
        if (gone) {
          firstChecked.current = JSON.stringify(paths);
          setMissing(new Set(gone));
        }
        setConfig(loaded as ConfigJson); // the file as written; the engine validates it, the editor shows its problems
        setRevision(loadedRevision);
        setSavedPlan(stored);
        setDraft(first);
        // Edits left unsaved (the tab closed, another view opened) are offered back, never dropped.
        const kept = sessionStorage.getItem(draftKey);
        if (kept && kept !== JSON.stringify(stored)) {
          const edited = JSON.parse(kept) as PlanJson;
          const base = sessionStorage.getItem(draftBaseKey);
          const madeTo = base ? (JSON.parse(base) as PlanJson) : undefined;
          if (madeTo && stored && !sameJson(madeTo, stored)) {
            // Saved since (another tab, the file edited by hand): only what the edit changed is put back.
            const rebased = rebaseDraft(madeTo, edited, stored);
            setRecovered(rebased.plan);
            setChangedSince({ conflicts: rebased.conflicts });
          } else setRecovered(edited);
          setSecretsLeftOut(sessionStorage.getItem(secretsLeftOutKey) !== null);
        } else forgetDraft();
      })
      .catch((failure: unknown) => {
        if (current) setError(String(failure));
      });
    return () => {
      current = false;
    };
  }, [client, planId, draftKey]);

  const dirty = useMemo(() => (draft && savedPlan ? fingerprint(draft) !== fingerprint(draftFromPlan(savedPlan)) : false), [draft, savedPlan]);
  const plan = useMemo(() => (draft ? planFromDraft(draft) : undefined), [draft]);

  // Asked again after a save too: an edit made while the save was on its way stays kept.
  useEffect(() => {
    if (!plan || !savedPlan) return;
    if (dirty) keepDraft(plan, savedPlan);
    else if (!recovered) forgetDraft();
  }, [plan, savedPlan, dirty, draftKey, recovered]);

  // Unsaved edits are never lost silently.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (dirty) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const index = config?.plans?.findIndex((candidate) => candidate.id === planId) ?? -1;
  const configWith = useCallback(
    (next: PlanJson): ConfigJson => {
      const plans = [...(config?.plans ?? [])];
      plans[index] = next;
      return { version: 1, ...config, plans };
    },
    [config, index],
  );

  // The engine's own validation, as you type: each problem shown at its field, by item identity.
  const check = useCallback(
    async (snapshot: PlanDraft) => {
      const { problems } = await client.call('config.validate', { config: configWith(planFromDraft(snapshot)) });
      const mapped = problemsForDraft(problems, index, snapshot);
      return { draft: snapshot, problems: mapped.inPlan, outside: mapped.outside };
    },
    [client, configWith, index],
  );
  useEffect(() => {
    if (!draft || !config) return;
    let current = true;
    const timer = setTimeout(
      () =>
        void check(draft).then(
          (result) => {
            if (current) setValidation(result);
          },
          () => undefined, // no answer (Lifeboat stopped): the last check stays shown, and Save checks again
        ),
      VALIDATE_AFTER_MS,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [draft, config, check]);

  const schedule = draft?.plan.schedule;
  useEffect(() => {
    if (!draft) return;
    const timer = setTimeout(() => void client.call('schedule.preview', { schedule: schedule ?? null }).then(setPreview, () => undefined), 250);
    return () => clearTimeout(timer);
  }, [client, schedule, draft === undefined]);

  // A folder that is not there is worth a word next to its row, not a refusal.
  const sourceValues = JSON.stringify(draft ? keptRows(draft.sources).map((row) => row.value) : []);
  useEffect(() => {
    const paths = JSON.parse(sourceValues) as string[];
    if (!paths.length) return;
    if (sourceValues === firstChecked.current) {
      firstChecked.current = undefined;
      return;
    }
    let current = true;
    const timer = setTimeout(
      () =>
        void client
          .call('paths.check', { paths })
          .then(({ missing: gone }) => current && setMissing(new Set(gone)))
          .catch(() => undefined),
      VALIDATE_AFTER_MS,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, sourceValues]);

  const completeFolder = useCallback((prefix: string) => client.call('paths.complete', { prefix }).then(({ entries }) => entries), [client]);

  if (!config) return error ? <ErrorBanner error={error} /> : <p>Loading…</p>;
  if (!draft || !savedPlan) return <p>There is no plan "{planId}".</p>;

  const edit = (change: (current: PlanDraft) => PlanDraft) => {
    setSaved(false);
    setDraft((current) => (current ? change(current) : current));
  };
  const change = <K extends keyof PlanJson>(key: K, value: PlanJson[K]) =>
    edit((current) => {
      const next = { ...current.plan };
      if (value === undefined) delete next[key];
      else next[key] = value;
      return { ...current, plan: next };
    });
  const updateSources: RowsUpdate = (update) => edit((current) => ({ ...current, sources: update(current.sources) }));
  const updateExcludes: RowsUpdate = (update) => edit((current) => ({ ...current, excludes: update(current.excludes) }));
  const updateHooks: HooksUpdate = (update) => edit((current) => ({ ...current, hooks: update(current.hooks) }));
  const updateMonitors: MonitorsUpdate = (update) => edit((current) => ({ ...current, monitors: update(current.monitors) }));

  const local = localProblems(draft);
  const fromEngine = validation?.problems ?? [];
  // Where the form has its own sentence for a field, the engine's about the same field is not shown beside it.
  const localPaths = new Set(local.map((problem) => problem.path));
  const problems = [...fromEngine.filter((problem) => !localPaths.has(problem.path)), ...local];
  const upToDate = validation?.draft === draft;
  const blocked = local.length > 0 || (upToDate && (fromEngine.length > 0 || (validation?.outside.length ?? 0) > 0));

  const save = async () => {
    setError(undefined);
    setSaved(false);
    const snapshot = draft;
    if (localProblems(snapshot).length) {
      setError('Nothing was saved: fix the fields marked below first.');
      return;
    }
    setSaving(true);
    try {
      // Checked as a whole first: a draft with problems saves nothing at all.
      const result = await check(snapshot);
      setValidation(result);
      if (result.problems.length || result.outside.length) {
        setError(
          result.outside.length
            ? `Nothing was saved: ${result.outside.map((p) => `${p.path}: ${p.message}`).join('; ')}`
            : 'Nothing was saved: fix the fields marked below first.',
        );
        return;
      }
      const next = planFromDraft(snapshot);
      // A policy that removes more than half of the snapshots is saved only once the person says so.
      if (!(await retentionConfirm.ask(next.retention, savedPlan.retention))) return;
      const answer = await client.call('config.save', { config: configWith(next), revision });
      setRevision(answer.revision);
      forgetDraft();
      // The secrets just saved leave the page: they are on disk, and the page keeps masks as after a reload.
      const masked = maskedPlan(next);
      setConfig(configWith(masked));
      setSavedPlan(masked);
      // A row of only spaces was not saved: unless the person edited on meanwhile, the form shows exactly what was.
      setDraft((current) => (current ? maskSavedSecrets(current === snapshot ? withoutBlankRows(current) : current, next) : current));
      setSaved(true);
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.status === 409) {
        // The file changed on disk meanwhile: the edits stay here and in this tab's saved draft.
        setError(`${failure.message} Your edits are offered back after the reload.`);
      } else if (failure instanceof ApiFailure) {
        setError(`${failure.message} See the fields marked below.`);
        const mapped = problemsForDraft(failure.problems, index, snapshot);
        setValidation({ draft: snapshot, problems: mapped.inPlan, outside: mapped.outside });
      } else if (failure instanceof LifeboatUnreachable) {
        // No answer came: the save may or may not have reached the file; the edits stay here either way.
        setError(`${failure.message} Your edits are still here.`);
      } else setError(String(failure));
    } finally {
      setSaving(false);
    }
  };

  const discard = () => {
    forgetDraft();
    setError(undefined);
    setSaved(false);
    setDraft(draftFromPlan(savedPlan));
  };

  const scheduleMode = schedule === null || schedule === undefined ? 'manual' : 'every' in schedule ? 'every' : 'cron' in schedule ? 'cron' : 'mount';
  // The drive-arrival keys ride along when the time-based part changes.
  const arrival =
    schedule && schedule.onMount !== undefined
      ? { onMount: schedule.onMount, ...(schedule.minInterval === undefined ? {} : { minInterval: schedule.minInterval }) }
      : {};
  const arrivalPath = pathOf('schedule', 'onMount');
  const intervalPath = pathOf('schedule', 'minInterval');
  const timedProblems = problemsAt(problems, 'schedule').filter((p) => problemsAt([p], arrivalPath).length === 0 && problemsAt([p], intervalPath).length === 0);
  const changeArrival = (onMount: string, minInterval: string | undefined) => {
    if (!schedule) return;
    const timed =
      'cron' in schedule
        ? { cron: schedule.cron, ...(schedule.timezone === undefined ? {} : { timezone: schedule.timezone }) }
        : 'every' in schedule
          ? { every: schedule.every }
          : undefined;
    const mount = onMount === '' && timed ? {} : { onMount, ...(minInterval ? { minInterval } : {}) };
    change('schedule', timed ? { ...timed, ...mount } : { onMount, ...mount });
  };
  const retention = draft.plan.retention ?? {};
  const knownRepository = repositories.some((repository) => repository.id === draft.plan.repository);
  const appendOnly = repositories.some((repository) => repository.id === draft.plan.repository && repository.appendOnly);
  const copyTo = draft.plan.copyTo ?? [];
  const copyTargetId = (target: (typeof copyTo)[number]) => (typeof target === 'string' ? target : target.repository);
  const saveButton = (
    <button type="button" className="primary" onClick={save} disabled={blocked || saving} title={blocked ? 'Fix the fields marked in red first' : undefined}>
      Save plan
    </button>
  );

  return (
    <section aria-labelledby="editor-title" className="editor">
      <div className="section-head">
        <h1 id="editor-title">Plan: {draft.plan.name ?? draft.plan.id}</h1>
        <div className="actions">
          <button type="button" onClick={() => navigate('/')}>
            Back
          </button>
          <button type="button" onClick={discard} disabled={!dirty}>
            Discard changes
          </button>
          {saveButton}
        </div>
      </div>
      <ErrorBanner error={error} />
      {retentionConfirm.panel}
      {blocked ? (
        <div className="problem-summary" aria-live="polite">
          <p>Save is waiting for these to be fixed:</p>
          <ul>
            {[...problems, ...(upToDate ? (validation?.outside ?? []) : [])].map((problem) => (
              <li key={problem.path + problem.message}>
                <strong>{whereInWords(problem.path, draft)}</strong>: {problem.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {recovered ? (
        <div className="banner banner-paused" role="status">
          You have changes to this plan that were not saved
          {secretsLeftOut ? ' (secrets typed into monitors were not kept: type them again after restoring)' : ''}.{' '}
          {changedSince ? (
            <>
              The plan was saved elsewhere since you made them: restoring puts back only what you changed, on top of what was saved.
              {changedSince.conflicts.length
                ? ` ${changedSince.conflicts.map(partInWords).join(', ')} changed on both sides: restoring puts yours over the saved one.`
                : ''}{' '}
            </>
          ) : null}
          <button
            type="button"
            onClick={() => {
              setDraft(draftFromPlan(recovered));
              setRecovered(undefined);
              setChangedSince(undefined);
            }}
          >
            Restore them
          </button>{' '}
          <button
            type="button"
            onClick={() => {
              forgetDraft();
              setRecovered(undefined);
              setChangedSince(undefined);
            }}
          >
            Discard them
          </button>
        </div>
      ) : null}
      {saved && !dirty ? (
        <div className="banner banner-ok" role="status">
          Saved.
        </div>
      ) : dirty ? (
        <p className="hint unsaved" role="status">
          Unsaved changes.
        </p>
      ) : null}
      <div className="card form">
        <Field label="Name" problems={problemsAt(problems, 'name')}>
          {(id) => <input id={id} value={draft.plan.name ?? ''} onChange={(e) => change('name', e.target.value)} />}
        </Field>
        <Field label="Repository" problems={problemsAt(problems, 'repository')}>
          {(id) => (
            <select
              id={id}
              value={draft.plan.repository ?? ''}
              onChange={(e) => {
                const chosen = e.target.value;
                change('repository', chosen);
                // The plan's own repository is never its second copy too.
                const rest = copyTo.filter((target) => copyTargetId(target) !== chosen);
                if (rest.length !== copyTo.length) change('copyTo', rest.length ? rest : undefined);
              }}
            >
              {knownRepository ? null : <option value={draft.plan.repository ?? ''}>{draft.plan.repository || '(choose a repository)'}</option>}
              {repositories.map((repository) => (
                <option key={repository.id} value={repository.id}>
                  {repository.name} ({repository.url})
                </option>
              ))}
            </select>
          )}
        </Field>
        <ListEditor
          label="Folders to back up"
          itemLabel="Folder to back up"
          addLabel="+ Add a folder"
          placeholder="/home/me/Documents"
          rows={draft.sources}
          onChange={updateSources}
          problems={listProblems(problems, pathOf('sources'))}
          rowProblems={(row) => problemsUnder(problems, pathOf('sources', byId(row.uid)))}
          rowWarning={(row) =>
            missing.has(row.value)
              ? {
                  mark: 'not on this computer',
                  sentence: 'This folder is not on this computer (yet); a backup fails until it is there (mount the drive it is on).',
                }
              : undefined
          }
          complete={desktop ? undefined : completeFolder}
        />
        {desktop ? (
          <button
            type="button"
            onClick={() =>
              void client.call('desktop.pickFolder', {}).then(
                ({ path }) => {
                  if (path) updateSources((rows) => [...rows.filter((row) => row.value.trim() !== ''), { uid: crypto.randomUUID(), value: path }]);
                },
                (failure: unknown) => setError(String(failure)),
              )
            }
          >
            Choose a folder…
          </button>
        ) : null}
        <ListEditor
          label="Leave out (patterns)"
          itemLabel="Leave out"
          addLabel="+ Add a pattern"
          placeholder="*.tmp"
          rows={draft.excludes}
          onChange={updateExcludes}
          problems={listProblems(problems, pathOf('excludes'))}
          rowProblems={(row) => problemsUnder(problems, pathOf('excludes', byId(row.uid)))}
        />
        <div className="grid">
          <Field label="Schedule">
            {(id) => (
              <select
                id={id}
                value={scheduleMode}
                onChange={(e) => {
                  const mode = e.target.value;
                  if (mode === 'manual') change('schedule', null);
                  else if (mode === 'every') change('schedule', { every: '6h', ...arrival });
                  else if (mode === 'cron') change('schedule', { cron: '0 * * * *', ...arrival });
                  else change('schedule', { onMount: '/media/', ...arrival });
                }}
              >
                <option value="cron">at times (cron)</option>
                <option value="every">every … after the last run</option>
                <option value="mount">only when a drive is plugged in</option>
                <option value="manual">only when I ask</option>
              </select>
            )}
          </Field>
          {scheduleMode === 'cron' ? (
            <Field label="Cron expression" problems={timedProblems}>
              {(id) => (
                <input
                  id={id}
                  className="mono"
                  value={schedule && 'cron' in schedule ? schedule.cron : ''}
                  onChange={(e) => change('schedule', { ...schedule, cron: e.target.value })}
                />
              )}
            </Field>
          ) : null}
          {scheduleMode === 'every' ? (
            <Field label="Every" problems={timedProblems}>
              {(id) => (
                <input
                  id={id}
                  value={schedule && 'every' in schedule ? schedule.every : ''}
                  onChange={(e) => change('schedule', { every: e.target.value, ...arrival })}
                />
              )}
            </Field>
          ) : null}
          {scheduleMode !== 'manual' ? (
            <Field
              label={scheduleMode === 'mount' ? 'When a drive is mounted at' : 'Also when a drive is mounted at'}
              problems={problemsAt(problems, arrivalPath)}
              hint={
                scheduleMode === 'mount'
                  ? 'The folder the drive appears at, e.g. /media/me/usb.'
                  : 'Optional: the folder a drive appears at, e.g. /media/me/usb.'
              }
            >
              {(id) => (
                <input
                  id={id}
                  className="mono"
                  placeholder="/media/me/usb"
                  value={schedule?.onMount ?? ''}
                  onChange={(e) => changeArrival(e.target.value, schedule?.minInterval)}
                />
              )}
            </Field>
          ) : null}
          {schedule?.onMount !== undefined ? (
            <Field label="At most once every" problems={problemsAt(problems, intervalPath)} hint="Between two drive-arrival runs; empty means 1h.">
              {(id) => (
                <input
                  id={id}
                  placeholder="1h"
                  value={schedule.minInterval ?? ''}
                  onChange={(e) => changeArrival(schedule.onMount ?? '', e.target.value || undefined)}
                />
              )}
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
              <Field key={key} label={label} problems={problemsAt(problems, pathOf('retention', key))}>
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
          <RetentionPreview planId={planId} retention={draft.plan.retention} />
          {appendOnly ? (
            <p className="hint" role="note">
              The repository is append-only: {APPEND_ONLY_RETENTION}. Lifeboat never runs forget or prune there.
            </p>
          ) : null}
        </fieldset>
        <fieldset aria-label="Second copy">
          <legend>Second copy</legend>
          {repositories
            .filter((repository) => repository.id !== draft.plan.repository)
            .map((repository) => (
              <label className="inline" key={repository.id}>
                <input
                  type="checkbox"
                  checked={copyTo.some((target) => copyTargetId(target) === repository.id)}
                  onChange={(e) => {
                    const rest = copyTo.filter((target) => copyTargetId(target) !== repository.id);
                    const next = e.target.checked ? [...rest, repository.id] : rest;
                    change('copyTo', next.length ? next : undefined);
                  }}
                />{' '}
                After each backup, copy new snapshots to {repository.name}
                {repository.appendOnly ? ' (append-only)' : ''}
              </label>
            ))}
          <FieldProblems problems={problems} at={pathOf('copyTo')} />
        </fieldset>
        <Field label="Check the repository every" problems={problemsAt(problems, 'check')} hint="Leave empty to never check automatically.">
          {(id) => (
            <input
              id={id}
              value={draft.plan.check?.every ?? ''}
              placeholder="7d"
              onChange={(e) => change('check', e.target.value ? { ...draft.plan.check, every: e.target.value } : undefined)}
            />
          )}
        </Field>
        <Field
          label="Check a restore every"
          problems={problemsAt(problems, pathOf('verify', 'every'))}
          hint="Restores a sample of files after a backup and compares them with yours. Leave empty to check only when asked."
        >
          {(id) => (
            <input
              id={id}
              value={draft.plan.verify?.every ?? ''}
              placeholder="30d"
              onChange={(e) => change('verify', e.target.value ? { ...draft.plan.verify, every: e.target.value } : undefined)}
            />
          )}
        </Field>
        {draft.plan.verify ? (
          <Field label="Files sampled" problems={problemsAt(problems, pathOf('verify', 'sample'))} hint="1 to 1000; 20 when left empty.">
            {(id) => (
              <input
                id={id}
                type="number"
                min={1}
                max={1000}
                value={draft.plan.verify?.sample ?? ''}
                placeholder="20"
                onChange={(e) => {
                  const { sample: _sample, ...rest } = draft.plan.verify ?? { every: '' };
                  change('verify', Number.isNaN(e.target.valueAsNumber) ? rest : { ...rest, sample: e.target.valueAsNumber });
                }}
              />
            )}
          </Field>
        ) : null}
        <Field
          label="Warn when there was no backup for"
          problems={problemsAt(problems, 'alertAfter')}
          hint="A notification, the monitors and the tray say so (once a day). Empty: 3 days, or 3× the schedule's interval if longer."
        >
          {(id) => (
            <input
              id={id}
              value={draft.plan.alertAfter ?? ''}
              placeholder="3d"
              onChange={(e) => change('alertAfter', e.target.value.trim() ? e.target.value.trim() : undefined)}
            />
          )}
        </Field>
        <MonitorEditor monitors={draft.monitors} saved={savedPlan.monitors ?? []} problems={problems} update={updateMonitors} />
      </div>
      <HookEditor planId={planId} hooks={draft.hooks} problems={problems} update={updateHooks} />
      <div className="actions end">
        <button type="button" onClick={discard} disabled={!dirty}>
          Discard changes
        </button>
        {saveButton}
      </div>
    </section>
  );
}
