import { exp } from "../math";
import { edgeMinimum, euclid, findLocalMinima, globalMinima } from "../procedural-search";
import type { Box, Hessian, Minimum, Surface, Vec2 } from "../types";
import { chooseBotEta, floor2, pickStart } from "./box-choices";
import { DATA_MAX_BOX_SIDE, DATA_MAX_POINTS, DATA_MAX_X, DATA_MIN_POINTS } from "./data-limits";

/*
 * The seed's neuron on the class's own data (issue 14 §2, docs/SPEC.md F9–F12): one sigmoid
 * neuron f(x) = σ(wx + b), σ(z) = 1/(1 + e^(−z)), fitted to the teacher's points (xᵢ, yᵢ) by
 * L(w, b) = ½ Σ (σ(wxᵢ + b) − yᵢ)². No parsing: the loss and its derivatives are written out
 * (as in ./neuron.ts, which is this surface on the seed's two points):
 *   fᵢ = σ(wxᵢ + b), gᵢ = (fᵢ − yᵢ) fᵢ(1 − fᵢ), ∇L = Σ gᵢ [xᵢ, 1],
 *   hᵢ = fᵢ(1 − fᵢ) [fᵢ(1 − fᵢ) + (fᵢ − yᵢ)(1 − 2fᵢ)], ∇²L = Σ hᵢ [xᵢ², xᵢ; xᵢ, 1].
 */

export { DATA_MAX_BOX_SIDE, DATA_MAX_POINTS, DATA_MAX_X, DATA_MIN_POINTS };

/** A data round's payload: the points (x, y) and the box of θ = (w, b). */
export interface DataSpec {
  readonly points: readonly Vec2[];
  readonly box: Box;
}

/** A refused data set: `check` names the failed check, the message says which point or why. */
export class DataError extends Error {
  constructor(
    readonly check: "points" | "box" | "minimum",
    message: string,
  ) {
    super(message);
    this.name = "DataError";
  }
}

/** The default box of a data round: the catalog neuron's, [−6, 6]². */
export const DATA_DEFAULT_BOX: Box = { min: [-6, -6], max: [6, 6] };

/** The seed article's two points, (0.5, 0.2) and (2.5, 0.9) (the catalog's `neuron`). */
export const SEED_POINTS: readonly Vec2[] = [
  [0.5, 0.2],
  [2.5, 0.9],
];

function show(v: unknown): string {
  return typeof v === "number" ? String(v) : (JSON.stringify(v) ?? String(v));
}

/**
 * F9: 2–50 points, each a pair of finite numbers with |x| ≤ 1000 and 0 ≤ y ≤ 1 (a sigmoid's
 * output), at least two different x; the box as for formulas (finite, min < max, sides ≤ 100).
 * Throws a {@link DataError} naming the first bad point.
 */
export function checkDataSpec(spec: DataSpec): void {
  const points = spec?.points;
  if (!Array.isArray(points)) throw new DataError("points", "the points must be a list of (x, y)");
  if (points.length < DATA_MIN_POINTS || points.length > DATA_MAX_POINTS) {
    throw new DataError(
      "points",
      `${points.length} point${points.length === 1 ? "" : "s"}: a data round takes ${DATA_MIN_POINTS} to ${DATA_MAX_POINTS}`,
    );
  }
  for (const [i, p] of points.entries()) {
    const n = i + 1;
    if (!Array.isArray(p) || p.length !== 2) {
      throw new DataError("points", `point ${n} is not a pair (x, y)`);
    }
    const [x, y] = p as unknown[];
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new DataError("points", `point ${n}: x = ${show(x)} is not a finite number`);
    }
    if (typeof y !== "number" || !Number.isFinite(y)) {
      throw new DataError("points", `point ${n}: y = ${show(y)} is not a finite number`);
    }
    if (Math.abs(x) > DATA_MAX_X) {
      throw new DataError("points", `point ${n}: x = ${x} is outside −${DATA_MAX_X}…${DATA_MAX_X}`);
    }
    if (y < 0 || y > 1) {
      throw new DataError(
        "points",
        `point ${n}: y = ${y} is outside 0…1 (the neuron's output σ(wx + b) is between 0 and 1)`,
      );
    }
  }
  if (points.every((p) => p[0] === points[0]![0])) {
    throw new DataError("points", "every point has the same x: the data needs two different x");
  }
  const box = spec.box;
  const ok = (x: unknown) => typeof x === "number" && Number.isFinite(x);
  if (!box || !ok(box.min?.[0]) || !ok(box.min?.[1]) || !ok(box.max?.[0]) || !ok(box.max?.[1])) {
    throw new DataError("box", "the box needs four finite numbers");
  }
  for (const [i, v] of [
    [0, "w"],
    [1, "b"],
  ] as const) {
    const side = box.max[i] - box.min[i];
    if (!(side > 0)) throw new DataError("box", `the ${v} range is empty or inverted`);
    if (side > DATA_MAX_BOX_SIDE) {
      throw new DataError("box", `the ${v} range is wider than ${DATA_MAX_BOX_SIDE}`);
    }
  }
}

/** σ(z) = 1/(1 + e^(−z)) with lib/math's exp (the same bits on every machine, R16). */
export function sigmoid(z: number): number {
  return 1 / (1 + exp(-z));
}

/**
 * The neuron's squared error on `points` with its analytic gradient and Hessian (F10). The sums
 * run in the points' order, so on the seed's two points they are bit for bit the catalog's
 * `neuron` (whose formulas are these, written out for two points).
 */
export function dataFunctions(points: readonly Vec2[]) {
  const n = points.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const xx = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = points[i]![0];
    ys[i] = points[i]![1];
    xx[i] = xs[i]! * xs[i]!;
  }
  const loss = (theta: Vec2): number => {
    const w = theta[0];
    const b = theta[1];
    let s = 0;
    for (let i = 0; i < n; i++) {
      const e = 1 / (1 + exp(-(xs[i]! * w + b))) - ys[i]!;
      s += e * e;
    }
    return 0.5 * s;
  };
  const gradient = (theta: Vec2): Vec2 => {
    const w = theta[0];
    const b = theta[1];
    let gw = 0;
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const f = 1 / (1 + exp(-(xs[i]! * w + b)));
      const g = (f - ys[i]!) * f * (1 - f);
      gw += xs[i]! * g;
      gb += g;
    }
    return [gw, gb];
  };
  const hessian = (theta: Vec2): Hessian => {
    const w = theta[0];
    const b = theta[1];
    let hww = 0;
    let hwb = 0;
    let hbb = 0;
    for (let i = 0; i < n; i++) {
      const f = 1 / (1 + exp(-(xs[i]! * w + b)));
      const d = f * (1 - f);
      const h = d * (d + (f - ys[i]!) * (1 - 2 * f));
      hww += xx[i]! * h;
      hwb += xs[i]! * h;
      hbb += h;
    }
    return [
      [hww, hwb],
      [hwb, hbb],
    ];
  };
  return { loss, gradient, hessian };
}

/** What the checks of a data set find (F11): its global minima, start, η_max and bot η. */
export interface DataAnalysis {
  readonly minima: readonly Minimum[];
  readonly start: Vec2;
  readonly etaMax: number;
  readonly botEta: number;
}

/**
 * F11: check the points and box (F9), find the global minimum inside the box by the multi-start
 * damped Newton search formulas and procedural surfaces use (9 × 9 starts), refuse a data set
 * whose best fit lies on or beyond the box's edge (separable data: the loss keeps falling as w
 * grows), and choose the start, η_max and bot η as for a formula (F5). Throws {@link DataError}.
 */
export function analyseData(spec: DataSpec): DataAnalysis {
  checkDataSpec(spec);
  const box = spec.box;
  const fns = dataFunctions(spec.points);
  const minima = globalMinima(findLocalMinima(fns, box, { gridSize: 9 }));
  const best = minima[0];
  const edge = edgeMinimum(fns.loss, box, 201);
  if (!best || edge < best.loss) {
    throw new DataError(
      "minimum",
      "the best fit is on the edge of the box or beyond it (the loss keeps falling towards the edge, as for data a step function separates): widen the box, or add points that overlap",
    );
  }
  const start = pickStart(fns, minima, box);
  const scale = euclid(box.max[0] - box.min[0], box.max[1] - box.min[1]);
  return { minima, start, etaMax: floor2(0.15 * scale), botEta: chooseBotEta(fns, start, box) };
}

function num(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** The surface of a data round (F10, F11), or a {@link DataError}. */
export function dataSurface(spec: DataSpec): Surface {
  const analysis = analyseData(spec);
  const fns = dataFunctions(spec.points);
  const box = spec.box;
  const n = spec.points.length;
  const listed = spec.points
    .slice(0, 6)
    .map((p) => `(${num(p[0])}, ${num(p[1])})`)
    .join(", ");
  return {
    id: dataId(spec),
    name: "one sigmoid neuron on the class's data",
    description: `The error of one sigmoid neuron f(x) = σ(wx + b) fitted to the class's ${n} points: where the sigmoid saturates the loss is flat, towards the fit it falls into a valley.`,
    formula: `L(w, b) = ½ Σ (σ(w xᵢ + b) − yᵢ)² over ${n} points ${listed}${n > 6 ? ", …" : ""}; σ(z) = 1 / (1 + e⁻ᶻ)`,
    loss: fns.loss,
    gradient: fns.gradient,
    hessian: fns.hessian,
    domain: { min: [box.min[0], box.min[1]], max: [box.max[0], box.max[1]] },
    minima: analysis.minima.map((m) => ({ theta: [m.theta[0], m.theta[1]], loss: m.loss })),
    start: [analysis.start[0], analysis.start[1]],
    etaMax: analysis.etaMax,
    botEta: analysis.botEta,
    difficulty: "medium",
  };
}

/** A stable id for a data surface: `data:<box>:<x>,<y>;<x>,<y>;…` (numbers read back exactly). */
export function dataId(spec: DataSpec): string {
  const b = spec.box;
  return `data:${b.min[0]},${b.min[1]},${b.max[0]},${b.max[1]}:${spec.points.map((p) => `${p[0]},${p[1]}`).join(";")}`;
}
