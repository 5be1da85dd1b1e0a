import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../server/histogram";

/** server/histogram.ts: the room log's and other /healthz latency figures. */
describe("LatencyHistogram", () => {
  it("is zeros when empty", () => {
    expect(new LatencyHistogram().summary()).toEqual({
      count: 0,
      meanMs: 0,
      p50Ms: 0,
      p99Ms: 0,
      maxMs: 0,
    });
  });

  it("reports quantiles within 9% (never below the true value) and the exact maximum and mean", () => {
    const h = new LatencyHistogram();
    // 1..1000 ms: p50 is 500, p99 is 990.
    for (let ms = 1; ms <= 1000; ms++) h.record(ms);
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.meanMs).toBeCloseTo(500.5, 9);
    expect(s.maxMs).toBe(1000);
    expect(s.p50Ms).toBeGreaterThanOrEqual(500);
    expect(s.p50Ms).toBeLessThan(500 * 1.091);
    expect(s.p99Ms).toBeGreaterThanOrEqual(990);
    expect(s.p99Ms).toBeLessThanOrEqual(1000);
  });

  it("a tail of 1% is the p99; values below its floor and above its ceiling are counted", () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 990; i++) h.record(2);
    for (let i = 0; i < 10; i++) h.record(300);
    expect(h.summary().p99Ms).toBeLessThan(2.2);
    h.record(300);
    expect(h.summary().p99Ms).toBeGreaterThanOrEqual(300);
    h.record(0);
    h.record(-5);
    h.record(1e12);
    expect(h.summary()).toMatchObject({ count: 1004, maxMs: 1e12 });
  });
});
