/**
 * `npm run bench:lib`: how fast the library evaluates surfaces.
 *
 * For every catalog surface (and one procedural surface per difficulty) it prints loss+gradient
 * evaluations per second through the library API (`surface.loss(θ)` + `surface.gradient(θ)`),
 * the same formula written as an inline loop over Float64Arrays, their ratio, and the time to
 * sample a 256×256 grid over the box with `sampleGrid` (what the reveal's contour map needs).
 * Goals: API ≥ 0.5× inline on every surface; 256×256 grid < 5 ms.
 *
 * Then the teacher's formula surfaces (issue 14 §5): catalog surfaces typed as text
 * (bench/formula-cases.ts) over the catalog's box, compiled by lib/surfaces/formula: loss+gradient
 * evaluations per second of the compiled formula as a ratio to the hand-written catalog surface
 * (goal ≥ 0.5×), and the time to analyse each formula (parse, derive, compile, check, find the
 * minimum: `analyseFormula` + compile), p50/p95 over repeated runs (goal p95 < 50 ms).
 *
 * `--only round-start`: what a round start costs the game server per room before its first turn
 * (issues 12 and 15): building a random procedural surface (`proceduralSurface`) and drawing its
 * transform (`drawTransform`, the T8 search), p50/p95 over 120 fresh seeds, easy/medium/hard in
 * turn, plus 10 transforms of each catalog surface.
 *
 * Each surface runs in a fresh Node process so that one surface's JIT feedback cannot slow
 * another's call sites. Options: `--ms N` (time per measurement, default 150), `--only ID` (`--only formulas`: the
 * formula section alone), `--runs N` (analyses per formula, default 30).
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { sampleGrid } from "../lib/grid";
import { createRng } from "../lib/random";
import { resolveSurface, type SurfaceRef } from "../lib/surface-ref";
import { surfaces } from "../lib/surfaces";
import { DIFFICULTIES, type Surface, type Vec2 } from "../lib/types";
import { analyseFormula, compileFormula, formulaSurface } from "../lib/surfaces/formula";
import { drawTransform, TRANSFORM_VERSION } from "../lib/surfaces/transform";
import { proceduralSurface } from "../lib/procedural";
import { getSurface } from "../lib/surfaces";
import { FORMULA_CASES } from "./formula-cases";
import { inlineKernels } from "./inline-formulas";
import { ascending, percentile } from "./stats";

interface Result {
  key: string;
  name: string;
  apiPerSec: number;
  inlinePerSec: number | null;
  maxRelDiff: number | null;
  gridMedianMs: number;
  gridP95Ms: number;
}

const POINTS = 4096;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function refFromKey(key: string): SurfaceRef {
  const m = /^procedural:(\d+):(\w+)$/.exec(key);
  if (m) {
    const difficulty = DIFFICULTIES.find((d) => d === m[2]);
    if (!difficulty) throw new Error(`bad difficulty in ${key}`);
    return { kind: "procedural", seed: Number(m[1]), difficulty };
  }
  return { kind: "catalog", id: key };
}

function median(xs: readonly number[]): number {
  return percentile(ascending(xs), 50);
}

/** Evaluations per second of `run`, which performs `perCall` evaluations, over at least `ms`. */
function rate(run: () => number, perCall: number, ms: number): { perSec: number; sink: number } {
  let sink = 0;
  let calls = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    sink += run();
    calls++;
    elapsed = performance.now() - t0;
  } while (elapsed < ms);
  return { perSec: (calls * perCall) / (elapsed / 1000), sink };
}

function measureOne(key: string, ms: number): Result {
  const surface: Surface = resolveSurface(refFromKey(key));
  const rng = createRng(12345);
  const ws = new Float64Array(POINTS);
  const bs = new Float64Array(POINTS);
  const thetas: Vec2[] = [];
  const { min, max } = surface.domain;
  for (let i = 0; i < POINTS; i++) {
    ws[i] = rng.uniform(min[0], max[0]);
    bs[i] = rng.uniform(min[1], max[1]);
    thetas.push([ws[i]!, bs[i]!]);
  }

  const api = (): number => {
    let acc = 0;
    for (let i = 0; i < thetas.length; i++) {
      const theta = thetas[i]!;
      const g = surface.gradient(theta);
      acc += surface.loss(theta) + g[0] + g[1];
    }
    return acc;
  };
  const kernel = inlineKernels[key];

  // Agreement check: the inline formula must be the same maths as the surface.
  let maxRelDiff: number | null = null;
  if (kernel) {
    maxRelDiff = 0;
    for (let i = 0; i < 256; i++) {
      const g = surface.gradient(thetas[i]!);
      const viaApi = surface.loss(thetas[i]!) + g[0] + g[1];
      const viaInline = kernel(ws.subarray(i, i + 1), bs.subarray(i, i + 1));
      const rel = Math.abs(viaApi - viaInline) / Math.max(1, Math.abs(viaApi));
      maxRelDiff = Math.max(maxRelDiff, rel);
    }
  }

  // Warm up both, then alternate measurements and keep the medians.
  rate(api, POINTS, ms);
  if (kernel) rate(() => kernel(ws, bs), POINTS, ms);
  const apiRates: number[] = [];
  const inlineRates: number[] = [];
  let sink = 0;
  for (let k = 0; k < 5; k++) {
    const a = rate(api, POINTS, ms);
    apiRates.push(a.perSec);
    sink += a.sink;
    if (kernel) {
      const b = rate(() => kernel(ws, bs), POINTS, ms);
      inlineRates.push(b.perSec);
      sink += b.sink;
    }
  }

  for (let k = 0; k < 10; k++) sampleGrid(surface, 256, 256);
  const gridTimes: number[] = [];
  for (let k = 0; k < 50; k++) {
    const t0 = performance.now();
    const grid = sampleGrid(surface, 256, 256);
    gridTimes.push(performance.now() - t0);
    sink += grid.values[k]!;
  }
  if (Number.isNaN(sink)) console.error("(NaN in the sink: a surface returned NaN)");

  return {
    key,
    name: surface.name,
    apiPerSec: median(apiRates),
    inlinePerSec: kernel ? median(inlineRates) : null,
    maxRelDiff,
    gridMedianMs: median(gridTimes),
    gridP95Ms: percentile(ascending(gridTimes), 95),
  };
}

/** Loss+gradient evaluations per second of one surface through the API (one per process). */
function measureApi(surface: Surface, ms: number): number {
  const rng = createRng(12345);
  const thetas: Vec2[] = [];
  const { min, max } = surface.domain;
  for (let i = 0; i < POINTS; i++) {
    thetas.push([rng.uniform(min[0], max[0]), rng.uniform(min[1], max[1])]);
  }
  const api = (): number => {
    let acc = 0;
    for (let i = 0; i < thetas.length; i++) {
      const theta = thetas[i]!;
      const g = surface.gradient(theta);
      acc += surface.loss(theta) + g[0] + g[1];
    }
    return acc;
  };
  rate(api, POINTS, ms);
  const rates: number[] = [];
  let sink = 0;
  for (let k = 0; k < 5; k++) {
    const r = rate(api, POINTS, ms);
    rates.push(r.perSec);
    sink += r.sink;
  }
  if (Number.isNaN(sink)) console.error("(NaN in the sink)");
  return median(rates);
}

/** `--formula ID formula|catalog`: the rate of the compiled formula or of the catalog surface. */
function measureFormulaRate(id: string, variant: string, ms: number): { perSec: number } {
  const c = FORMULA_CASES.find((x) => x.id === id);
  if (!c) throw new Error(`no formula case ${id}`);
  const catalog = getSurface(id);
  const surface =
    variant === "formula" ? formulaSurface({ text: c.text, box: catalog.domain }) : catalog;
  return { perSec: measureApi(surface, ms) };
}

/** `--analysis`: analysis times per formula (ms): the first run, then `runs` more. */
function measureAnalysis(runs: number): { id: string; first: number; times: number[] }[] {
  const out: { id: string; first: number; times: number[] }[] = [];
  for (const c of FORMULA_CASES) {
    const box = getSurface(c.id).domain;
    // The first analysis of a formula in this process: its code not yet optimised by V8, what a
    // teacher's first submission costs.
    const t0 = performance.now();
    analyseFormula({ text: c.text, box });
    const first = performance.now() - t0;
    const times: number[] = [];
    for (let k = 0; k < runs; k++) {
      const t0 = performance.now();
      analyseFormula({ text: c.text, box });
      // The main thread's share (F7): compile the accepted text again.
      compileFormula(c.text);
      times.push(performance.now() - t0);
    }
    out.push({ id: c.id, first, times });
  }
  return out;
}

function runChild(self: string, args: string[]): string | null {
  const r = spawnSync(process.execPath, ["--import", "tsx", self, ...args], { encoding: "utf8" });
  if (r.status !== 0) {
    console.error(`${args.join(" ")}: failed\n${r.stderr}`);
    process.exitCode = 1;
    return null;
  }
  return r.stdout.trim().split("\n").pop()!;
}

function formulaSection(self: string, ms: number, runs: number): void {
  console.log();
  console.log(
    `formula surfaces — ${FORMULA_CASES.length} catalog surfaces typed as text, on the catalog's box`,
  );
  const header = [
    "surface",
    "formula",
    "catalog",
    "formula/catalog",
    "first analysis",
    "then p50",
    "p95",
  ];
  const analysis = runChild(self, ["--analysis", String(runs)]);
  const times = analysis
    ? (JSON.parse(analysis) as { id: string; first: number; times: number[] }[])
    : [];
  const table: string[][] = [];
  const ratios: number[] = [];
  for (const c of FORMULA_CASES) {
    const f = runChild(self, ["--formula", c.id, "formula", "--ms", String(ms)]);
    const k = runChild(self, ["--formula", c.id, "catalog", "--ms", String(ms)]);
    if (!f || !k) continue;
    const fr = (JSON.parse(f) as { perSec: number }).perSec;
    const kr = (JSON.parse(k) as { perSec: number }).perSec;
    ratios.push(fr / kr);
    const found = times.find((x) => x.id === c.id);
    const t = ascending(found?.times ?? [NaN]);
    table.push([
      c.id,
      fmtRate(fr),
      fmtRate(kr),
      `${(fr / kr).toFixed(2)}×`,
      `${(found?.first ?? NaN).toFixed(1)} ms`,
      `${percentile(t, 50).toFixed(1)} ms`,
      `${percentile(t, 95).toFixed(1)} ms`,
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of table) console.log(line(row));
  const all = ascending(times.flatMap((x) => x.times));
  console.log();
  console.log(
    `goal formula ≥ 0.5× catalog: ${ratios.filter((r) => r >= 0.5).length}/${ratios.length} surfaces (worst ${Math.min(...ratios).toFixed(2)}×)`,
  );
  console.log(
    `first analysis of each formula in a fresh process (${times.map((x) => x.id).join(", ")} in turn): max ${Math.max(...times.map((x) => x.first)).toFixed(1)} ms`,
  );
  console.log(
    `goal analysis p95 < 50 ms (the runs after the first): all formulas p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${percentile(all, 95).toFixed(1)} ms over ${all.length} runs; ${times.filter((x) => percentile(ascending(x.times), 95) < 50).length}/${times.length} formulas under 50 ms at p95`,
  );
}

/** `--only round-start` (see the module comment): ms per procedural build and per transform draw. */
function roundStartSection(): void {
  const fmt = (xs: number[]): string => {
    const sorted = ascending(xs);
    const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
    return `mean ${mean.toFixed(2)} ms, p50 ${percentile(sorted, 50).toFixed(2)} ms, p95 ${percentile(sorted, 95).toFixed(2)} ms`;
  };
  const build: number[] = [];
  const draw: number[] = [];
  for (let i = 0; i < 120; i++) {
    const t0 = performance.now();
    const surface = proceduralSurface(1000 + i * 7919, { difficulty: DIFFICULTIES[i % 3]! });
    const t1 = performance.now();
    drawTransform(surface, 424242 + i * 31, TRANSFORM_VERSION);
    build.push(t1 - t0);
    draw.push(performance.now() - t1);
  }
  const catalog: number[] = [];
  for (const surface of surfaces) {
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      drawTransform(surface, 777 + i * 13, TRANSFORM_VERSION);
      catalog.push(performance.now() - t0);
    }
  }
  console.log(
    `bench:lib round-start — node ${process.version}, transform version ${TRANSFORM_VERSION}`,
  );
  console.log(`procedural surface (120 seeds): ${fmt(build)}`);
  console.log(`its transform draw (T8 search): ${fmt(draw)}`);
  console.log(`catalog transform draw (${catalog.length}): ${fmt(catalog)}`);
}

function fmtRate(x: number | null): string {
  return x === null ? "—" : `${(x / 1e6).toFixed(1)} M/s`;
}

function main(): void {
  const ms = Number(arg("--ms") ?? 150);
  const formula = arg("--formula");
  if (formula) {
    const variant = process.argv[process.argv.indexOf("--formula") + 2] ?? "formula";
    process.stdout.write(JSON.stringify(measureFormulaRate(formula, variant, ms)) + "\n");
    return;
  }
  const analysisRuns = arg("--analysis");
  if (analysisRuns) {
    process.stdout.write(JSON.stringify(measureAnalysis(Number(analysisRuns))) + "\n");
    return;
  }
  const one = arg("--one");
  if (one) {
    process.stdout.write(JSON.stringify(measureOne(one, ms)) + "\n");
    return;
  }
  const only = arg("--only");
  const keys = [
    ...surfaces.map((s) => s.id),
    ...DIFFICULTIES.map((d) => `procedural:7:${d}`),
  ].filter((k) => !only || k === only);

  const self = fileURLToPath(import.meta.url);
  if (only === "round-start") {
    roundStartSection();
    return;
  }
  if (only === "formulas") {
    formulaSection(self, ms, Number(arg("--runs") ?? 30));
    return;
  }
  const rows: Result[] = [];
  console.log(
    `bench:lib — ${keys.length} surfaces, ${POINTS} points, ${ms} ms per measurement, node ${process.version}`,
  );
  for (const key of keys) {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", self, "--one", key, "--ms", String(ms)],
      {
        encoding: "utf8",
      },
    );
    if (r.status !== 0) {
      console.error(`${key}: failed\n${r.stderr}`);
      process.exitCode = 1;
      continue;
    }
    rows.push(JSON.parse(r.stdout.trim().split("\n").pop()!) as Result);
  }

  const header = ["surface", "API", "inline", "API/inline", "grid 256² median", "p95", "check"];
  const table = rows.map((r) => [
    r.key,
    fmtRate(r.apiPerSec),
    fmtRate(r.inlinePerSec),
    r.inlinePerSec ? `${(r.apiPerSec / r.inlinePerSec).toFixed(2)}×` : "—",
    `${r.gridMedianMs.toFixed(2)} ms`,
    `${r.gridP95Ms.toFixed(2)} ms`,
    r.maxRelDiff === null
      ? "no inline"
      : r.maxRelDiff < 1e-9
        ? "same maths"
        : `DIFFERS ${r.maxRelDiff.toExponential(1)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of table) console.log(line(row));

  const withInline = rows.filter((r) => r.inlinePerSec);
  const ratioOk = withInline.filter((r) => r.apiPerSec / r.inlinePerSec! >= 0.5).length;
  const gridOk = rows.filter((r) => r.gridMedianMs < 5).length;
  const worst = withInline.reduce((a, r) => Math.min(a, r.apiPerSec / r.inlinePerSec!), Infinity);
  console.log();
  console.log(
    `goal API ≥ 0.5× inline: ${ratioOk}/${withInline.length} surfaces (worst ${worst.toFixed(2)}×)`,
  );
  console.log(
    `goal 256×256 grid < 5 ms (median): ${gridOk}/${rows.length} surfaces (worst ${Math.max(...rows.map((r) => r.gridMedianMs)).toFixed(2)} ms)`,
  );
  if (rows.some((r) => r.maxRelDiff !== null && r.maxRelDiff >= 1e-9)) {
    console.log("WARNING: an inline formula differs from its surface; its ratio is meaningless.");
    process.exitCode = 1;
  }
  if (!only) formulaSection(self, ms, Number(arg("--runs") ?? 30));
}

main();
