import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { StreamLanguage } from '@codemirror/language';
import { shell } from '@codemirror/legacy-modes/mode/shell';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { HOOK_VARIABLE_FACTS } from '../../../main/api/vocabulary.ts';

/** Completes `$LIFEBOAT_…`, `${LIFEBOAT_…}` and `{{LIFEBOAT_…}}`. */
function variableCompletions(context: CompletionContext): CompletionResult | null {
  const word = context.matchBefore(/(\$\{?|\{\{)?[A-Z_]*$/);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  const prefix = /^(\$\{?|\{\{)/.exec(word.text)?.[0] ?? '';
  if (!prefix && !word.text.startsWith('L')) return null;
  const close = prefix === '{{' ? '}}' : prefix === '${' ? '}' : '';
  return {
    from: word.from,
    options: HOOK_VARIABLE_FACTS.map(([name, info]) => ({ label: `${prefix}${name}${close}`, detail: info, type: 'variable' })),
  };
}

export function CodeEditor({ value, onChange, labelledBy }: { value: string; onChange: (text: string) => void; labelledBy: string }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(onChange);
  latest.current = onChange;

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      doc: value,
      parent: host.current,
      extensions: [
        basicSetup,
        StreamLanguage.define(shell),
        autocompletion({ override: [variableCompletions] }),
        EditorView.contentAttributes.of({ 'aria-labelledby': labelledBy, 'aria-multiline': 'true' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) latest.current(update.state.doc.toString());
        }),
      ],
    });
    view.current = editor;
    return () => editor.destroy();
    // The editor owns its text once created; outside changes come through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labelledBy]);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div className="code-editor" ref={host} />;
}
