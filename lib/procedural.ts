import {
  edgeMinimum,
  euclid,
  findLocalMinima,
  globalMinima,
  symmetricEigenvalues,
} from "./procedural-search";
import {
  addPlateau,
  BUMP_STRIDE,
  drawTerrain,
  terraceSlope,
  terrainFormula,
  terrainFunctions,
  type Terrain,
  type TerrainFunctions,
} from "./procedural-terrain";

export type { Terrain } from "./procedural-terrain";
import { createRng, deriveSeed, type Rng } from "./random";
import {
  DIFFICULTIES,
  type Box,
  type Difficulty,
  type Minimum,
  type Surface,
  type Vec2,
} from "./types";

/**
 * Procedural surfaces: a new error surface from an integer seed, so that every round can be new.
 *
 * The family (θ = (w, b); every number drawn from the seeded generator and rounded to 3
 * significant digits, so the formula shown at the reveal is exact):
 *
 *   B(θ) = ½ (θ − c)ᵀ A (θ − c) + tᵀθ − Σᵢ aᵢ φ(‖θ − μᵢ‖²/σᵢ²) + Σⱼ rⱼ φ((θ − νⱼ)ᵀ Mⱼ (θ − νⱼ))
 *   L(θ) = B(θ) − Δ s((B(θ) − h)/ε)          (with a plateau; L = B without)
 *   φ(q) = (1 + q/16)⁻⁸,   s(z) = ½ (1 + z/√(1 + z²))
 *
 * a rotated, anisotropic, tilted bowl (A positive definite, tilt t), wells (dips of depth aᵢ and
 * width σᵢ; φ is a Gaussian-shaped Student-t kernel), ridges (elongated bumps, Mⱼ with axis ratio
 * 2–6) and a plateau: a terrace at the height h where ∇L = ψ'(B)∇B shrinks to 5% of the slope
 * (Δ = 1.9ε), a flat shelf around the basin. Gradient and Hessian are exact and hand-derived;
 * see lib/procedural-terrain.ts for the derivation and for why φ and s avoid `Math.exp`.
 */

/** Options of {@link proceduralSurface}. */
export interface ProceduralOptions {
  /**
   * How rugged the terrain is (the bowl's curvature ratio λ₁/λ₂, then the features):
   * - easy: ratio 1.3–2.5, at most one shallow well (depth ≤ 0.5);
   * - medium: ratio 2.5–5, one or two wells, at most one ridge, a plateau half of the time;
   * - hard: ratio 5–10, two or three wells deep enough to compete with the bowl's own minimum,
   *   one or two ridges, one plateau;
   * - expert: ratio 10–20, three or four competing wells, two or three ridges, one plateau.
   * A feature that does not fit (no room, or a plateau that would be too sharp) is left out; the
   * description tells the real counts.
   * @default "medium"
   */
  readonly difficulty?: Difficulty;
}

/** The option names {@link proceduralSurface} accepts. */
const OPTION_KEYS: readonly string[] = ["difficulty"];

/** The playing field of every procedural surface: [−5, 5]². */
export const PROCEDURAL_DOMAIN: Box = Object.freeze({
  min: Object.freeze([-5, -5] as const),
  max: Object.freeze([5, 5] as const),
});

/** η_max for every procedural surface: 12 full steps cover 18, about 1.3 box diagonals. */
const ETA_MAX = 1.5;
/** Terrain draws tried before falling back to the bare bowl. */
const MAX_ATTEMPTS = 16;
/** The global minimum must lie in [−INNER, INNER]², well inside the box. */
const INNER = 4.25;
/** Every point of the box's edge must be at least this much above L*. */
const EDGE_MARGIN = 0.1;
/** Points per edge when checking the edge. */
const EDGE_SAMPLES = 401;
/** The start is drawn in [−START_BOX, START_BOX]². */
const START_BOX = 4.5;
/** The start is at least this fraction of the box diagonal away from every global minimum. */
const START_DISTANCE = 0.4;
/** L(θ₀) − L* the start should have, so that there is a real descent to make. */
const START_GAP = 4;
/** Smallest ‖∇L‖ accepted at the start. */
const START_SLOPE = 0.1;
/** Smallest ψ'(B) accepted at the start: it must not be on a plateau. */
const START_TERRACE_SLOPE = 0.5;
/** Grid (n × n) on which the largest Hessian eigenvalue is taken for the bot's η. */
const CURVATURE_GRID = 41;
/** Steps of the bot's gradient descent checked for monotone decrease. */
const BOT_CHECK_STEPS = 200;

/** The id of a procedural surface: `procedural-<seed>-<difficulty>`. */
export function proceduralId(seed: number, difficulty: Difficulty): string {
  return `procedural-${String(seed)}-${difficulty}`;
}

/**
 * The seed and difficulty of a procedural id (`procedural-<seed>-<difficulty>`, as made by
 * {@link proceduralSurface}), or null if `id` is not one: the seed must be a safe integer written
 * canonically (no leading zeros, no "-0", no exponent).
 */
export function parseProceduralId(id: string): { seed: number; difficulty: Difficulty } | null {
  if (typeof id !== "string") return null;
  const m = /^procedural-(-?(?:0|[1-9][0-9]*))-([a-z]+)$/.exec(id);
  if (!m || m[1] === "-0") return null;
  const seed = Number(m[1]);
  const difficulty = DIFFICULTIES.find((d) => d === m[2]);
  if (!Number.isSafeInteger(seed) || difficulty === undefined) return null;
  return { seed, difficulty };
}

/**
 * A procedural error surface, the same for the same seed and options on every machine.
 *
 * L(θ) = ψ(B(θ)) with B(θ) = ½ (θ − c)ᵀA(θ − c) + tᵀθ − Σᵢ aᵢ φ(‖θ − μᵢ‖²/σᵢ²)
 * + Σⱼ rⱼ φ((θ − νⱼ)ᵀMⱼ(θ − νⱼ)), φ(q) = (1 + q/16)⁻⁸, and ψ(u) = u − Δ s((u − h)/ε) a terrace
 * (plateau) at the height h when there is one; see {@link ProceduralOptions} for what each
 * difficulty draws. The domain is [−5, 5]².
 *
 * The global minimum is computed: damped Newton's method (exact Hessian, Levenberg shift where
 * it is indefinite, Armijo backtracking) from a 7 × 7 grid of starts, the bowl's own minimum and
 * every well's centre, on B (ψ is increasing, so L has the same minimisers); the lowest strict
 * local minimum is L*, and every minimum within 10⁻⁹ relative of it is listed. A draw is kept
 * only if that minimum lies in [−4.25, 4.25]², every point of the box's edge (401 per side) is at
 * least 0.1 above L* (so no constrained minimum hides there) and a start exists; otherwise the
 * generator draws again (after 16 draws, a bare bowl). The start is at least 40% of the box
 * diagonal from every global minimum, with ‖∇L‖ ≥ 0.1, L(θ₀) − L* ≥ 4 when possible and off the
 * plateau, which is placed between the two heights. The bot's η is 1/λ_max, λ_max the largest
 * |eigenvalue| of ∇²L on a 41 × 41 grid, rounded down to 2 digits and halved until 200 projected
 * gradient steps from the start never increase L. η_max is 1.5 (12 steps cover 1.3 diagonals).
 *
 * @param seed any safe integer
 * @throws TypeError or RangeError, naming the bad argument and what is allowed
 */
export function proceduralSurface(seed: number, options?: ProceduralOptions): Surface {
  const difficulty = checkArguments(seed, options);
  const settled = build(seed, difficulty);
  return assemble(seed, difficulty, settled, settled.fns);
}

/**
 * What {@link proceduralSurface} computes (the terrain, its global minima, the start and the
 * bot's η: the milliseconds of Newton's method, the start search and the curvature grid) as plain
 * data, without the closures: it survives `structuredClone` and `postMessage`, so another thread
 * can compute it and {@link proceduralFromBuild} turn it into the surface in microseconds.
 */
export interface ProceduralBuild {
  readonly terrain: Terrain;
  readonly minima: readonly Minimum[];
  readonly start: Vec2;
  readonly botEta: number;
}

/** The {@link ProceduralBuild} of `proceduralSurface(seed, options)`; throws as it does. */
export function proceduralBuild(seed: number, options?: ProceduralOptions): ProceduralBuild {
  const { terrain, minima, start, botEta } = build(seed, checkArguments(seed, options));
  return { terrain, minima, start, botEta };
}

/**
 * `proceduralSurface(seed, options)` from its {@link proceduralBuild} (made here or on another
 * thread): bit for bit the same surface, for the closures are made again from the same terrain.
 * The build must be of the same seed and options (nothing checks it: it is the caller's).
 */
export function proceduralFromBuild(
  seed: number,
  options: ProceduralOptions | undefined,
  built: ProceduralBuild,
): Surface {
  const difficulty = checkArguments(seed, options);
  return assemble(seed, difficulty, built, terrainFunctions(built.terrain));
}

/**
 * The parameters behind {@link proceduralSurface}(seed, options): the bowl, the bumps and the
 * plateau (see lib/procedural-terrain.ts), for tests and tools that draw the features. Never send
 * them to a player before the reveal.
 */
export function proceduralTerrain(seed: number, options?: ProceduralOptions): Terrain {
  return build(seed, checkArguments(seed, options)).terrain;
}

function build(seed: number, difficulty: Difficulty): Settled {
  const rng = createRng(deriveSeed(seed, `procedural/${difficulty}`));
  for (let attempt = 0; attempt <= MAX_ATTEMPTS; attempt++) {
    const drawn = drawTerrain(rng, difficulty, attempt === MAX_ATTEMPTS);
    const built = settle(drawn.terrain, drawn.plateaus, rng);
    if (built) return built;
  }
  throw new Error(`proceduralSurface: no valid terrain for seed ${seed} (${difficulty})`);
}

/** A build and the closures of its terrain (the checks of {@link settle} ran them). */
interface Settled extends ProceduralBuild {
  readonly fns: TerrainFunctions;
}

/**
 * Find the bowl-and-features terrain's global minimum, check it, pick a start, add the plateau
 * between the two heights, and pick the bot's η; null if the draw is unfit.
 */
function settle(drawn: Terrain, plateaus: number, rng: Rng): Settled | null {
  const box = PROCEDURAL_DOMAIN;
  const base = terrainFunctions(drawn);
  const det = drawn.a11 * drawn.a22 - drawn.a12 * drawn.a12;
  const extraStarts: Vec2[] = [
    [
      drawn.cx - (drawn.a22 * drawn.tx - drawn.a12 * drawn.ty) / det,
      drawn.cy - (drawn.a11 * drawn.ty - drawn.a12 * drawn.tx) / det,
    ],
  ];
  for (let i = 0; i < drawn.wells; i++) {
    extraStarts.push([drawn.bumps[i * BUMP_STRIDE + 1]!, drawn.bumps[i * BUMP_STRIDE + 2]!]);
  }
  const lowest = globalMinima(findLocalMinima(base, box, { extraStarts }));
  const best = lowest[0];
  if (!best) return null;
  for (const m of lowest) {
    if (Math.abs(m.theta[0]) > INNER || Math.abs(m.theta[1]) > INNER) return null;
  }
  const start = pickStart(base, lowest, rng);
  if (!start) return null;
  // The plateau: L = ψ(B) with ψ increasing has the same minimisers; only the values change.
  const terrain = plateaus > 0 ? addPlateau(drawn, rng, best.loss, base.loss(start), box) : drawn;
  const fns = terrainFunctions(terrain);
  const minima = lowest.map((m) => ({ theta: m.theta, loss: fns.loss(m.theta) }));
  const lStar = Math.min(...minima.map((m) => m.loss));
  if (!(edgeMinimum(fns.loss, box, EDGE_SAMPLES) >= lStar + EDGE_MARGIN)) return null;
  const g = fns.gradient(start);
  if (!(euclid(g[0], g[1]) >= START_SLOPE)) return null;
  if (!(terraceSlope(terrain, base.loss(start)) >= START_TERRACE_SLOPE)) return null;
  return { terrain, fns, minima, start, botEta: botEta(fns, start) };
}

/**
 * A start: the first of 512 uniform draws in [−4.5, 4.5]² (rounded to 2 decimals; then the four
 * corners of that square) that is far from every global minimum, on a real slope and at least
 * {@link START_GAP} above L*; failing that, the fitting candidate highest above L*.
 */
function pickStart(fns: TerrainFunctions, minima: readonly Minimum[], rng: Rng): Vec2 | null {
  const box = PROCEDURAL_DOMAIN;
  const far = START_DISTANCE * euclid(box.max[0] - box.min[0], box.max[1] - box.min[1]);
  const lStar = Math.min(...minima.map((m) => m.loss));
  const candidates: Vec2[] = [];
  for (let i = 0; i < 512; i++) {
    candidates.push([
      Number(rng.uniform(-START_BOX, START_BOX).toFixed(2)),
      Number(rng.uniform(-START_BOX, START_BOX).toFixed(2)),
    ]);
  }
  candidates.push(
    [-START_BOX, -START_BOX],
    [START_BOX, -START_BOX],
    [-START_BOX, START_BOX],
    [START_BOX, START_BOX],
  );
  let fallback: Vec2 | null = null;
  let fallbackGap = -Infinity;
  for (const theta of candidates) {
    if (minima.some((m) => euclid(theta[0] - m.theta[0], theta[1] - m.theta[1]) < far)) {
      continue;
    }
    const g = fns.gradient(theta);
    if (!(euclid(g[0], g[1]) >= START_SLOPE)) continue;
    const gap = fns.loss(theta) - lStar;
    if (gap >= START_GAP) return theta;
    if (gap > fallbackGap) {
      fallback = theta;
      fallbackGap = gap;
    }
  }
  return fallback;
}

/** x rounded down to 2 significant digits (decimal arithmetic through exact-spec conversions). */
function floor2(x: number): number {
  const exponent = Number(x.toExponential().split("e")[1]);
  const unit = Number(`1e${exponent - 1}`);
  return Number((Math.floor(x / unit) * unit).toPrecision(2));
}

/**
 * The bot's η: 1/λ_max over a grid, rounded down, halved until projected gradient descent from
 * the start decreases L monotonically for {@link BOT_CHECK_STEPS} steps.
 */
function botEta(fns: TerrainFunctions, start: Vec2): number {
  const box = PROCEDURAL_DOMAIN;
  let lambda = 0;
  for (let i = 0; i < CURVATURE_GRID; i++) {
    for (let j = 0; j < CURVATURE_GRID; j++) {
      const w = box.min[0] + (i / (CURVATURE_GRID - 1)) * (box.max[0] - box.min[0]);
      const b = box.min[1] + (j / (CURVATURE_GRID - 1)) * (box.max[1] - box.min[1]);
      const [lo, hi] = symmetricEigenvalues(fns.hessian([w, b]));
      lambda = Math.max(lambda, Math.abs(lo), Math.abs(hi));
    }
  }
  let eta = floor2(1 / lambda);
  for (let halvings = 0; halvings < 8; halvings++) {
    if (descends(fns, start, eta)) break;
    eta = floor2(eta / 2);
  }
  return eta;
}

/** Whether projected gradient descent with step η from `start` never increases L. */
function descends(fns: TerrainFunctions, start: Vec2, eta: number): boolean {
  const box = PROCEDURAL_DOMAIN;
  let w = start[0];
  let b = start[1];
  let value = fns.loss(start);
  for (let i = 0; i < BOT_CHECK_STEPS; i++) {
    const g = fns.gradient([w, b]);
    w = Math.min(box.max[0], Math.max(box.min[0], w - eta * g[0]));
    b = Math.min(box.max[1], Math.max(box.min[1], b - eta * g[1]));
    const next = fns.loss([w, b]);
    if (!(next <= value + 1e-12 * (1 + Math.abs(value)))) return false;
    value = next;
  }
  return true;
}

const WORDS = ["no", "one", "two", "three", "four", "five", "six"];

function count(n: number, singular: string, plural: string): string {
  return `${WORDS[n] ?? String(n)} ${n === 1 ? singular : plural}`;
}

/** One or two sentences for players: the bowl's shape and the features, in words. */
function describe(seed: number, difficulty: Difficulty, terrain: Terrain): string {
  const [lo, hi] = symmetricEigenvalues([
    [terrain.a11, terrain.a12],
    [terrain.a12, terrain.a22],
  ]);
  const ratio = hi / lo;
  const bowl =
    ratio < 1.5
      ? "A nearly round, tilted bowl"
      : `A tilted bowl about ${Math.round(ratio)} times steeper across its valley than along it`;
  const features: string[] = [];
  if (terrain.wells > 0) {
    features.push(
      `${count(terrain.wells, "well", "wells")} (${terrain.wells === 1 ? "a dip" : "dips"} that can hold a local minimum)`,
    );
  }
  if (terrain.ridges > 0) {
    features.push(`${count(terrain.ridges, "ridge", "ridges")} to go over or around`);
  }
  if (terrain.plateaus > 0) {
    features.push(
      `${count(terrain.plateaus, "plateau", "plateaus")} (${terrain.plateaus === 1 ? "a flat terrace" : "flat terraces"} around the basin where the gradient almost vanishes)`,
    );
  }
  const list =
    features.length === 0
      ? ", with nothing else on it: plain gradient descent works"
      : `, with ${features.length === 1 ? features[0] : `${features.slice(0, -1).join(", ")} and ${features[features.length - 1]}`}`;
  return `${bowl}${list}. Generated from seed ${String(seed)} at ${difficulty} difficulty.`;
}

function assemble(
  seed: number,
  difficulty: Difficulty,
  s: ProceduralBuild,
  fns: TerrainFunctions,
): Surface {
  const terrain = s.terrain;
  return Object.freeze({
    id: proceduralId(seed, difficulty),
    name: `Procedural terrain #${String(seed)} (${difficulty})`,
    description: describe(seed, difficulty, terrain),
    formula: terrainFormula(terrain),
    loss: fns.loss,
    gradient: fns.gradient,
    hessian: fns.hessian,
    domain: PROCEDURAL_DOMAIN,
    minima: Object.freeze(
      s.minima.map((m) => Object.freeze({ theta: Object.freeze(m.theta), loss: m.loss })),
    ),
    start: Object.freeze(s.start),
    etaMax: ETA_MAX,
    botEta: s.botEta,
    difficulty,
  });
}

// ---------------------------------------------------------------------------------------------
// Argument checks.

/** A value as it appears in an error message. */
function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "bigint") return `${String(value)}n`;
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "function") return "a function";
  if (value === null || value === undefined || typeof value === "boolean") return String(value);
  return Array.isArray(value) ? "an array" : "an object";
}

function checkArguments(seed: unknown, options: unknown): Difficulty {
  if (typeof seed !== "number") {
    throw new TypeError(`proceduralSurface: seed must be a safe integer; got ${show(seed)}`);
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`proceduralSurface: seed must be a safe integer; got ${show(seed)}`);
  }
  if (options === undefined) return "medium";
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(
      `proceduralSurface: options must be an object with optional key difficulty; got ${show(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new TypeError(
        `proceduralSurface: unknown option ${JSON.stringify(key)}; allowed options: ${OPTION_KEYS.join(", ")}`,
      );
    }
  }
  const difficulty: unknown = (options as { difficulty?: unknown }).difficulty;
  if (difficulty === undefined) return "medium";
  const known = DIFFICULTIES.find((d) => d === difficulty);
  if (known === undefined) {
    const message = `proceduralSurface: difficulty must be one of ${DIFFICULTIES.join(", ")}; got ${show(difficulty)}`;
    throw typeof difficulty === "string" ? new RangeError(message) : new TypeError(message);
  }
  return known;
}
