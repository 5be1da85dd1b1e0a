import { cos, log, sin } from "./math";
/**
 * Deterministic, seeded pseudo-random numbers. lib/ never calls `Math.random`: everything random
 * (procedural surfaces, start points, fuzzing) is derived from an integer seed, so the same seed
 * gives the same result on every machine, in the browser and in Node.
 *
 * The generator is Mulberry32 (Tommy Ettinger, public domain): a 32-bit state, period 2³², good
 * enough statistical quality for games and tests, and trivially serialisable (the state is one
 * unsigned 32-bit integer), which keeps reducer states plain data.
 */

/** A seeded generator. Its whole state is {@link Rng.state}; copy it to fork or store it. */
export interface Rng {
  /** The current 32-bit state; `createRng(rng.state)` continues the same sequence. */
  readonly state: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Uniform integer in [0, n) for a positive integer n. */
  int(n: number): number;
  /** Standard normal N(0, 1) (Box–Muller). */
  normal(): number;
}

/** Normalise any finite number to a 32-bit unsigned seed (non-integers are hashed by their bits). */
export function toSeed(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  if (Number.isInteger(seed) && Math.abs(seed) <= Number.MAX_SAFE_INTEGER) {
    // Mix the high bits in so that 2³² and 0 differ.
    const hi = Math.floor(seed / 4294967296);
    return (seed ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
  }
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, seed);
  return (view.getUint32(0) ^ Math.imul(view.getUint32(4), 0x85ebca6b)) >>> 0;
}

/** One Mulberry32 step: returns the next state and a uniform number in [0, 1). */
export function mulberry32(state: number): { state: number; value: number } {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  return { state: next, value };
}

/** Derive an independent seed from a seed and a label (FNV-1a over the label, then mixed). */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ toSeed(seed)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/** Create a generator from a seed (any finite number; see {@link toSeed}). */
export function createRng(seed: number): Rng {
  let state = toSeed(seed);
  let spare: number | null = null;
  const next = (): number => {
    const r = mulberry32(state);
    state = r.state;
    return r.value;
  };
  return {
    get state() {
      return state;
    },
    next,
    uniform(min, max) {
      return min + (max - min) * next();
    },
    int(n) {
      if (!Number.isInteger(n) || n <= 0)
        throw new RangeError(`int(n) needs a positive integer, got ${n}`);
      return Math.floor(next() * n);
    },
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * log(u));
      spare = r * sin(2 * Math.PI * v);
      return r * cos(2 * Math.PI * v);
    },
  };
}
