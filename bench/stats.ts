/** Sample statistics shared by the benchmarks. */

/**
 * The p-th percentile (0 < p ≤ 100) of an ascending sample, nearest rank: the smallest value with
 * at least p % of the sample at or below it. NaN for an empty sample.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** The sample in ascending order (a copy). */
export function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * The moves one by one (not net counts, where a lost move and one whose acknowledgement was lost
 * cancel out): lost (acknowledged, not applied), duplicated (acknowledged twice for one seat and
 * turn, or more moves in a reveal than turns), applied without an acknowledgement.
 */
export function movesCounted(totals: {
  readonly ackedMoves: readonly string[];
  readonly appliedMoves: readonly string[];
  readonly extraMoves: number;
}): { lost: number; duplicated: number; unacknowledged: number } {
  const acked = new Set(totals.ackedMoves);
  const applied = new Set(totals.appliedMoves);
  let lost = 0;
  for (const key of acked) if (!applied.has(key)) lost += 1;
  let unacknowledged = 0;
  for (const key of applied) if (!acked.has(key)) unacknowledged += 1;
  const duplicated =
    totals.ackedMoves.length - acked.size + (totals.appliedMoves.length - applied.size);
  return { lost, duplicated: duplicated + totals.extraMoves, unacknowledged };
}
