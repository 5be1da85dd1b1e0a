import { atan2, cos, exp, hypot, log, pow, sin } from "../math";
import { createRng, deriveSeed } from "../random";
import type { Rng } from "../random";
import type { Box, Hessian, Minimum, Surface, Vec2 } from "../types";

/**
 * Per-round transforms of a surface (docs/SPEC.md T1–T7, issue 17): the same function, seen
 * through a random similarity of (w, b) and a positive affine map of the loss, so that nothing a
 * player sees before the reveal tells which catalog surface it is.
 *
 * With M the rotation by `angle` degrees (after a reflection b → −b when `reflect`), a point θ of
 * the original surface is shown at θ' = scale · M (θ − origin) + start, and L'(θ') =
 * lossScale · L(θ) + lossOffset. Gradients and Hessians follow exactly:
 * ∇L'(θ') = (lossScale / scale) M ∇L(θ), ∇²L'(θ') = (lossScale / scale²) M ∇²L(θ) Mᵀ.
 */

/**
 * What a {@link SurfaceRef} stores: the seed every parameter is drawn from ({@link drawTransform})
 * and the version of the drawing (T8): absent is version 1, kept so that the rounds, challenges and
 * dailies stored with it replay bit for bit; the server draws version 2.
 */
export interface SurfaceTransform {
  /** An unsigned 32-bit integer. */
  readonly seed: number;
  /** 2 for the current drawing; absent for version 1. */
  readonly version?: 2;
}

/** The version of the drawing new transforms use (T8). */
export const TRANSFORM_VERSION = 2 as const;

/** Every parameter of a transform (derived from its seed and the surface; never stored). */
export interface TransformParams {
  /** Rotation in degrees in [0, 360), counter-clockwise (whole degrees in version 1). */
  readonly angle: number;
  /** Whether b → −b is applied before the rotation. */
  readonly reflect: boolean;
  /** Shown length per original length (> 0). */
  readonly scale: number;
  /** The original point shown at `start`: the round's start on the original surface. */
  readonly origin: Vec2;
  /** θ₀ as shown. */
  readonly start: Vec2;
  /** The box as shown (its preimage lies inside the original domain). */
  readonly box: Box;
  /** a > 0 of L' = a L + c. */
  readonly lossScale: number;
  /** c of L' = a L + c. */
  readonly lossOffset: number;
  /** η_max as shown. */
  readonly etaMax: number;
  /** The bot's η as shown: the original bot η × scale² / lossScale (the same bot path). */
  readonly botEta: number;
}

/**
 * Whether `value` is a valid stored transform: `{ seed }` or `{ seed, version: 2 }` with an
 * unsigned 32-bit seed, nothing else.
 */
export function isSurfaceTransform(value: unknown): value is SurfaceTransform {
  if (typeof value !== "object" || value === null) return false;
  const keys = Object.keys(value).sort();
  const { seed, version } = value as { seed?: unknown; version?: unknown };
  const shape =
    (keys.length === 1 && keys[0] === "seed") ||
    (keys.length === 2 && keys[0] === "seed" && keys[1] === "version" && version === 2);
  return (
    shape && typeof seed === "number" && Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff
  );
}

/**
 * Throws, naming the problem, unless `transform` is absent or {@link isSurfaceTransform} (what a
 * stored ref may hold).
 */
export function checkSurfaceTransform(
  transform: unknown,
): asserts transform is SurfaceTransform | undefined {
  if (transform !== undefined && !isSurfaceTransform(transform)) {
    throw new Error(
      `invalid surface transform ${JSON.stringify(transform)}: expected { seed } or { seed, version: 2 } with an unsigned 32-bit integer seed`,
    );
  }
}

// ── The frame's distribution (T3): the same for every surface ─────────────────────────────────

/** Shown box width: log-uniform in [10^LO, 10^HI]. */
const WIDTH_LOG10: readonly [number, number] = [0.75, 1.5];
/** Shown box height / width: log-uniform in [1/e^A, e^A]. */
const ASPECT_LOG = 0.25;
/** Shown box centre: uniform in [−C, C]². */
const CENTRE = 20;
/** θ₀'s place in the box, per axis (0 = min edge, 1 = max edge). */
const START_PLACE: readonly [number, number] = [0.3, 0.7];
/** Box width in steps of η_max. */
const WIDTH_IN_STEPS: readonly [number, number] = [4.5, 5.5];
/** |∇L'(θ₀)| · η_max (the first-order change of a full step downhill): log-uniform. */
const FULL_STEP_CHANGE: readonly [number, number] = [2, 50];
/** L'(θ₀): uniform. */
const START_LOSS: readonly [number, number] = [20, 200];

// ── The field on the original surface (T4) ───────────────────────────────────────────────────

/** The preimage's width as a fraction of the original domain's shorter side. */
const FIELD_FRACTION: readonly [number, number] = [0.45, 0.72];
/** The start's loss lies between these quantiles of the loss over the field. */
const START_BAND: readonly [number, number] = [0.5, 0.95];
/** The start is at least this fraction of the field's width from every global minimum. */
const START_DISTANCE = 0.3;
/** Candidate placements tried before the band is relaxed. */
const TRIES = 600;
/** Ever smaller fields tried after that, if no placement fitted at all. */
const SHRINKS = 200;
/** Samples per side of the field's loss quantiles. */
const QUANTILE_GRID = 12;

/** A rotation by `angleRad` as its cosine and sine, computed once (they are the costly part). */
interface Rotation {
  readonly c: number;
  readonly s: number;
}

function rotation(angleRad: number): Rotation {
  return { c: cos(angleRad), s: sin(angleRad) };
}

/** M v: reflect (b → −b) then rotate. */
function apply({ c, s }: Rotation, reflect: boolean, v: Vec2): Vec2 {
  const x = v[0];
  const y = reflect ? -v[1] : v[1];
  return [c * x - s * y, s * x + c * y];
}

/** Mᵀ v (M is orthogonal). */
function unapply({ c, s }: Rotation, reflect: boolean, v: Vec2): Vec2 {
  const x = c * v[0] + s * v[1];
  const y = -s * v[0] + c * v[1];
  return [x, reflect ? -y : y];
}

function logUniform(rng: Rng, [lo, hi]: readonly [number, number]): number {
  return exp(rng.uniform(log(lo), log(hi)));
}

function inside(theta: Vec2, box: Box, tolerance = 0): boolean {
  return (
    theta[0] >= box.min[0] - tolerance &&
    theta[0] <= box.max[0] + tolerance &&
    theta[1] >= box.min[1] - tolerance &&
    theta[1] <= box.max[1] + tolerance
  );
}

/** The shown point of an original one (`forward`), and back. */
export function transformMap(
  p: Pick<TransformParams, "angle" | "reflect" | "scale" | "origin" | "start">,
) {
  const rad = (p.angle * Math.PI) / 180;
  // The search (T4, T8) maps hundreds of points per candidate: the cosine and sine once here.
  const turn = rotation(rad);
  return {
    rad,
    forward(theta: Vec2): Vec2 {
      const v = apply(turn, p.reflect, [theta[0] - p.origin[0], theta[1] - p.origin[1]]);
      return [p.start[0] + p.scale * v[0], p.start[1] + p.scale * v[1]];
    },
    back(shown: Vec2): Vec2 {
      const v = unapply(turn, p.reflect, [
        (shown[0] - p.start[0]) / p.scale,
        (shown[1] - p.start[1]) / p.scale,
      ]);
      return [p.origin[0] + v[0], p.origin[1] + v[1]];
    },
  };
}

/** Minima whose images lie in the shown box, in the surface's order (tolerance 1e-9 of the box). */
function shownMinima(
  surface: Surface,
  forward: (theta: Vec2) => Vec2,
  box: Box,
): { theta: Vec2; original: Minimum }[] {
  const tol = 1e-9 * Math.max(box.max[0] - box.min[0], box.max[1] - box.min[1]);
  return surface.minima
    .map((m) => ({ theta: forward(m.theta), original: m }))
    .filter((m) => inside(m.theta, box, tol));
}

/**
 * The parameters of the transform `seed` gives `surface` in the drawing `version` (T3, T4, T8).
 * Deterministic: the same surface, seed and version give the same parameters on every engine.
 */
export function drawTransform(
  surface: Surface,
  seed: number,
  version?: SurfaceTransform["version"],
): TransformParams {
  return version === 2 ? drawVersion2(surface, seed) : drawVersion1(surface, seed);
}

/** Where the start's loss falls among the field's (12 × 12 samples): 0 inside the band. */
function bandMiss(surface: Surface, back: (shown: Vec2) => Vec2, box: Box, origin: Vec2): number {
  const width = box.max[0] - box.min[0];
  const height = box.max[1] - box.min[1];
  const loss = surface.loss(origin);
  let below = 0;
  for (let i = 0; i < QUANTILE_GRID; i++) {
    for (let j = 0; j < QUANTILE_GRID; j++) {
      const shown: Vec2 = [
        box.min[0] + ((i + 0.5) / QUANTILE_GRID) * width,
        box.min[1] + ((j + 0.5) / QUANTILE_GRID) * height,
      ];
      if (surface.loss(back(shown)) < loss) below++;
    }
  }
  const quantile = below / (QUANTILE_GRID * QUANTILE_GRID);
  return Math.max(0, START_BAND[0] - quantile, quantile - START_BAND[1]);
}

/** The shown box (T3): width log-uniform, aspect log-uniform, centre uniform; four draws. */
function drawBox(rng: Rng): { box: Box; width: number; height: number } {
  const width = pow(10, rng.uniform(WIDTH_LOG10[0], WIDTH_LOG10[1]));
  const height = width * exp(rng.uniform(-ASPECT_LOG, ASPECT_LOG));
  const centre: Vec2 = [rng.uniform(-CENTRE, CENTRE), rng.uniform(-CENTRE, CENTRE)];
  return {
    box: {
      min: [centre[0] - width / 2, centre[1] - height / 2],
      max: [centre[0] + width / 2, centre[1] + height / 2],
    },
    width,
    height,
  };
}

/**
 * The field's preimage width as a fraction of the domain's shorter side, for search attempt
 * `attempt` (T4): the usual range for the first half of the tries, a wider one for the second,
 * then ever smaller fields (which always fit around an interior minimum).
 */
function fieldFraction(search: Rng, attempt: number): number {
  return attempt < TRIES / 2
    ? search.uniform(...FIELD_FRACTION)
    : attempt < TRIES
      ? search.uniform(0.25, FIELD_FRACTION[1])
      : 0.25 * pow(0.97, attempt - TRIES);
}

/** The box's corners, counter-clockwise from its minimum. */
function cornersOf(box: Box): Vec2[] {
  return [box.min, [box.max[0], box.min[1]], box.max, [box.min[0], box.max[1]]];
}

/** Whether a gradient can fix the loss's scale (finite, not zero). */
function usableGradient(g: Vec2): boolean {
  return hypot(g[0], g[1]) > 0 && Number.isFinite(g[0]) && Number.isFinite(g[1]);
}

/**
 * Version 1 (T3, T4 as first written; rounds stored before T8). The frame — rotation (whole
 * degrees), reflection, box, θ₀'s place in it, η_max per box width, |∇L'(θ₀)| η_max and L'(θ₀) —
 * is drawn first, from distributions that do not depend on the surface; then a start on the
 * original surface (in the band) and the field's size are searched for, from the same seed. Its
 * flaw (T8): the direction of ∇L'(θ₀) is left to the search, and on a bowl it points away from the
 * minimum, which must lie in the box: so it leans toward the box's nearer edges, more on some
 * surfaces than others, and a bot reads the surface's kind from it.
 */
function drawVersion1(surface: Surface, seed: number): TransformParams {
  const rng = createRng(deriveSeed(seed, "surface-transform"));
  const angle = rng.int(360);
  const reflect = rng.int(2) === 1;
  const { box, width, height } = drawBox(rng);
  const place: Vec2 = [rng.uniform(...START_PLACE), rng.uniform(...START_PLACE)];
  const start: Vec2 = [box.min[0] + place[0] * width, box.min[1] + place[1] * height];
  const etaMax = width / rng.uniform(...WIDTH_IN_STEPS);
  const fullStep = logUniform(rng, FULL_STEP_CHANGE);
  const startLoss = rng.uniform(...START_LOSS);

  const search = createRng(deriveSeed(seed, "surface-transform-start"));
  const domain = surface.domain;
  const side = Math.min(domain.max[0] - domain.min[0], domain.max[1] - domain.min[1]);
  const corners = cornersOf(box);
  let best: { origin: Vec2; scale: number; quality: number } | null = null;
  for (let attempt = 0; attempt < TRIES || (!best && attempt < TRIES + SHRINKS); attempt++) {
    // A global minimum shown at a random place of the box, far enough from θ₀; the field's size
    // (a wider range after half the tries; then ever smaller fields, which always fit around an
    // interior minimum) fixes where the start is on the original surface.
    const minimum = surface.minima[search.int(surface.minima.length)]!;
    const shownMinimum: Vec2 = [
      box.min[0] + search.uniform(0.04, 0.96) * width,
      box.min[1] + search.uniform(0.04, 0.96) * height,
    ];
    const fraction = fieldFraction(search, attempt);
    const scale = width / (side * fraction);
    if (hypot(shownMinimum[0] - start[0], shownMinimum[1] - start[1]) < START_DISTANCE * width) {
      continue;
    }
    const back = unapply(rotation((angle * Math.PI) / 180), reflect, [
      (shownMinimum[0] - start[0]) / scale,
      (shownMinimum[1] - start[1]) / scale,
    ]);
    const origin: Vec2 = [minimum.theta[0] - back[0], minimum.theta[1] - back[1]];
    const map = transformMap({ angle, reflect, scale, origin, start });
    if (!corners.every((c) => inside(map.back(c), domain))) continue;
    const minima = shownMinima(surface, map.forward, box);
    const near = Math.min(
      ...minima.map((m) => hypot(m.theta[0] - start[0], m.theta[1] - start[1])),
    );
    if (minima.length === 0 || near < START_DISTANCE * width) continue;
    if (!usableGradient(surface.gradient(origin))) continue;
    const miss = bandMiss(surface, map.back, box, origin);
    if (miss === 0) {
      best = { origin, scale, quality: 0 };
      break;
    }
    // Outside the band: remember the closest placement in case no candidate is in it.
    if (!best || miss < best.quality) best = { origin, scale, quality: miss };
  }
  if (!best) {
    throw new Error(
      `no field for transform ${seed} of surface ${JSON.stringify(surface.id)}: no placement keeps the box inside the domain around a global minimum`,
    );
  }
  return assemble(surface, {
    angle,
    reflect,
    origin: best.origin,
    scale: best.scale,
    start,
    box,
    etaMax,
    fullStep,
    startLoss,
  });
}

/** The loss's scale and offset that give the drawn |∇L'(θ₀)| η_max and L'(θ₀), and the bot's η. */
function assemble(
  surface: Surface,
  p: {
    angle: number;
    reflect: boolean;
    origin: Vec2;
    scale: number;
    start: Vec2;
    box: Box;
    etaMax: number;
    fullStep: number;
    startLoss: number;
  },
): TransformParams {
  const { angle, reflect, origin, scale, start, box, etaMax } = p;
  const g = surface.gradient(origin);
  // |∇L'(θ₀)| = (a / scale) |∇L(origin)| = fullStep / etaMax.
  const lossScale = (p.fullStep * scale) / (etaMax * hypot(g[0], g[1]));
  const lossOffset = p.startLoss - lossScale * surface.loss(origin);
  return {
    angle,
    reflect,
    scale,
    origin,
    start,
    box,
    lossScale,
    lossOffset,
    etaMax,
    botEta: (surface.botEta * scale * scale) / lossScale,
  };
}

// ── Version 2 (T8) ───────────────────────────────────────────────────────────────────────────

/** θ₀'s place in the box, per axis: far enough from every edge for a minimum in any direction. */
const START_PLACE_2: readonly [number, number] = [0.35, 0.65];
/** The shown distance from θ₀ to the chosen global minimum, in the box's shorter sides. */
const MINIMUM_DISTANCE_2: readonly [number, number] = [0.25, 0.34];

/**
 * Version 2 (T8). The whole first frame is drawn first, from distributions that do not depend on
 * the surface — as in version 1, and also the direction of ∇L'(θ₀), uniform in [0°, 360°), and
 * θ₀ kept far enough from every edge that a minimum fits in any direction from it. The search
 * then picks, on the original surface, a global minimum, the direction and distance of the start
 * from it and the field's size; the rotation (any real angle) is what turns the start's gradient
 * to the drawn direction. So no part of the frame depends on the surface or on the search.
 */
function drawVersion2(surface: Surface, seed: number): TransformParams {
  const rng = createRng(deriveSeed(seed, "surface-transform-2"));
  const reflect = rng.int(2) === 1;
  const { box, width, height } = drawBox(rng);
  const place: Vec2 = [rng.uniform(...START_PLACE_2), rng.uniform(...START_PLACE_2)];
  const start: Vec2 = [box.min[0] + place[0] * width, box.min[1] + place[1] * height];
  const etaMax = width / rng.uniform(...WIDTH_IN_STEPS);
  const fullStep = logUniform(rng, FULL_STEP_CHANGE);
  const startLoss = rng.uniform(...START_LOSS);
  const gradientAngle = rng.uniform(0, 360);

  const search = createRng(deriveSeed(seed, "surface-transform-2-start"));
  const domain = surface.domain;
  const side = Math.min(domain.max[0] - domain.min[0], domain.max[1] - domain.min[1]);
  const shorter = Math.min(width, height);
  const corners = cornersOf(box);
  let best: { origin: Vec2; scale: number; angle: number; quality: number } | null = null;
  for (let attempt = 0; attempt < TRIES || (!best && attempt < TRIES + SHRINKS); attempt++) {
    const minimum = surface.minima[search.int(surface.minima.length)]!;
    const fraction = fieldFraction(search, attempt);
    const scale = width / (side * fraction);
    const distance = (search.uniform(...MINIMUM_DISTANCE_2) * shorter) / scale;
    const away = search.uniform(0, 2 * Math.PI);
    const origin: Vec2 = [
      minimum.theta[0] + distance * cos(away),
      minimum.theta[1] + distance * sin(away),
    ];
    if (!inside(origin, domain)) continue;
    const g = surface.gradient(origin);
    if (!usableGradient(g)) continue;
    // M ∇L(origin) must point at the drawn angle: M reflects (b → −b), then rotates.
    const own = (atan2(reflect ? -g[1] : g[1], g[0]) * 180) / Math.PI;
    const angle = (((gradientAngle - own) % 360) + 360) % 360;
    const map = transformMap({ angle, reflect, scale, origin, start });
    if (!corners.every((c) => inside(map.back(c), domain))) continue;
    const minima = shownMinima(surface, map.forward, box);
    const near = Math.min(
      ...minima.map((m) => hypot(m.theta[0] - start[0], m.theta[1] - start[1])),
    );
    if (minima.length === 0 || near < MINIMUM_DISTANCE_2[0] * shorter * (1 - 1e-9)) continue;
    const miss = bandMiss(surface, map.back, box, origin);
    if (miss === 0) {
      best = { origin, scale, angle, quality: 0 };
      break;
    }
    if (!best || miss < best.quality) best = { origin, scale, angle, quality: miss };
  }
  if (!best) {
    throw new Error(
      `no field for transform ${seed} (version 2) of surface ${JSON.stringify(surface.id)}: no placement keeps the box inside the domain around a global minimum`,
    );
  }
  return assemble(surface, {
    angle: best.angle,
    reflect,
    origin: best.origin,
    scale: best.scale,
    start,
    box,
    etaMax,
    fullStep,
    startLoss,
  });
}

/** How the reveal names a transformed surface: "Himmelblau, rotated 37°" (", mirrored"). */
export function transformLabel(name: string, params: Pick<TransformParams, "angle" | "reflect">) {
  return `${name}, rotated ${Math.round(params.angle) % 360}°${params.reflect ? ", mirrored" : ""}`;
}

function freezePair(v: Vec2): Vec2 {
  return Object.freeze([v[0], v[1]]) as Vec2;
}

/**
 * `surface` as the transform `params` shows it (T2): loss, gradient and Hessian mapped exactly,
 * the box, start, η_max and bot η as drawn, the minima that lie in the box (at least one), the
 * name labelled. Throws if no global minimum of the surface lies in the box.
 */
export function transformSurface(surface: Surface, params: TransformParams): Surface {
  const map = transformMap(params);
  const { rad } = map;
  const { reflect } = params;
  const a = params.lossScale;
  const c = params.lossOffset;
  const gScale = a / params.scale;
  const hScale = a / (params.scale * params.scale);
  const minima = shownMinima(surface, map.forward, params.box);
  if (minima.length === 0) {
    throw new Error(
      `no global minimum of ${JSON.stringify(surface.id)} lies in the transformed box`,
    );
  }
  // A shown minimum maps back to its original point exactly (not up to rounding: a cone's tip,
  // like Ackley's, has a gradient that jumps there).
  const back = (theta: Vec2): Vec2 => {
    for (const m of minima) {
      if (theta[0] === m.theta[0] && theta[1] === m.theta[1]) return m.original.theta;
    }
    return map.back(theta);
  };
  // The entries of M, from its columns M e₀ and M e₁.
  const [m00, m10] = apply(rotation(rad), reflect, [1, 0]);
  const [m01, m11] = apply(rotation(rad), reflect, [0, 1]);
  return Object.freeze({
    id: surface.id,
    name: transformLabel(surface.name, params),
    description: surface.description,
    formula: surface.formula,
    loss: (theta: Vec2) => a * surface.loss(back(theta)) + c,
    gradient: (theta: Vec2): Vec2 => {
      const g = surface.gradient(back(theta));
      return [gScale * (m00 * g[0] + m01 * g[1]), gScale * (m10 * g[0] + m11 * g[1])];
    },
    hessian: (theta: Vec2): Hessian => {
      const [[h00, h01], [h10, h11]] = surface.hessian(back(theta));
      // M H Mᵀ
      const t00 = m00 * h00 + m01 * h10;
      const t01 = m00 * h01 + m01 * h11;
      const t10 = m10 * h00 + m11 * h10;
      const t11 = m10 * h01 + m11 * h11;
      const r00 = hScale * (t00 * m00 + t01 * m01);
      const r01 = hScale * (t00 * m10 + t01 * m11);
      const r11 = hScale * (t10 * m10 + t11 * m11);
      return [
        [r00, r01],
        [r01, r11],
      ];
    },
    domain: Object.freeze({ min: freezePair(params.box.min), max: freezePair(params.box.max) }),
    minima: Object.freeze(
      minima.map((m) =>
        Object.freeze({ theta: freezePair(m.theta), loss: a * m.original.loss + c }),
      ),
    ),
    start: freezePair(params.start),
    etaMax: params.etaMax,
    botEta: params.botEta,
    difficulty: surface.difficulty,
  });
}
