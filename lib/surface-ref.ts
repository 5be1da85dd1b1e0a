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

/**
 * The one surface cache of a process: the rules (through lib/game's default environment), the
 * data layer's replays and the rooms all resolve refs here. Least recently used first out, so a
 * surface in use (a live room's) stays while other rooms and replays come and go.
 */
const cache = new Map<string, Surface>();
const CACHE_SIZE = 256;

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
  if (ref.transform !== undefined && !isSurfaceTransform(ref.transform)) {
    throw new Error(
      `invalid surface transform ${JSON.stringify(ref.transform)}: expected { seed } with an unsigned 32-bit integer seed`,
    );
  }
  const family = (): Surface =>
    cached(surfaceRefKey(ref), () =>
      ref.kind === "catalog"
        ? getSurface(ref.id)
        : proceduralSurface(ref.seed, { difficulty: ref.difficulty }),
    );
  const transform = ref.transform;
  if (transform === undefined) return family();
  return cached(surfaceInstanceKey(ref), () => {
    const base = family();
    return transformSurface(base, drawTransform(base, transform.seed));
  });
}
