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
