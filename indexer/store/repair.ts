/**
 * Pure reconciliation of the vector index against SQLite, the source of truth: labels with no
 * segment are removed, segments with no label are added back from their stored vectors.
 */
export function reconcile(labels: Iterable<number>, segmentIds: Iterable<number>): { add: number[]; remove: number[] } {
  const live = new Set(labels);
  const want = new Set(segmentIds);
  const add: number[] = [];
  const remove: number[] = [];
  for (const id of want) if (!live.has(id)) add.push(id);
  for (const id of live) if (!want.has(id)) remove.push(id);
  add.sort((a, b) => a - b);
  remove.sort((a, b) => a - b);
  return { add, remove };
}
