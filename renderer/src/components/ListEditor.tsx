import { type ClipboardEvent, type FocusEvent, type KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Problem } from '../../../main/api/contract.ts';
import { newUid, type Row } from '../views/plan-draft.ts';
import { FieldProblems } from './FieldProblem.tsx';

export type RowsUpdate = (update: (rows: Row[]) => Row[]) => void;

const SHOWN_SUGGESTIONS = 8;

/**
 * One row per entry (a path, a pattern), typed exactly as written: Enter starts a new row after
 * this one, a paste of several lines becomes several rows, spaces stay. Rows are keyed by uid.
 */
export function ListEditor({
  label,
  itemLabel,
  rows,
  onChange,
  addLabel,
  problems,
  rowProblems,
  rowWarning,
  complete,
  placeholder,
}: {
  label: string;
  itemLabel: string;
  rows: Row[];
  onChange: RowsUpdate;
  addLabel: string;
  problems: Problem[];
  rowProblems: (row: Row) => Problem[];
  /** Something worth knowing about a row that does not block saving: a short mark on its line, and the whole sentence. */
  rowWarning?: ((row: Row) => { mark: string; sentence: string } | undefined) | undefined;
  complete?: ((prefix: string) => Promise<string[]>) | undefined;
  placeholder?: string;
}) {
  const inputs = useRef(new Map<string, HTMLInputElement>());
  const pendingFocus = useRef<{ uid: string; caret: number } | null>(null);
  const [active, setActive] = useState<string>();
  const [suggestions, setSuggestions] = useState<{ uid: string; prefix: string; entries: string[] }>();

  useLayoutEffect(() => {
    const pending = pendingFocus.current;
    if (!pending) return;
    const input = inputs.current.get(pending.uid);
    if (!input) return;
    pendingFocus.current = null;
    input.focus();
    input.setSelectionRange(pending.caret, pending.caret);
  });

  const activeValue = rows.find((row) => row.uid === active)?.value;
  useEffect(() => {
    if (!complete || active === undefined || activeValue === undefined || activeValue.trim() === '') return;
    let current = true;
    const timer = setTimeout(
      () =>
        void complete(activeValue)
          .then((entries) => {
            if (current) setSuggestions({ uid: active, prefix: activeValue, entries });
          })
          .catch(() => undefined),
      250,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [complete, active, activeValue]);

  const setValue = (uid: string, value: string) => onChange((current) => current.map((row) => (row.uid === uid ? { ...row, value } : row)));
  const insertAfter = (uid: string | undefined, values: string[], focusCaret: 'start' | 'end') => {
    const added = values.map((value) => ({ uid: newUid(), value }));
    const last = added[added.length - 1];
    if (last) pendingFocus.current = { uid: last.uid, caret: focusCaret === 'start' ? 0 : last.value.length };
    onChange((current) => {
      const at = uid === undefined ? current.length : current.findIndex((row) => row.uid === uid) + 1;
      return [...current.slice(0, at), ...added, ...current.slice(at)];
    });
  };

  const onKeyDown = (row: Row, event: KeyboardEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    if (event.key === 'Enter') {
      event.preventDefault();
      const caret = input.selectionStart ?? input.value.length;
      const rest = input.value.slice(input.selectionEnd ?? caret);
      setValue(row.uid, input.value.slice(0, caret));
      insertAfter(row.uid, [rest], 'start');
    } else if (event.key === 'ArrowDown' && complete) {
      // Down from the row goes into its folder suggestions.
      const first = input.closest('li[data-row]')?.querySelector<HTMLButtonElement>('.suggestions button');
      if (first) {
        event.preventDefault();
        first.focus();
      }
    } else if (event.key === 'Backspace' && input.value === '' && rows.length > 1) {
      event.preventDefault();
      const index = rows.findIndex((candidate) => candidate.uid === row.uid);
      const previous = rows[index - 1] ?? rows[index + 1];
      if (previous) pendingFocus.current = { uid: previous.uid, caret: previous.value.length };
      onChange((current) => current.filter((candidate) => candidate.uid !== row.uid));
    }
  };

  /** The suggestions stay while the focus is in the row or its suggestions. */
  const leave = (uid: string, event: FocusEvent) => {
    const next = event.relatedTarget;
    if (next instanceof Node && event.currentTarget.closest('li[data-row]')?.contains(next)) return;
    setActive((current) => (current === uid ? undefined : current));
  };

  const onPaste = (row: Row, event: ClipboardEvent<HTMLInputElement>) => {
    const text = event.clipboardData.getData('text/plain');
    if (!/[\r\n]/.test(text)) return;
    event.preventDefault();
    const input = event.currentTarget;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    const whole = input.value.slice(0, start) + text + input.value.slice(end);
    const [first = '', ...more] = whole.split(/\r?\n|\r/);
    setValue(row.uid, first);
    const kept = more.filter((line) => line.trim() !== '');
    if (kept.length) insertAfter(row.uid, kept, 'end');
  };

  const shown =
    suggestions && suggestions.uid === active && suggestions.prefix === activeValue ? suggestions.entries.filter((entry) => entry !== activeValue) : [];

  return (
    <fieldset className={`field list-editor${problems.length ? ' field-invalid' : ''}`}>
      <legend className="label">{label}</legend>
      <ul className="list-rows">
        {rows.map((row, index) => {
          const mine = rowProblems(row);
          const warning = rowWarning?.(row);
          const warningId = `${row.uid}-warning`;
          return (
            <li key={row.uid} data-row className={mine.length ? 'field-invalid' : undefined}>
              <div className="list-row">
                <input
                  ref={(element) => {
                    if (element) inputs.current.set(row.uid, element);
                    else inputs.current.delete(row.uid);
                  }}
                  className="mono"
                  aria-label={`${itemLabel} ${index + 1}`}
                  aria-describedby={warning ? warningId : undefined}
                  value={row.value}
                  placeholder={placeholder}
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(event) => setValue(row.uid, event.target.value)}
                  onKeyDown={(event) => onKeyDown(row, event)}
                  onPaste={(event) => onPaste(row, event)}
                  onFocus={() => setActive(row.uid)}
                  onBlur={(event) => leave(row.uid, event)}
                />
                {/* On the row's own line: a warning that comes while the person types moves no row below it. */}
                {warning ? (
                  <>
                    <span className="row-warning" aria-hidden="true" title={warning.sentence}>
                      ⚠ {warning.mark}
                    </span>
                    <span id={warningId} className="visually-hidden">
                      {warning.sentence}
                    </span>
                  </>
                ) : null}
                <button
                  type="button"
                  className="row-remove"
                  aria-label={`Remove ${itemLabel.toLowerCase()} ${index + 1}`}
                  onClick={() => onChange((current) => current.filter((candidate) => candidate.uid !== row.uid))}
                >
                  ✕
                </button>
              </div>
              {active === row.uid && shown.length ? (
                <ul className="suggestions" aria-label={`Folders matching ${itemLabel.toLowerCase()} ${index + 1}`}>
                  {shown.slice(0, SHOWN_SUGGESTIONS).map((entry) => (
                    <li key={entry}>
                      <button
                        type="button"
                        className="mono"
                        onMouseDown={(event) => event.preventDefault()}
                        onBlur={(event) => leave(row.uid, event)}
                        onKeyDown={(event) => {
                          const item = event.currentTarget.closest('li');
                          const target =
                            event.key === 'ArrowDown'
                              ? item?.nextElementSibling?.querySelector('button')
                              : event.key === 'ArrowUp'
                                ? (item?.previousElementSibling?.querySelector('button') ?? inputs.current.get(row.uid))
                                : event.key === 'Escape'
                                  ? inputs.current.get(row.uid)
                                  : undefined;
                          if (target instanceof HTMLElement) {
                            event.preventDefault();
                            target.focus();
                          }
                        }}
                        onClick={() => {
                          pendingFocus.current = { uid: row.uid, caret: entry.length };
                          setValue(row.uid, entry);
                        }}
                      >
                        {entry}
                      </button>
                    </li>
                  ))}
                </ul>
              ) : null}
              <FieldProblems problems={mine} />
            </li>
          );
        })}
      </ul>
      <button type="button" onClick={() => insertAfter(undefined, [''], 'end')}>
        {addLabel}
      </button>
      <FieldProblems problems={problems} />
    </fieldset>
  );
}
