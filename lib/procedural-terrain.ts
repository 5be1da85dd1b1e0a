import { euclid } from "./procedural-search";
import type { Rng } from "./random";
import type { Difficulty, Hessian, Vec2 } from "./types";

/**
 * The terrain of a procedural surface: its parameters (plain data) and its exact derivatives.
 *
 * The family, for θ = (w, b), with the bump kernel φ(q) = (1 + q/16)⁻⁸ and the smooth step
 * s(z) = ½(1 + z/√(1 + z²)):
 *
 *   B(θ) = ½ (θ − c)ᵀ A (θ − c) + tᵀθ                 a tilted, rotated, anisotropic bowl
 *        − Σᵢ aᵢ φ(‖θ − μᵢ‖²/σᵢ²)                        wells (aᵢ > 0)
 *        + Σⱼ rⱼ φ((θ − νⱼ)ᵀ Mⱼ (θ − νⱼ))                 ridges (rⱼ > 0, Mⱼ elongated)
 *   L(θ) = ψ(B(θ)),  ψ(u) = u − Σₖ Δₖ s((u − hₖ)/εₖ)        plateaus
 *
 * φ is the Student-t kernel with ν = 8: φ(q) = (1 + q/2ν)^{−ν} → e^{−q/2} as ν → ∞; at ν = 8 it
 * has a Gaussian's value and curvature at the centre and stays within 0.033 of e^{−q/2}
 * everywhere (tails ∝ q⁻⁸). s is the algebraic sigmoid, a smooth step from 0 to 1 like the
 * logistic function. Neither needs `Math.exp`: the terrain uses + − × ÷, which ECMAScript
 * defines as IEEE-754 operations, and √, which engines compute with the correctly rounded IEEE
 * instruction (the standard leaves `Math.exp` free to differ by an ulp between engines), so L
 * gives the same bits in the browser and on the server. It also samples 2–4 times faster than
 * the same terrain with exponentials.
 *
 * A and every Mⱼ are symmetric positive definite. A plateau is a terrace at the height hₖ: with
 * Δₖ = 2γεₖ (γ = 0.95), ψ'(u) = 1 − Σₖ (Δₖ/εₖ) s'((u − hₖ)/εₖ) falls to 1 − γ = 5% at u = hₖ,
 * so on the band of the terrain where B ≈ hₖ the gradient ∇L = ψ'(B)∇B nearly vanishes: a flat
 * shelf that runs around the basin at that height. ψ' > 0 everywhere (checked once the numbers
 * are rounded), so ψ is increasing: L has exactly the critical points of B, with the same order
 * of their values. Every parameter is rounded to 3 significant digits when drawn,
 * so the formula shown at the reveal is the function itself.
 *
 * Derivatives (hand-derived; for a bump f = a·φ(q), q = dᵀMd, d = θ − ν, t = 1 + q/16):
 *   ∇f = −(f/t)·Md,   ∇²f = (9/8)(f/t²)·Md (Md)ᵀ − (f/t)·M
 *   s'(z) = ½(1 + z²)^{−3/2},   s''(z) = −(3/2) z (1 + z²)^{−5/2}
 *   ψ'(u) = 1 − Σₖ (Δₖ/εₖ) s'(vₖ),   ψ''(u) = −Σₖ (Δₖ/εₖ²) s''(vₖ),   vₖ = (u − hₖ)/εₖ
 *   ∇L = ψ'(B)∇B,   ∇²L = ψ'(B)∇²B + ψ''(B) ∇B∇Bᵀ
 */

/** Values per bump in {@link Terrain.bumps}: amplitude, centre (2), precision matrix (m11, m12, m22). */
export const BUMP_STRIDE = 6;
/** Values per plateau in {@link Terrain.terraces}: height h, softness ε, drop Δ. */
export const TERRACE_STRIDE = 3;
/** γ: a plateau keeps 1 − γ of the terrain's slope at its height (Δ = 2γε). */
export const TERRACE_FLATNESS = 0.95;

/** The parameters of one procedural terrain (see the module comment for the formula). */
export interface Terrain {
  /** The bowl's matrix A = [[a11, a12], [a12, a22]] (positive definite). */
  readonly a11: number;
  readonly a12: number;
  readonly a22: number;
  /** The bowl's centre c. */
  readonly cx: number;
  readonly cy: number;
  /** The tilt t (linear term). */
  readonly tx: number;
  readonly ty: number;
  /** Number of wells: the first `wells` bumps (negative amplitude, isotropic). */
  readonly wells: number;
  /** Number of ridges: the bumps after the wells (positive amplitude, elongated). */
  readonly ridges: number;
  /** Gaussian bumps, {@link BUMP_STRIDE} numbers each: amp, νx, νy, m11, m12, m22. */
  readonly bumps: Float64Array;
  /** Number of plateaus (terraces). */
  readonly plateaus: number;
  /** Plateaus, {@link TERRACE_STRIDE} numbers each: h, ε, Δ (increasing h). */
  readonly terraces: Float64Array;
}

/** L, ∇L and ∇²L of a terrain. */
export interface TerrainFunctions {
  loss(theta: Vec2): number;
  gradient(theta: Vec2): Vec2;
  hessian(theta: Vec2): Hessian;
}

/** x rounded to 3 significant digits (exactly specified by ECMAScript, so the same everywhere). */
export function sig3(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(3));
}

/**
 * The exact L, ∇L and ∇²L of a terrain. The closures read flat Float64Arrays and numbers only;
 * `loss` allocates nothing and `gradient` only its result.
 */
export function terrainFunctions(t: Terrain): TerrainFunctions {
  const { a11, a12, a22, cx, cy, tx, ty } = t;
  const bumps = t.bumps;
  const nb = bumps.length;
  const terraces = t.terraces;
  const nt = terraces.length;

  const loss = (theta: Vec2): number => {
    const w = theta[0];
    const b = theta[1];
    const dx = w - cx;
    const dy = b - cy;
    let base = 0.5 * (a11 * dx * dx + 2 * a12 * dx * dy + a22 * dy * dy) + tx * w + ty * b;
    for (let i = 0; i < nb; i += BUMP_STRIDE) {
      const ex = w - bumps[i + 1]!;
      const ey = b - bumps[i + 2]!;
      const q = bumps[i + 3]! * ex * ex + 2 * bumps[i + 4]! * ex * ey + bumps[i + 5]! * ey * ey;
      const u = 1 + q / 16;
      const u2 = u * u;
      const u4 = u2 * u2;
      base += bumps[i]! / (u4 * u4);
    }
    let value = base;
    for (let k = 0; k < nt; k += TERRACE_STRIDE) {
      const v = (base - terraces[k]!) / terraces[k + 1]!;
      value -= terraces[k + 2]! * 0.5 * (1 + v / Math.sqrt(1 + v * v));
    }
    return value;
  };

  const gradient = (theta: Vec2): Vec2 => {
    const w = theta[0];
    const b = theta[1];
    const dx = w - cx;
    const dy = b - cy;
    let gx = a11 * dx + a12 * dy + tx;
    let gy = a12 * dx + a22 * dy + ty;
    let base = 0; // B(θ) − bowl, completed below only if there are plateaus
    for (let i = 0; i < nb; i += BUMP_STRIDE) {
      const ex = w - bumps[i + 1]!;
      const ey = b - bumps[i + 2]!;
      const m11 = bumps[i + 3]!;
      const m12 = bumps[i + 4]!;
      const m22 = bumps[i + 5]!;
      const mx = m11 * ex + m12 * ey;
      const my = m12 * ex + m22 * ey;
      const u = 1 + (ex * mx + ey * my) / 16;
      const u2 = u * u;
      const u4 = u2 * u2;
      const f = bumps[i]! / (u4 * u4);
      const fu = f / u;
      base += f;
      gx -= fu * mx;
      gy -= fu * my;
    }
    if (nt === 0) return [gx, gy];
    base += 0.5 * (a11 * dx * dx + 2 * a12 * dx * dy + a22 * dy * dy) + tx * w + ty * b;
    let slope = 1; // ψ'(B)
    for (let k = 0; k < nt; k += TERRACE_STRIDE) {
      const eps = terraces[k + 1]!;
      const v = (base - terraces[k]!) / eps;
      const r = 1 / Math.sqrt(1 + v * v);
      slope -= (terraces[k + 2]! / eps) * 0.5 * r * r * r; // s'(v) = ½(1 + v²)^(−3/2)
    }
    return [slope * gx, slope * gy];
  };

  const hessian = (theta: Vec2): Hessian => {
    const w = theta[0];
    const b = theta[1];
    const dx = w - cx;
    const dy = b - cy;
    let base = 0.5 * (a11 * dx * dx + 2 * a12 * dx * dy + a22 * dy * dy) + tx * w + ty * b;
    let gx = a11 * dx + a12 * dy + tx;
    let gy = a12 * dx + a22 * dy + ty;
    let hxx = a11;
    let hxy = a12;
    let hyy = a22;
    for (let i = 0; i < nb; i += BUMP_STRIDE) {
      const ex = w - bumps[i + 1]!;
      const ey = b - bumps[i + 2]!;
      const m11 = bumps[i + 3]!;
      const m12 = bumps[i + 4]!;
      const m22 = bumps[i + 5]!;
      const mx = m11 * ex + m12 * ey;
      const my = m12 * ex + m22 * ey;
      const u = 1 + (ex * mx + ey * my) / 16;
      const u2 = u * u;
      const u4 = u2 * u2;
      const f = bumps[i]! / (u4 * u4);
      const fu = f / u;
      const outer = (9 / 8) * (fu / u);
      base += f;
      gx -= fu * mx;
      gy -= fu * my;
      hxx += outer * mx * mx - fu * m11;
      hxy += outer * mx * my - fu * m12;
      hyy += outer * my * my - fu * m22;
    }
    let d1 = 1; // ψ'(B)
    let d2 = 0; // ψ''(B)
    for (let k = 0; k < nt; k += TERRACE_STRIDE) {
      const eps = terraces[k + 1]!;
      const v = (base - terraces[k]!) / eps;
      const r = 1 / Math.sqrt(1 + v * v);
      const r3 = r * r * r;
      const ratio = terraces[k + 2]! / eps;
      d1 -= ratio * 0.5 * r3; // s'(v) = ½ r³
      d2 += (ratio / eps) * 1.5 * v * r3 * r * r; // −s''(v) = (3/2) v r⁵
    }
    const rxy = d1 * hxy + d2 * gx * gy;
    return [
      [d1 * hxx + d2 * gx * gx, rxy],
      [rxy, d1 * hyy + d2 * gy * gy],
    ];
  };

  return { loss, gradient, hessian };
}

/**
 * ψ'(u) = dL/dB at the terrain height u: 1 away from the plateaus, 1 − γ at a plateau's height.
 * The start must not sit where this is small.
 */
export function terraceSlope(t: Terrain, u: number): number {
  let slope = 1;
  for (let k = 0; k < t.terraces.length; k += TERRACE_STRIDE) {
    const eps = t.terraces[k + 1]!;
    const v = (u - t.terraces[k]!) / eps;
    const r = 1 / Math.sqrt(1 + v * v);
    slope -= (t.terraces[k + 2]! / eps) * 0.5 * r * r * r;
  }
  return slope;
}

// ---------------------------------------------------------------------------------------------
// Drawing a terrain from the seeded generator.

type Range = readonly [number, number];

interface Profile {
  /** The bowl's largest curvature λ₁. */
  readonly lambda: Range;
  /** Anisotropy λ₁/λ₂ (condition number of A). */
  readonly anisotropy: Range;
  /** The bowl's minimum c* is drawn in [−centre, centre]². */
  readonly centre: number;
  /** Largest shift |c − c*| produced by the tilt t = A(c − c*). */
  readonly tilt: number;
  readonly wells: Range;
  readonly wellSigma: Range;
  /** Well depth a = base + factor·(bowl rise at μ), capped at depthCap. */
  readonly depthBase: Range;
  readonly depthFactor: Range;
  readonly depthCap: number;
  /** Wells only where the bowl rises at most this much above its minimum. */
  readonly wellRise: number;
  /** Wells at least this far from c*. */
  readonly wellGap: number;
  readonly ridges: Range;
  readonly ridgeHeight: Range;
  /** Standard deviation across the ridge. */
  readonly ridgeWidth: Range;
  /** Standard deviation along the ridge. */
  readonly ridgeLength: Range;
  /** Number of plateaus (terraces, 0 or 1), placed once the start is known. */
  readonly plateaus: Range;
}

const PROFILES: Readonly<Record<Difficulty, Profile>> = {
  easy: {
    lambda: [0.8, 1.2],
    anisotropy: [1.3, 2.5],
    centre: 2,
    tilt: 0.5,
    wells: [0, 1],
    wellSigma: [0.8, 1.2],
    depthBase: [0.2, 0.5],
    depthFactor: [0, 0],
    depthCap: 0.5,
    wellRise: 6,
    wellGap: 1.5,
    ridges: [0, 0],
    ridgeHeight: [0, 0],
    ridgeWidth: [0.5, 0.5],
    ridgeLength: [1, 1],
    plateaus: [0, 0],
  },
  medium: {
    lambda: [1, 1.6],
    anisotropy: [2.5, 5],
    centre: 2.5,
    tilt: 1,
    wells: [1, 2],
    wellSigma: [0.6, 1],
    depthBase: [0.2, 0.5],
    depthFactor: [0.3, 0.7],
    depthCap: 2,
    wellRise: 5,
    wellGap: 1.8,
    ridges: [0, 1],
    ridgeHeight: [0.8, 1.5],
    ridgeWidth: [0.5, 0.7],
    ridgeLength: [1.5, 2.5],
    plateaus: [0, 1],
  },
  hard: {
    lambda: [1.2, 2],
    anisotropy: [5, 10],
    centre: 2.5,
    tilt: 1.5,
    wells: [2, 3],
    wellSigma: [0.55, 0.9],
    depthBase: [0.1, 0.4],
    depthFactor: [0.6, 1],
    depthCap: 3,
    wellRise: 4,
    wellGap: 1.8,
    ridges: [1, 2],
    ridgeHeight: [1, 2],
    ridgeWidth: [0.5, 0.75],
    ridgeLength: [1.5, 3],
    plateaus: [1, 1],
  },
  expert: {
    lambda: [1.5, 2.5],
    anisotropy: [10, 20],
    centre: 2.5,
    tilt: 1.5,
    wells: [3, 4],
    wellSigma: [0.5, 0.85],
    depthBase: [0.1, 0.4],
    depthFactor: [0.75, 1.15],
    depthCap: 3,
    wellRise: 3.5,
    wellGap: 1.8,
    ridges: [2, 3],
    ridgeHeight: [1.2, 2.5],
    ridgeWidth: [0.5, 0.75],
    ridgeLength: [1.5, 3],
    plateaus: [1, 1],
  },
};

/** Feature centres (wells, ridges) are drawn in [−FEATURE_BOX, FEATURE_BOX]². */
const FEATURE_BOX = 3.5;
/** Placement tries per feature before it is dropped. */
const PLACEMENT_TRIES = 100;

function draw(rng: Rng, range: Range): number {
  return range[0] === range[1] ? range[0] : rng.uniform(range[0], range[1]);
}

function drawCount(rng: Rng, range: Range): number {
  return range[0] + rng.int(range[1] - range[0] + 1);
}

/** A uniformly random unit vector, by rejection in the unit disc (square roots only). */
function unitVector(rng: Rng): Vec2 {
  for (;;) {
    const x = rng.uniform(-1, 1);
    const y = rng.uniform(-1, 1);
    const r2 = x * x + y * y;
    if (r2 > 0.01 && r2 <= 1) {
      const r = Math.sqrt(r2);
      return [x / r, y / r];
    }
  }
}

/**
 * Draw one terrain for a difficulty from the generator (see {@link PROFILES}). The bowl's own
 * minimum c* sits well inside the box; wells go where the bowl is low enough for them to compete
 * with it; ridges keep clear of the wells and of c*. A feature that finds no room in
 * {@link PLACEMENT_TRIES} draws is dropped (the counts in the terrain are the real ones). The
 * plateaus need the minimum and the start, so only their number is drawn here (see
 * {@link addPlateau}). With `bare`, only the bowl is drawn.
 */
export function drawTerrain(
  rng: Rng,
  difficulty: Difficulty,
  bare = false,
): { terrain: Terrain; plateaus: number } {
  const p = PROFILES[difficulty];
  // Bowl: A = λ₁uuᵀ + λ₂vvᵀ, rounded; c* the bowl's minimum; tilt t = A(c − c*).
  const l1 = draw(rng, p.lambda);
  const l2 = l1 / draw(rng, p.anisotropy);
  const [ux, uy] = unitVector(rng);
  const a11 = sig3(l1 * ux * ux + l2 * uy * uy);
  const a12 = sig3((l1 - l2) * ux * uy);
  const a22 = sig3(l1 * uy * uy + l2 * ux * ux);
  const starX = rng.uniform(-p.centre, p.centre);
  const starY = rng.uniform(-p.centre, p.centre);
  const [sx, sy] = unitVector(rng);
  const shift = rng.uniform(0, p.tilt);
  const cx = sig3(starX + shift * sx);
  const cy = sig3(starY + shift * sy);
  const tx = sig3(a11 * (cx - starX) + a12 * (cy - starY));
  const ty = sig3(a12 * (cx - starX) + a22 * (cy - starY));
  // The bowl's exact minimum after rounding: c − A⁻¹t.
  const det = a11 * a22 - a12 * a12;
  const mx = cx - (a22 * tx - a12 * ty) / det;
  const my = cy - (a11 * ty - a12 * tx) / det;
  const rise = (x: number, y: number): number => {
    const dx = x - mx;
    const dy = y - my;
    return 0.5 * (a11 * dx * dx + 2 * a12 * dx * dy + a22 * dy * dy);
  };

  const bumps: number[] = [];
  const wellDiscs: [number, number, number][] = []; // centre and radius of influence
  const nWells = bare ? 0 : drawCount(rng, p.wells);
  let wells = 0;
  for (let i = 0; i < nWells; i++) {
    const sigma = sig3(draw(rng, p.wellSigma));
    for (let tries = 0; tries < PLACEMENT_TRIES; tries++) {
      const x = sig3(rng.uniform(-FEATURE_BOX, FEATURE_BOX));
      const y = sig3(rng.uniform(-FEATURE_BOX, FEATURE_BOX));
      const r = rise(x, y);
      if (r > p.wellRise || euclid(x - mx, y - my) < p.wellGap) continue;
      if (wellDiscs.some(([u, v, s]) => euclid(x - u, y - v) < 1.2 * (s + sigma))) continue;
      const depth = sig3(
        Math.min(p.depthCap, draw(rng, p.depthBase) + draw(rng, p.depthFactor) * r),
      );
      const m = 1 / (sigma * sigma); // σ is the rounded parameter
      bumps.push(-depth, x, y, m, 0, m);
      wellDiscs.push([x, y, sigma]);
      wells++;
      break;
    }
  }

  const nRidges = bare ? 0 : drawCount(rng, p.ridges);
  const ridgeDiscs: [number, number, number][] = [];
  let ridges = 0;
  for (let j = 0; j < nRidges; j++) {
    const height = sig3(draw(rng, p.ridgeHeight));
    const across = draw(rng, p.ridgeWidth);
    const along = draw(rng, p.ridgeLength);
    const [nx, ny] = unitVector(rng); // the ridge's normal
    const k1 = 1 / (across * across);
    const k2 = 1 / (along * along);
    const m11 = sig3(k1 * nx * nx + k2 * ny * ny);
    const m12 = sig3((k1 - k2) * nx * ny);
    const m22 = sig3(k1 * ny * ny + k2 * nx * nx);
    for (let tries = 0; tries < PLACEMENT_TRIES; tries++) {
      const x = sig3(rng.uniform(-FEATURE_BOX, FEATURE_BOX));
      const y = sig3(rng.uniform(-FEATURE_BOX, FEATURE_BOX));
      if (euclid(x - mx, y - my) < 1.2) continue;
      if (wellDiscs.some(([u, v, s]) => euclid(x - u, y - v) < s + across + 0.3)) continue;
      if (ridgeDiscs.some(([u, v, s]) => euclid(x - u, y - v) < 0.5 * (s + along) + 0.5)) continue;
      bumps.push(height, x, y, m11, m12, m22);
      ridgeDiscs.push([x, y, along]);
      ridges++;
      break;
    }
  }

  const terrain: Terrain = {
    a11,
    a12,
    a22,
    cx,
    cy,
    tx,
    ty,
    wells,
    ridges,
    bumps: Float64Array.from(bumps),
    plateaus: 0,
    terraces: new Float64Array(0),
  };
  return { terrain, plateaus: bare ? 0 : drawCount(rng, p.plateaus) };
}

/** Where a plateau's height goes, as a fraction of the descent L(θ₀) − L*. */
const TERRACE_LEVEL: Range = [0.25, 0.5];
/** The softness ε is chosen so that the terrace adds about this much curvature at most. */
const TERRACE_CURVATURE = 8;
/**
 * The terrace's own curvature ψ''(B)|∇B|² is at most SHARPNESS·|∇B|²/ε:
 * (Δ/ε²)·max|s''| = (2γ/ε)·(3/2)·max z(1 + z²)^{−5/2} = 3γ·0.28622/ε (the max is at z = ½).
 */
const TERRACE_SHARPNESS = 3 * TERRACE_FLATNESS * 0.28622;
/** ψ' must stay above this everywhere (the terraces do not create critical points). */
const TERRACE_MIN_SLOPE = 0.02;

/**
 * Add a plateau (terrace) between the heights `low` (the terrain's minimum) and `high` (its
 * value at the start), if one fits. Its level is h = low + f·(high − low), f drawn in
 * [0.25, 0.5]. Its softness ε is 0.82·G²/8, G² the largest |∇B|² where B is within 5% of the
 * descent of h on a 41 × 41 grid over the box (the terrace's own curvature ψ''|∇B|² is at most
 * 0.82|∇B|²/ε), capped so that the band |B − h| ≤ 2ε keeps clear of the minimum and of the
 * start and the drop Δ = 2γε is at most half the descent. If the cap leaves the terrace more
 * than 2.5 times sharper than the target, or ε < 0.05, there is no plateau.
 */
export function addPlateau(
  terrain: Terrain,
  rng: Rng,
  low: number,
  high: number,
  box: { readonly min: Vec2; readonly max: Vec2 },
): Terrain {
  const range = high - low;
  if (!(range > 0)) return terrain;
  const f = draw(rng, TERRACE_LEVEL);
  const h = low + f * range;
  const base = terrainFunctions(terrain);
  let g2 = 0;
  for (let i = 0; i <= 40; i++) {
    for (let j = 0; j <= 40; j++) {
      const theta: Vec2 = [
        box.min[0] + (i / 40) * (box.max[0] - box.min[0]),
        box.min[1] + (j / 40) * (box.max[1] - box.min[1]),
      ];
      if (Math.abs(base.loss(theta) - h) > 0.05 * range) continue;
      const g = base.gradient(theta);
      g2 = Math.max(g2, g[0] * g[0] + g[1] * g[1]);
    }
  }
  const room = Math.min(Math.min(f, 1 - f) / 2, 0.5 / (2 * TERRACE_FLATNESS)) * range;
  const eps = sig3(Math.min((TERRACE_SHARPNESS * g2) / TERRACE_CURVATURE, room));
  if (!(eps >= 0.05) || !(eps >= (TERRACE_SHARPNESS * g2) / (2.5 * TERRACE_CURVATURE))) {
    return terrain;
  }
  const terraces = Float64Array.of(sig3(h), eps, sig3(2 * TERRACE_FLATNESS * eps));
  const withPlateau: Terrain = { ...terrain, plateaus: 1, terraces };
  return increasing(withPlateau) ? withPlateau : terrain;
}

/** Whether ψ' ≥ {@link TERRACE_MIN_SLOPE} around every terrace (ψ' → 1 away from them). */
function increasing(t: Terrain): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  let finest = Infinity;
  for (let k = 0; k < t.terraces.length; k += TERRACE_STRIDE) {
    const h = t.terraces[k]!;
    const eps = t.terraces[k + 1]!;
    lo = Math.min(lo, h - 20 * eps);
    hi = Math.max(hi, h + 20 * eps);
    finest = Math.min(finest, eps);
  }
  const n = Math.ceil((hi - lo) / (finest / 10));
  for (let i = 0; i <= n; i++) {
    if (!(terraceSlope(t, lo + (i / n) * (hi - lo)) >= TERRACE_MIN_SLOPE)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The formula as plain text.

/** A (rounded) parameter as shown in the formula, with a Unicode minus. */
function num(x: number): string {
  // The parameters are already rounded: print them exactly (2·m₁₂ may have a 4th digit), in
  // positional notation even below 10⁻⁶ where String() would switch to an exponent.
  let text = String(x);
  const m = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(text);
  if (m) text = `${m[1]}0.${"0".repeat(Number(m[4]) - 1)}${m[2]}${m[3] ?? ""}`;
  return text.replace("-", "−");
}

/** " + |x| body" or " − |x| body" (first term: no leading "+"); "|x|/…" for a ratio. */
function signed(x: number, body: string, first = false): string {
  const ratio = body.startsWith("/");
  const mag = Math.abs(x) === 1 && body !== "" && !ratio ? "" : num(Math.abs(x));
  const sep = mag !== "" && body !== "" && !ratio ? " " : "";
  if (first) return `${x < 0 ? "−" : ""}${mag}${sep}${body}`;
  return ` ${x < 0 ? "−" : "+"} ${mag}${sep}${body}`;
}

/** "(w − 1.2)" or "(w + 0.5)" or "w". */
function shifted(v: string, c: number): string {
  if (c === 0) return v;
  return c > 0 ? `(${v} − ${num(c)})` : `(${v} + ${num(-c)})`;
}

/** "m11 (w − x)² + 2·m12 (w − x)(b − y) + m22 (b − y)²". */
function quadratic(m11: number, m12: number, m22: number, x: number, y: number): string {
  const u = shifted("w", x);
  const v = shifted("b", y);
  let out = signed(m11, `${u}²`, true);
  if (m12 !== 0) out += signed(2 * m12, `${u}${v.startsWith("(") ? v : `·${v}`}`);
  out += signed(m22, `${v}²`);
  return out;
}

/** The terrain's formula with its numbers, as one line of plain Unicode text. */
export function terrainFormula(t: Terrain): string {
  let base = `½[${quadratic(t.a11, t.a12, t.a22, t.cx, t.cy)}]`;
  if (t.tx !== 0) base += signed(t.tx, "w");
  if (t.ty !== 0) base += signed(t.ty, "b");
  for (let i = 0; i < t.bumps.length; i += BUMP_STRIDE) {
    const [amp, x, y, m11, m12, m22] = t.bumps.subarray(i, i + BUMP_STRIDE);
    const isWell = i / BUMP_STRIDE < t.wells;
    if (isWell) {
      const sigma = sig3(1 / Math.sqrt(m11!)); // recovers the drawn σ
      base += signed(
        amp!,
        `/(1 + (${shifted("w", x!)}² + ${shifted("b", y!)}²)/(16·${num(sigma)}²))⁸`,
      );
    } else {
      base += signed(amp!, `/(1 + [${quadratic(m11!, m12!, m22!, x!, y!)}]/16)⁸`);
    }
  }
  if (t.plateaus === 0) return `L(w, b) = ${base}`;
  let psi = "B(w, b)";
  for (let k = 0; k < t.terraces.length; k += TERRACE_STRIDE) {
    const [h, eps, drop] = t.terraces.subarray(k, k + TERRACE_STRIDE);
    psi += signed(-drop!, `s((B(w, b) ${h! < 0 ? "+" : "−"} ${num(Math.abs(h!))})/${num(eps!)})`);
  }
  return `L(w, b) = ${psi}, where s(z) = ½(1 + z/√(1 + z²)) and B(w, b) = ${base}`;
}
