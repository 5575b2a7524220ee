/**
 * A list answered again (a refresh) keeps each item that did not change as the very object shown
 * before, so a view that skips unchanged items (React.memo) redraws only what changed. Items are
 * matched by `id` and compared by value (their JSON).
 */
export class SameItems<T extends { id: string }> {
  #previous = new Map<string, { json: string; item: T }>();

  keep(items: readonly T[]): T[] {
    const next = new Map<string, { json: string; item: T }>();
    const kept = items.map((item) => {
      const json = JSON.stringify(item);
      const before = this.#previous.get(item.id);
      const same = before !== undefined && before.json === json ? before.item : item;
      next.set(item.id, { json, item: same });
      return same;
    });
    this.#previous = next;
    return kept;
  }
}
