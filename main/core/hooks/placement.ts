import type { ShellKind } from './shell-quote.ts';

/** Where a `{{NAME}}` sits in a script, as the shell that runs it will read that spot. */
export type PlacementContext =
  | 'code'
  | 'single-quotes'
  | 'double-quotes'
  | 'comment'
  | 'heredoc'
  | 'backticks'
  | 'parameter'
  | 'arithmetic'
  | 'escaped'
  | 'unsure';

export interface Reference {
  name: string;
  /** Offset of the `{{` in the text. */
  start: number;
  end: number;
}

export interface Placement extends Reference {
  context: PlacementContext;
}

/** `{{NAME}}` references; `\{{` is an escaped literal and is not one. Shared with the interpolation itself. */
export const REFERENCE = /(\\?)\{\{\s*([^}]*?)\s*\}\}/g;

export function references(text: string): Reference[] {
  const found: Reference[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    if (match[1] === '\\') continue;
    found.push({ name: match[2] ?? '', start: match.index, end: match.index + match[0].length });
  }
  return found;
}

/**
 * Classifies every `{{NAME}}` of a script. Only `code` is safe: there the quoted value is one
 * literal word. Anything the reader does not model exactly makes every later reference `unsure`.
 */
export function placements(text: string, shell: ShellKind): Placement[] {
  const refs = references(text);
  if (refs.length === 0) return [];
  const contexts = shell === 'posix' ? new PosixReader(text, refs).read() : new PowerShellReader(text, refs).read();
  return refs.map((ref, index) => ({ ...ref, context: contexts[index] ?? 'unsure' }));
}

/** The sentence that shows the fix for a reference in an unsafe place. */
export function placementMessage(placement: Placement, shell: ShellKind): string {
  const ref = `{{${placement.name}}}`;
  const env = shell === 'posix' ? `"$${placement.name}"` : `$env:${placement.name}`;
  switch (placement.context) {
    case 'single-quotes':
    case 'double-quotes':
      return `${ref} is inside quotes of your own, which would undo Lifeboat's quoting; drop the quotes around it (Lifeboat quotes the value itself), or use ${env} instead`;
    case 'comment':
      return `${ref} is inside a comment, where a value with a line break would become code; remove it, or use ${env} in a command`;
    case 'heredoc':
      return `${ref} is inside a here-document, where quoting does not apply; use ${env} inside the here-document instead`;
    case 'backticks':
      return `${ref} is inside \`…\`, where quoting does not hold; write $(…) instead, or use ${env}`;
    case 'parameter':
      return `${ref} is inside \${…}, where quoting does not hold; use ${env} instead`;
    case 'arithmetic':
      return `${ref} is inside arithmetic, where quoting does not hold; use ${env} instead`;
    case 'escaped':
      return `${ref} directly follows ${shell === 'posix' ? '"$"' : '"$", "@", "`", ":" or a variable'}, which would change how the quoted value is read; put a space before it, or use ${env} instead`;
    case 'unsure':
      return `${ref} comes after shell syntax Lifeboat cannot read with certainty, so it cannot be quoted safely there; use ${env} instead`;
    default:
      return `${ref} cannot be quoted safely here; use ${env} instead`;
  }
}

interface Frame {
  kind: 'code' | 'dq' | 'param' | 'arith';
  depth: number;
}

interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
}

const WORD_END = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);
const COMMENT_AFTER = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

/**
 * Reads POSIX sh (dash, bash) quoting: '…', "…", backslashes, $(…), `…`, ${…}, $((…)),
 * comments and here-documents. `$'…'` differs between shells, so it makes the rest unsure.
 */
class PosixReader {
  private readonly contexts: PlacementContext[];
  private readonly starts: Map<number, number>;
  private unsure = false;
  private pending: PendingHeredoc[] = [];
  private lineHasHeredoc = false;
  private i = 0;
  private readonly text: string;
  private readonly refs: Reference[];

  constructor(text: string, refs: Reference[]) {
    this.text = text;
    this.refs = refs;
    this.contexts = refs.map(() => 'code');
    this.starts = new Map(refs.map((ref, index) => [ref.start, index]));
  }

  read(): PlacementContext[] {
    const stack: Frame[] = [{ kind: 'code', depth: 0 }];
    const text = this.text;
    while (this.i < text.length) {
      const frame = stack[stack.length - 1]!;
      const ref = this.starts.get(this.i);
      if (ref !== undefined) {
        const previous = text[this.i - 1];
        let context: PlacementContext;
        if (frame.kind === 'dq') context = 'double-quotes';
        else if (frame.kind === 'param') context = 'parameter';
        else if (frame.kind === 'arith') context = 'arithmetic';
        else if (previous === '$') context = 'escaped';
        else if (this.lineHasHeredoc) context = 'heredoc';
        else context = 'code';
        this.mark(ref, context);
        this.i = this.refs[ref]!.end;
        continue;
      }
      const char = text[this.i]!;
      const next = text[this.i + 1];
      if (frame.kind === 'code') this.code(stack, frame, char, next);
      else if (frame.kind === 'dq') this.doubleQuoted(stack, char, next);
      else this.nested(stack, frame, char, next);
    }
    return this.contexts;
  }

  private mark(ref: number, context: PlacementContext): void {
    this.contexts[ref] = this.unsure ? 'unsure' : context;
  }

  /** Marks every reference in [from, to) with a context and moves past it. */
  private markRange(from: number, to: number, context: PlacementContext): void {
    this.refs.forEach((ref, index) => {
      if (ref.start >= from && ref.start < to) this.mark(index, context);
    });
    this.i = to;
  }

  private code(stack: Frame[], frame: Frame, char: string, next: string | undefined): void {
    const text = this.text;
    switch (char) {
      case '\\':
        this.i += 2;
        return;
      case "'": {
        const close = text.indexOf("'", this.i + 1);
        const end = close < 0 ? text.length : close + 1;
        if (this.pending.length > 0 && text.slice(this.i, end).includes('\n')) this.unsure = true;
        this.markRange(this.i, end, 'single-quotes');
        return;
      }
      case '"':
        stack.push({ kind: 'dq', depth: 0 });
        this.i += 1;
        return;
      case '`':
        this.backticks();
        return;
      case '$':
        this.dollar(stack, next, true);
        return;
      case '(':
        if (next === '(') {
          stack.push({ kind: 'arith', depth: 2 });
          this.i += 2;
          return;
        }
        frame.depth += 1;
        this.i += 1;
        return;
      case ')':
        if (frame.depth > 0) frame.depth -= 1;
        if (frame.depth === 0 && stack.length > 1) stack.pop();
        this.i += 1;
        return;
      case '#':
        if (this.i === 0 || COMMENT_AFTER.has(text[this.i - 1]!)) {
          const close = text.indexOf('\n', this.i);
          this.markRange(this.i, close < 0 ? text.length : close, 'comment');
          return;
        }
        this.i += 1;
        return;
      case '<':
        if (next === '<' && text[this.i + 2] === '<') {
          this.i += 3; // a here-string: an ordinary word follows
          return;
        }
        if (next === '<') {
          this.heredocOperator();
          return;
        }
        this.i += 1;
        return;
      case '\n':
        this.i += 1;
        this.lineHasHeredoc = false;
        if (this.pending.length > 0) this.heredocBodies();
        return;
      default:
        this.i += 1;
    }
  }

  private doubleQuoted(stack: Frame[], char: string, next: string | undefined): void {
    switch (char) {
      case '\\':
        this.i += 2;
        return;
      case '"':
        stack.pop();
        this.i += 1;
        return;
      case '`':
        this.backticks();
        return;
      case '$':
        this.dollar(stack, next, false);
        return;
      default:
        if (char === '\n' && this.pending.length > 0) this.unsure = true;
        this.i += 1;
    }
  }

  /** Inside ${…} or $((…)): no reference is safe; quotes here read differently per shell. */
  private nested(stack: Frame[], frame: Frame, char: string, next: string | undefined): void {
    const [open, close] = frame.kind === 'param' ? ['{', '}'] : ['(', ')'];
    if (char === '\\') {
      this.i += 2;
      return;
    }
    if (char === "'" || char === '"' || char === '`' || (char === '$' && (next === '(' || next === '{'))) this.unsure = true;
    if (char === open) frame.depth += 1;
    if (char === close) {
      frame.depth -= 1;
      if (frame.depth === 0) stack.pop();
    }
    this.i += 1;
  }

  private dollar(stack: Frame[], next: string | undefined, inCode: boolean): void {
    const text = this.text;
    if (next === '(' && text[this.i + 2] === '(') {
      stack.push({ kind: 'arith', depth: 2 });
      this.i += 3;
      return;
    }
    if (next === '(') {
      stack.push({ kind: 'code', depth: 1 });
      this.i += 2;
      return;
    }
    if (next === '{' && !this.starts.has(this.i + 1)) {
      stack.push({ kind: 'param', depth: 1 });
      this.i += 2;
      return;
    }
    if (inCode && next === "'") this.unsure = true; // $'…': bash reads escapes, dash does not
    if (next === '[') this.unsure = true; // $[…]: bash's old arithmetic
    if (inCode && next === '"') {
      stack.push({ kind: 'dq', depth: 0 });
      this.i += 2;
      return;
    }
    this.i += 1;
  }

  /** `…`: ends at the first unescaped backquote; a quoted value inside it is not safe. */
  private backticks(): void {
    const text = this.text;
    let j = this.i + 1;
    while (j < text.length && text[j] !== '`') j += text[j] === '\\' ? 2 : 1;
    this.markRange(this.i, Math.min(j + 1, text.length), 'backticks');
  }

  /** `<<WORD` or `<<-WORD`: the body starts after this line. */
  private heredocOperator(): void {
    const text = this.text;
    let j = this.i + 2;
    const stripTabs = text[j] === '-';
    if (stripTabs) j += 1;
    while (text[j] === ' ' || text[j] === '\t') j += 1;
    const wordStart = j;
    let delimiter = '';
    while (j < text.length && !WORD_END.has(text[j]!)) {
      const c = text[j]!;
      if (c === "'" || c === '"') {
        const close = text.indexOf(c, j + 1);
        if (close < 0) {
          this.unsure = true;
          j = text.length;
          break;
        }
        delimiter += text.slice(j + 1, close);
        j = close + 1;
      } else if (c === '\\') {
        delimiter += text[j + 1] ?? '';
        j += 2;
      } else {
        delimiter += c;
        j += 1;
      }
    }
    if (delimiter === '' || delimiter.includes('$') || delimiter.includes('`')) this.unsure = true;
    this.markRange(this.i, j, 'heredoc');
    if (j === wordStart) return;
    this.pending.push({ delimiter, stripTabs });
    this.lineHasHeredoc = true;
  }

  private heredocBodies(): void {
    const text = this.text;
    for (const heredoc of this.pending) {
      const bodyStart = this.i;
      let end = text.length;
      let next = text.length;
      let lineStart = this.i;
      while (lineStart < text.length) {
        const newline = text.indexOf('\n', lineStart);
        const lineEnd = newline < 0 ? text.length : newline;
        let line = text.slice(lineStart, lineEnd);
        if (heredoc.stripTabs) line = line.replace(/^\t+/, '');
        if (line === heredoc.delimiter) {
          end = lineStart;
          next = newline < 0 ? text.length : newline + 1;
          break;
        }
        lineStart = lineEnd + 1;
      }
      this.markRange(bodyStart, next, 'heredoc');
      if (end === text.length) break;
    }
    this.pending = [];
  }
}

const PS_SINGLE = new Set(["'", '\u2018', '\u2019', '\u201a', '\u201b']);
const PS_DOUBLE = new Set(['"', '\u201c', '\u201d', '\u201e']);
const PS_COMMENT_AFTER = new Set([' ', '\t', '\n', '\r', ';', '|', '&', '(', ')', '{', '}']);

/**
 * Reads PowerShell quoting: '…' (and its typographic quotes, '' inside), "…" with ` escapes,
 * here-strings @'…'@ / @"…"@, # and <# #> comments. `$(` inside "…" makes the rest unsure.
 */
class PowerShellReader {
  private readonly contexts: PlacementContext[];
  private unsure = false;
  private readonly text: string;
  private readonly refs: Reference[];

  constructor(text: string, refs: Reference[]) {
    this.text = text;
    this.refs = refs;
    this.contexts = refs.map(() => 'code');
  }

  read(): PlacementContext[] {
    const text = this.text;
    const starts = new Map(this.refs.map((ref, index) => [ref.start, index]));
    let i = 0;
    const markRange = (from: number, to: number, context: PlacementContext) => {
      this.refs.forEach((ref, index) => {
        if (ref.start >= from && ref.start < to) this.contexts[index] = this.unsure ? 'unsure' : context;
      });
      return to;
    };
    while (i < text.length) {
      const ref = starts.get(i);
      if (ref !== undefined) {
        // After $, @, ` or a variable name, a quote would not start a plain literal.
        const escaped = /(?:[$@`:]|\$[\w:?]*)$/.test(text.slice(Math.max(0, i - 256), i));
        this.contexts[ref] = this.unsure ? 'unsure' : escaped ? 'escaped' : 'code';
        i = this.refs[ref]!.end;
        continue;
      }
      const char = text[i]!;
      const next = text[i + 1];
      if (char === '`') {
        i += starts.has(i + 1) ? 1 : 2; // an escaped quote would start the value: the reference is judged next
      } else if (char === '-' && text.startsWith('--%', i)) {
        this.unsure = true; // stop-parsing: the rest of the line reaches the program unquoted
        i += 3;
      } else if (char === '@' && next !== undefined && (PS_SINGLE.has(next) || PS_DOUBLE.has(next)) && /^[ \t]*\r?\n/.test(text.slice(i + 2))) {
        const single = PS_SINGLE.has(next);
        const closing = new RegExp(`\\n[${single ? "'\u2018\u2019\u201a\u201b" : '"\u201c\u201d\u201e'}]@`, 'g');
        closing.lastIndex = i + 2;
        const found = closing.exec(text);
        i = markRange(i, found ? found.index + found[0].length : text.length, 'heredoc');
      } else if (PS_SINGLE.has(char)) {
        let j = i + 1;
        while (j < text.length) {
          if (PS_SINGLE.has(text[j]!)) {
            if (PS_SINGLE.has(text[j + 1] ?? '')) j += 2;
            else break;
          } else j += 1;
        }
        i = markRange(i, Math.min(j + 1, text.length), 'single-quotes');
      } else if (PS_DOUBLE.has(char)) {
        let j = i + 1;
        while (j < text.length) {
          const c = text[j]!;
          if (c === '`') j += 2;
          else if (c === '$' && text[j + 1] === '(') {
            this.unsure = true;
            j += 2;
          } else if (PS_DOUBLE.has(c)) {
            if (PS_DOUBLE.has(text[j + 1] ?? '')) j += 2;
            else break;
          } else j += 1;
        }
        i = markRange(i, Math.min(j + 1, text.length), 'double-quotes');
      } else if (char === '<' && next === '#') {
        const close = text.indexOf('#>', i + 2);
        i = markRange(i, close < 0 ? text.length : close + 2, 'comment');
      } else if (char === '#' && (i === 0 || PS_COMMENT_AFTER.has(text[i - 1]!))) {
        const close = text.indexOf('\n', i);
        i = markRange(i, close < 0 ? text.length : close, 'comment');
      } else if (char === '$' && next === '{') {
        // ${name with any characters}: a variable name, not code
        const close = text.indexOf('}', i + 2);
        i = markRange(i, close < 0 ? text.length : close + 1, 'parameter');
      } else {
        i += 1;
      }
    }
    return this.contexts;
  }
}

/** Every reason the `{{…}}` of one script text cannot be interpolated safely, as sentences. */
export function interpolationProblems(text: string, shell: ShellKind, known: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const placement of placements(text, shell)) {
    if (!known.has(placement.name)) {
      problems.push(`{{${placement.name}}} is not a variable Lifeboat knows (known: ${[...known].join(', ')}); write \\{{ for a literal "{{"`);
    } else if (placement.context !== 'code') {
      problems.push(placementMessage(placement, shell));
    }
  }
  return problems;
}
