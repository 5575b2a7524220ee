import type { AnyEvent } from './contract.ts';

/** A test's live output goes to the UI this often, at most `PREVIEW_LINES` lines each time (the newest). */
const PREVIEW_TICK_MS = 100;
const PREVIEW_LINES = 100;
/** A longer line is sent cut to this many characters; the event says how many were cut. */
const PREVIEW_LINE_CHARS = 2000;

type Stream = 'stdout' | 'stderr';

export interface HookTestPreview {
  /** A block of complete lines (joined by newlines) as the engine hands it on. */
  push(stream: Stream, text: string): void;
  /** Sends what is waiting and stops: the test is over. */
  end(): void;
}

/**
 * The live preview of one hook test as `hook-test.output` events: a hook printing hundreds of MB
 * sends at most `PREVIEW_LINES` lines per tick, each at most `PREVIEW_LINE_CHARS` long, and each
 * gap says how many lines were left out. Memory stays bounded whatever the hook prints; the test's
 * whole (bounded) output is the call's answer, not this.
 */
export function hookTestPreview(testId: string, publish: (event: AnyEvent) => void): HookTestPreview {
  let waiting: Array<{ stream: Stream; line: string; cut: number }> = [];
  let leftOut = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    timer = undefined;
    const lines = waiting;
    const gap = leftOut;
    waiting = [];
    leftOut = 0;
    lines.forEach(({ stream, line, cut }, index) => {
      publish({
        name: 'hook-test.output',
        payload: {
          testId,
          stream,
          line,
          ...(index === 0 && gap > 0 ? { linesLeftOut: gap } : {}),
          ...(cut > 0 ? { charsLeftOut: cut } : {}),
        },
      });
    });
  };

  return {
    push(stream, text) {
      // Only the block's last lines can be sent: the ones before them are counted, never split out.
      let from = 0;
      for (let kept = 0, end = text.length; kept < PREVIEW_LINES; kept += 1) {
        const newline = end === 0 ? -1 : text.lastIndexOf('\n', end - 1);
        if (newline === -1) {
          from = 0;
          break;
        }
        from = newline + 1;
        end = newline;
      }
      leftOut += countNewlines(text, from);
      for (const line of text.slice(from).split('\n')) {
        const cut = Math.max(0, line.length - PREVIEW_LINE_CHARS);
        waiting.push({ stream, line: cut > 0 ? line.slice(0, PREVIEW_LINE_CHARS) : line, cut });
      }
      if (waiting.length > PREVIEW_LINES) {
        leftOut += waiting.length - PREVIEW_LINES;
        waiting = waiting.slice(-PREVIEW_LINES);
      }
      timer ??= setTimeout(flush, PREVIEW_TICK_MS);
    },
    end() {
      clearTimeout(timer);
      flush();
    },
  };
}

/** How many lines of `text` end before `end`: its newlines there. */
function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}
