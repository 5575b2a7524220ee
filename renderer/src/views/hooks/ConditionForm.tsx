import type { Problem } from '../../../../main/api/contract.ts';
import { Field, problemsAt } from '../../components/common.tsx';
import type { Json } from '../plan-draft.ts';

export const CONDITIONS: Record<string, Json> = {
  battery: { type: 'battery', minPercent: 30 },
  acPower: { type: 'acPower' },
  online: { type: 'online', timeout: '3s' },
  path: { type: 'path', path: '/media/backup', mounted: true },
  timeWindow: { type: 'timeWindow', from: '22:00', to: '06:00' },
  diskSpace: { type: 'diskSpace', path: '/', minFree: '5GB' },
  networkUnmetered: { type: 'networkUnmetered' },
  idle: { type: 'idle', minIdle: '5m' },
};

const CONDITION_WORDS: Record<string, string> = {
  battery: 'battery level',
  acPower: 'on mains power',
  online: 'online',
  path: 'a path exists',
  timeWindow: 'inside a time window',
  diskSpace: 'enough free disk space',
  networkUnmetered: 'network not metered',
  idle: 'computer idle',
};

/** The options of one built-in condition; `update` gets a function of the current condition. */
export function ConditionForm({ condition, problems, update }: { condition: Json; problems: Problem[]; update: (change: (condition: Json) => Json) => void }) {
  const set = (key: string, value: unknown) =>
    update((current) => {
      const next = { ...current };
      if (value === undefined || value === '' || Number.isNaN(value)) delete next[key];
      else next[key] = value;
      return next;
    });
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
          <select id={id} value={condition.type} onChange={(e) => update(() => ({ ...CONDITIONS[e.target.value] }))}>
            {Object.keys(CONDITIONS).map((type) => (
              <option key={type} value={type}>
                {CONDITION_WORDS[type] ?? type}
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
