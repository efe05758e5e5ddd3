/** Ordinal string order, as Rust's `str::cmp` (not locale-aware). */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `engine::workers::list` order in both generations: by `name ?? id`, then by `id`. */
export function sortWorkersByDisplayName<T extends { id: string; name: string | null }>(workers: T[]): T[] {
  return workers.sort((a, b) => compareText(a.name ?? a.id, b.name ?? b.id) || compareText(a.id, b.id));
}
