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

const cache = new Map<string, Surface>();

/** A stable string key for a ref. */
export function surfaceRefKey(ref: SurfaceRef): string {
  return ref.kind === "catalog" ? `catalog:${ref.id}` : `procedural:${ref.seed}:${ref.difficulty}`;
}

/**
 * The surface a ref names. Procedural surfaces are memoised (their global minimum is found
 * numerically once). Throws, naming the problem, for an unknown catalog id or bad options.
 */
export function resolveSurface(ref: SurfaceRef): Surface {
  const key = surfaceRefKey(ref);
  const cached = cache.get(key);
  if (cached) return cached;
  const surface: Surface =
    ref.kind === "catalog"
      ? getSurface(ref.id)
      : proceduralSurface(ref.seed, { difficulty: ref.difficulty });
  if (cache.size > 256) cache.clear();
  cache.set(key, surface);
  return surface;
}
