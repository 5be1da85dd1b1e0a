import { proceduralSurface } from "./procedural";
import { getSurface } from "./surfaces";
import { drawTransform, isSurfaceTransform, transformSurface } from "./surfaces/transform";
import type { SurfaceTransform } from "./surfaces/transform";
import type { Difficulty, Surface } from "./types";

/**
 * How a round names its surface in stored data: a catalog id, or a procedural seed and difficulty,
 * and optionally the round's transform (docs/SPEC.md T1: absent = the surface as defined, so
 * rounds stored before transforms existed replay bit for bit). A ref is plain data (it is saved
 * with every round); {@link resolveSurface} turns it back into the same {@link Surface} on every
 * machine.
 */
export type SurfaceRef = (
  | { readonly kind: "catalog"; readonly id: string }
  | { readonly kind: "procedural"; readonly seed: number; readonly difficulty: Difficulty }
) & { readonly transform?: SurfaceTransform };

export type { SurfaceTransform };

const cache = new Map<string, Surface>();

/**
 * A stable string key for the surface family a ref names, transform left out (T7): the key
 * leaderboards and stored rounds group by (`catalog:rosenbrock`, `procedural:42:medium`).
 */
export function surfaceRefKey(ref: SurfaceRef): string {
  return ref.kind === "catalog" ? `catalog:${ref.id}` : `procedural:${ref.seed}:${ref.difficulty}`;
}

/**
 * A stable string key for exactly the surface a ref resolves to, transform included: the key to
 * cache resolved surfaces by (`catalog:rosenbrock` or `catalog:rosenbrock~t123`).
 */
export function surfaceInstanceKey(ref: SurfaceRef): string {
  const family = surfaceRefKey(ref);
  return ref.transform === undefined ? family : `${family}~t${ref.transform.seed}`;
}

function untransformed(ref: SurfaceRef): Surface {
  return ref.kind === "catalog"
    ? getSurface(ref.id)
    : proceduralSurface(ref.seed, { difficulty: ref.difficulty });
}

/**
 * The surface a ref names, transformed by its `transform` when there is one (T2). Procedural and
 * transformed surfaces are memoised (a procedural minimum is found numerically once; a transform
 * searches for its start once). Throws, naming the problem, for an unknown catalog id, bad
 * options or a malformed transform.
 */
export function resolveSurface(ref: SurfaceRef): Surface {
  const key = surfaceInstanceKey(ref);
  const cached = cache.get(key);
  if (cached) return cached;
  if (ref.transform !== undefined && !isSurfaceTransform(ref.transform)) {
    throw new Error(
      `invalid surface transform ${JSON.stringify(ref.transform)}: expected { seed } with an unsigned 32-bit integer seed`,
    );
  }
  let surface: Surface;
  if (ref.transform === undefined) {
    surface = untransformed(ref);
  } else {
    const familyKey = surfaceRefKey(ref);
    const base = cache.get(familyKey) ?? untransformed(ref);
    if (ref.kind === "procedural") cache.set(familyKey, base);
    surface = transformSurface(base, drawTransform(base, ref.transform.seed));
  }
  if (cache.size > 256) cache.clear();
  cache.set(key, surface);
  return surface;
}
