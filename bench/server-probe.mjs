// Preloaded into the benchmarked server (`node --import bench/server-probe.mjs …`) by
// `npm run bench:rooms`: measures the server's event-loop delay, which no request can see.
// SIGUSR2 writes the histogram since the previous SIGUSR2 (or start) as JSON to
// $BENCH_PROBE_FILE and starts a new one. Nothing else in the server changes.
import { writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  process.on("SIGUSR2", () => {
    const ms = (ns) => ns / 1e6;
    const stats = {
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      mean: ms(histogram.mean),
      samples: histogram.count,
    };
    histogram.reset();
    writeFileSync(file, JSON.stringify(stats));
  });
}
