import type { PreviewSnapshot, RetentionPreview } from './retention-preview.ts';

/** How many snapshots of each list an answer carries; the counts are always whole. */
export const WHAT_IF_LIST_LIMIT = 200;

/** A retention preview as the plan editor shows it: counts, the oldest kept, bounded lists, one sentence. */
export interface RetentionWhatIf {
  plan: string;
  /** False when the policy is empty: nothing is ever removed. */
  policy: boolean;
  snapshots: number;
  keeps: number;
  removes: number;
  oldestKept: string | null;
  /** Newest first, at most WHAT_IF_LIST_LIMIT each. */
  keep: PreviewSnapshot[];
  remove: PreviewSnapshot[];
  /** "Keeps 23 snapshots, removes 14 (oldest kept: 2025-12-01)." */
  sentence: string;
}

const count = (n: number) => `${n} ${n === 1 ? 'snapshot' : 'snapshots'}`;

export function retentionWhatIf(preview: RetentionPreview, limit = WHAT_IF_LIST_LIMIT): RetentionWhatIf {
  const keeps = preview.keep.length;
  const removes = preview.remove.length;
  const snapshots = keeps + removes;
  let sentence: string;
  if (snapshots === 0) sentence = `Plan "${preview.plan}" has no snapshots yet: this policy has nothing to keep or remove until its first backup.`;
  else if (!preview.retention) sentence = `No retention policy: all ${count(keeps)} are kept.`;
  else {
    const oldest = preview.oldestKept ? ` (oldest kept: ${preview.oldestKept.slice(0, 10)})` : '';
    sentence = `Keeps ${count(keeps)}, removes ${removes}${oldest}.`;
  }
  return {
    plan: preview.plan,
    policy: preview.retention !== null,
    snapshots,
    keeps,
    removes,
    oldestKept: preview.oldestKept,
    keep: preview.keep.slice(0, limit),
    remove: preview.remove.slice(0, limit),
    sentence,
  };
}
