/**
 * React keys from what an item is, never from where it stands. Items exactly alike (nothing
 * tells them apart, so nothing can be lost between them) are counted apart in their order.
 */
export function keyedBy<T>(items: readonly T[], identity: (item: T) => string): Array<{ key: string; item: T }> {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const base = identity(item);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return { key: count === 0 ? base : `${base}~${count + 1}`, item };
  });
}
