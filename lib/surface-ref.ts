import { proceduralFromBuild, proceduralSurface } from "./procedural";
import type { ProceduralBuild } from "./procedural";
import { dataId, dataSurface } from "./surfaces/data";
import { formulaSurface, formulaSurfaceOf } from "./surfaces/formula";
import type { FormulaAnalysis, FormulaSpec } from "./surfaces/formula";
import { getSurface } from "./surfaces";
import { checkSurfaceTransform, drawTransform, transformSurface } from "./surfaces/transform";
import type { SurfaceTransform, TransformParams } from "./surfaces/transform";
import type { Box, Difficulty, Surface, Vec2 } from "./types";

/**
 * How a round names its surface in stored data: a catalog id, a procedural seed and difficulty, or
 * a teacher's formula and its box (docs/SPEC.md F1–F7), the class's data points (x, y) and the box
 * of the neuron fitted to them (F9–F12), and optionally the round's transform (docs/SPEC.md T1: absent = the surface as defined, so
 * rounds stored before transforms existed replay bit for bit). A ref is plain data (it is saved
 * with every round); {@link resolveSurface} turns it back into the same {@link Surface} on every
 * machine.
 */
export type SurfaceRef = (
  | { readonly kind: "catalog"; readonly id: string }
  | { readonly kind: "procedural"; readonly seed: number; readonly difficulty: Difficulty }
  | { readonly kind: "formula"; readonly text: string; readonly box: Box }
  | { readonly kind: "data"; readonly points: readonly Vec2[]; readonly box: Box }
) & { readonly transform?: SurfaceTransform };

export type { SurfaceTransform };

/**
 * The costly part of resolving a catalog or procedural ref, as plain data (it survives
 * `structuredClone` and `postMessage`): a procedural family's build (its minimum, start and
 * bot's η; lib/procedural) and the transform's parameters (the T8 start search). Made by
 * lib/surface-prep's `prepareSurface`, on another thread when the caller wants its own thread
 * free (docs/SPEC.md R31a); {@link rememberPreparedSurface} turns it into the surface.
 */
export interface SurfacePreparation {
  readonly build?: ProceduralBuild;
  readonly transform?: TransformParams;
}

/**
 * The one surface cache of a process: the rules (through lib/game's default environment), the
 * data layer's replays and the rooms all resolve refs here. Least recently used first out, so a
 * surface in use (a live room's) stays while other rooms and replays come and go.
 */
const cache = new Map<string, Surface>();
const CACHE_SIZE = 256;

/**
 * A stable string key for the surface family a ref names, transform left out (T7): the key
 * leaderboards and stored rounds group by (`catalog:rosenbrock`, `procedural:42:medium`,
 * `formula:-2,-1,2,3:(1 - w)^2 + 100 (b - w^2)^2`; a formula never contains `:`, F1;
 * `data:-6,-6,6,6:0.5,0.2;2.5,0.9`, F12).
 */
export function surfaceRefKey(ref: SurfaceRef): string {
  switch (ref.kind) {
    case "catalog":
      return `catalog:${ref.id}`;
    case "procedural":
      return `procedural:${ref.seed}:${ref.difficulty}`;
    case "formula":
      return `formula:${ref.box.min[0]},${ref.box.min[1]},${ref.box.max[0]},${ref.box.max[1]}:${ref.text}`;
    case "data":
      return dataId(ref);
  }
}

/**
 * The ref a {@link surfaceRefKey} names, transform left out (its inverse; numbers print and read
 * back exactly). Unknown kinds read as a catalog id, which the resolver then refuses.
 */
export function surfaceRefOfKey(key: string): SurfaceRef {
  const colon = key.indexOf(":");
  const kind = colon < 0 ? key : key.slice(0, colon);
  const rest = colon < 0 ? "" : key.slice(colon + 1);
  if (kind === "procedural") {
    const [seed = "", difficulty = ""] = rest.split(":");
    return { kind: "procedural", seed: Number(seed), difficulty: difficulty as Difficulty };
  }
  if (kind === "formula") {
    const second = rest.indexOf(":");
    const [a = NaN, b = NaN, c = NaN, d = NaN] = rest.slice(0, second).split(",").map(Number);
    return { kind: "formula", text: rest.slice(second + 1), box: { min: [a, b], max: [c, d] } };
  }
  if (kind === "data") {
    const second = rest.indexOf(":");
    const [a = NaN, b = NaN, c = NaN, d = NaN] = rest.slice(0, second).split(",").map(Number);
    const points = rest
      .slice(second + 1)
      .split(";")
      .map((p): Vec2 => {
        const [x = NaN, y = NaN] = p.split(",").map(Number);
        return [x, y];
      });
    return { kind: "data", points, box: { min: [a, b], max: [c, d] } };
  }
  return { kind: "catalog", id: rest.split(":")[0] ?? "" };
}

/**
 * A stable string key for exactly the surface a ref resolves to, transform included: the key to
 * cache resolved surfaces by (`catalog:rosenbrock` or `catalog:rosenbrock~t123`).
 */
export function surfaceInstanceKey(ref: SurfaceRef): string {
  const family = surfaceRefKey(ref);
  if (ref.transform === undefined) return family;
  const { seed, version } = ref.transform;
  return `${family}~t${seed}${version === undefined ? "" : `v${version}`}`;
}

function cached(key: string, make: () => Surface): Surface {
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const surface = make();
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, surface);
  return surface;
}

/**
 * The surface a ref names, transformed by its `transform` when there is one (T2); the same object
 * for the same ref while it is among the 256 most recently used (procedural surfaces are memoised:
 * their global minimum is found numerically once; a transform searches for its start once).
 * Throws, naming the problem, for an unknown catalog id, bad options or a malformed transform.
 */
export function resolveSurface(ref: SurfaceRef): Surface {
  if (ref.kind === "formula") {
    // F6: a formula round is played as written.
    if (ref.transform !== undefined) {
      throw new Error("a formula surface takes no transform: it is played as written (F6)");
    }
    return cached(surfaceRefKey(ref), () => formulaSurface(formulaSpecOf(ref)));
  }
  if (ref.kind === "data") {
    // F12: a data round is played as written, like a formula (F6).
    if (ref.transform !== undefined) {
      throw new Error("a data surface takes no transform: it is played as written (F12)");
    }
    return cached(surfaceRefKey(ref), () => dataSurface({ points: ref.points, box: ref.box }));
  }
  checkSurfaceTransform(ref.transform);
  return resolvePrepared(ref, {});
}

/** A catalog or procedural ref (the kinds a transform applies to and that can be prepared). */
export type PreparableRef = Extract<SurfaceRef, { kind: "catalog" | "procedural" }>;

/**
 * The surface of a catalog or procedural ref, through the cache, using what `prep` holds instead
 * of computing it (a missing part is computed here).
 */
function resolvePrepared(ref: PreparableRef, prep: SurfacePreparation): Surface {
  const family = (): Surface =>
    cached(surfaceRefKey(ref), () => {
      if (ref.kind === "catalog") return getSurface(ref.id);
      const options = { difficulty: ref.difficulty };
      return prep.build
        ? proceduralFromBuild(ref.seed, options, prep.build)
        : proceduralSurface(ref.seed, options);
    });
  const transform = ref.transform;
  if (transform === undefined) return family();
  return cached(surfaceInstanceKey(ref), () => {
    const base = family();
    return transformSurface(
      base,
      prep.transform ?? drawTransform(base, transform.seed, transform.version),
    );
  });
}

/**
 * Put the surface of `ref`, from lib/surface-prep's `prepareSurface` made elsewhere (another
 * thread), into the cache {@link resolveSurface} reads, and return it: resolving the ref
 * afterwards costs a lookup. `prep` must be `prepareSurface(ref)` (then the surface is bit for
 * bit the one `resolveSurface` would build); a part it lacks is computed here.
 */
export function rememberPreparedSurface(ref: SurfaceRef, prep: SurfacePreparation): Surface {
  if (ref.kind === "formula" || ref.kind === "data") return resolveSurface(ref);
  checkSurfaceTransform(ref.transform);
  return resolvePrepared(ref, prep);
}

function formulaSpecOf(ref: Extract<SurfaceRef, { kind: "formula" }>): FormulaSpec {
  return { text: ref.text, box: ref.box };
}

/**
 * F7: put a formula surface built from an analysis made elsewhere (the server's analysis thread)
 * into the cache {@link resolveSurface} reads, so resolving the ref afterwards costs no check.
 * The analysis must be lib/surfaces/formula's `analyseFormula` of the same text and box (then the
 * surface is bit for bit the one `resolveSurface` would build). Returns the surface.
 */
export function rememberFormulaSurface(
  ref: Extract<SurfaceRef, { kind: "formula" }>,
  analysis: FormulaAnalysis,
): Surface {
  return cached(surfaceRefKey(ref), () => formulaSurfaceOf(formulaSpecOf(ref), analysis));
}
