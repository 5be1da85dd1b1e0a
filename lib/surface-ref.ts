import { proceduralSurface } from "./procedural";
import { getSurface } from "./surfaces";
import type { Difficulty, Surface } from "./types";

/**
 * How a round names its surface in stored data: a catalog id, or a procedural seed and difficulty.
 * A ref is plain data (it is saved with every round); {@link resolveSurface} turns it back into
 * the same {@link Surface} on every machine.
 */
export type SurfaceRef =
  | { readonly kind: "catalog"; readonly id: string }
  | { readonly kind: "procedural"; readonly seed: number; readonly difficulty: Difficulty };

/**
 * The one surface cache of a process: the rules (through lib/game's default environment), the
 * data layer's replays and the rooms all resolve refs here. Least recently used first out, so a
 * surface in use (a live room's) stays while other rooms and replays come and go.
 */
const cache = new Map<string, Surface>();
const CACHE_SIZE = 256;

/** A stable string key for a ref. */
export function surfaceRefKey(ref: SurfaceRef): string {
  return ref.kind === "catalog" ? `catalog:${ref.id}` : `procedural:${ref.seed}:${ref.difficulty}`;
}

/**
 * The surface a ref names, the same object for the same ref while it is among the 256 most
 * recently used (procedural surfaces are memoised: their global minimum is found numerically
 * once). Throws, naming the problem, for an unknown catalog id or bad options.
 */
export function resolveSurface(ref: SurfaceRef): Surface {
  const key = surfaceRefKey(ref);
  const cached = cache.get(key);
  if (cached) {
    // Most recently used last.
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const surface: Surface =
    ref.kind === "catalog"
      ? getSurface(ref.id)
      : proceduralSurface(ref.seed, { difficulty: ref.difficulty });
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, surface);
  return surface;
}
