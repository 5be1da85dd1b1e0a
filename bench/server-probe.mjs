// Preloaded into the benchmarked server (`node --import bench/server-probe.mjs …`) by
// `npm run bench:rooms`: measures the server's event-loop delay and its GC pauses, which no
// request can see. SIGUSR2 writes the figures since the previous SIGUSR2 (or start) as JSON to
// $BENCH_PROBE_FILE and starts afresh. Nothing else in the server changes.
import { writeFileSync } from "node:fs";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let gc = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ["gc"] });
  process.on("SIGUSR2", () => {
    const ms = (ns) => ns / 1e6;
    const stats = {
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      mean: ms(histogram.mean),
      samples: histogram.count,
      gc,
    };
    histogram.reset();
    gc = { count: 0, totalMs: 0, maxMs: 0 };
    writeFileSync(file, JSON.stringify(stats));
  });
}
