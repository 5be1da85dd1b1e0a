/** A {@link LatencyHistogram}'s figures, in ms (zeros when it is empty). */
export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * A latency histogram of fixed size, for figures a long-running server reports (/healthz) without
 * keeping every sample: buckets of 1/8 of a doubling (each value is reported within 9% of its
 * true size), from 1/64 ms up to about 17 minutes; the maximum is kept exactly.
 */
export class LatencyHistogram {
  private static readonly PER_DOUBLING = 8;
  private static readonly LOWEST_MS = 1 / 64;
  private readonly counts = new Uint32Array(LatencyHistogram.PER_DOUBLING * 36);
  private n = 0;
  private max = 0;
  private total = 0;

  /** Count one sample of `ms` milliseconds (negative and NaN count as 0). */
  record(ms: number): void {
    const v = ms > 0 ? ms : 0;
    this.n += 1;
    this.total += v;
    if (v > this.max) this.max = v;
    this.counts[this.bucket(v)]! += 1;
  }

  /**
   * Sample count, mean, p50, p99 (each the upper edge of its bucket, never above the maximum)
   * and the maximum, in ms; zeros when empty.
   */
  summary(): LatencySummary {
    if (this.n === 0) return { count: 0, meanMs: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
    return {
      count: this.n,
      meanMs: this.total / this.n,
      p50Ms: this.quantile(0.5),
      p99Ms: this.quantile(0.99),
      maxMs: this.max,
    };
  }

  private bucket(ms: number): number {
    if (ms <= LatencyHistogram.LOWEST_MS) return 0;
    const i = Math.ceil(Math.log2(ms / LatencyHistogram.LOWEST_MS) * LatencyHistogram.PER_DOUBLING);
    return Math.min(i, this.counts.length - 1);
  }

  /** The upper edge of the bucket holding the sample of rank ⌈q·n⌉ (nearest rank). */
  private quantile(q: number): number {
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        const edge = LatencyHistogram.LOWEST_MS * 2 ** (i / LatencyHistogram.PER_DOUBLING);
        return Math.min(edge, this.max);
      }
    }
    return this.max;
  }
}
