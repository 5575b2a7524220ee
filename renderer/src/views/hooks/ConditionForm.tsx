import type { Problem } from '../../../../main/api/contract.ts';
import { CONDITION_FACTS, CONDITION_TYPES, type ConditionField } from '../../../../main/api/vocabulary.ts';
import { Field, problemsAt } from '../../components/common.tsx';
import type { ConditionJson } from '../plan-draft.ts';

/** A new condition of a type, as the engine's catalogue says (its defaults pass the type's schema). */
export function newCondition(type: string): ConditionJson {
  const facts = Object.hasOwn(CONDITION_FACTS, type) ? CONDITION_FACTS[type as keyof typeof CONDITION_FACTS] : undefined;
  return facts ? { ...facts.defaults } : { type };
}

const fieldsOf = (type: string): readonly ConditionField[] =>
  Object.hasOwn(CONDITION_FACTS, type) ? CONDITION_FACTS[type as keyof typeof CONDITION_FACTS].fields : [];

/** The options of one built-in condition, drawn from the catalogue; `update` gets a function of the current condition. */
export function ConditionForm({
  condition,
  problems,
  update,
}: {
  condition: ConditionJson;
  problems: Problem[];
  update: (change: (condition: ConditionJson) => ConditionJson) => void;
}) {
  const set = (key: string, value: unknown) =>
    update((current) => {
      const next = { ...current };
      if (value === undefined || value === '' || Number.isNaN(value)) delete next[key];
      else next[key] = value;
      return next;
    });
  const input = (field: ConditionField) => {
    const value = condition[field.key];
    switch (field.kind) {
      case 'flag':
        return (
          <label key={field.key} className="inline">
            <input type="checkbox" checked={typeof value === 'boolean' ? value : field.fallback} onChange={(e) => set(field.key, e.target.checked)} />{' '}
            {field.label}
          </label>
        );
      case 'number':
        return (
          <Field key={field.key} label={field.label} problems={problemsAt(problems, field.key)}>
            {(id) => (
              <input
                id={id}
                type="number"
                min={field.min}
                max={field.max}
                value={typeof value === 'number' ? value : ''}
                onChange={(e) => set(field.key, e.target.valueAsNumber)}
              />
            )}
          </Field>
        );
      case 'text':
        return (
          <Field key={field.key} label={field.label} problems={problemsAt(problems, field.key)}>
            {(id) => (
              <input
                id={id}
                value={value === undefined ? '' : String(value)}
                placeholder={field.placeholder ?? ''}
                onChange={(e) => set(field.key, e.target.value)}
              />
            )}
          </Field>
        );
      default:
        return null;
    }
  };
  return (
    <div className="grid">
      <Field label="Condition" problems={problemsAt(problems, 'type')}>
        {(id) => (
          <select id={id} value={condition.type} onChange={(e) => update(() => newCondition(e.target.value))}>
            {CONDITION_TYPES.map((type) => (
              <option key={type} value={type}>
                {CONDITION_FACTS[type].words}
              </option>
            ))}
          </select>
        )}
      </Field>
      {fieldsOf(condition.type).map(input)}
    </div>
  );
}
