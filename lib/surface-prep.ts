import { proceduralBuild, proceduralFromBuild } from "./procedural";
import type { SurfacePreparation, SurfaceRef } from "./surface-ref";
import { getSurface } from "./surfaces";
import { checkSurfaceTransform, drawTransform } from "./surfaces/transform";

/*
 * A round's surface computed ahead (docs/SPEC.md R31a), apart from lib/surface-ref so that the
 * thread that prepares surfaces loads the catalog, the procedural family and the transforms only
 * (not the formula parser): it imports lib/surface-ref for its types only.
 */

/**
 * What resolving `ref` computes, ahead of time: lib/surface-ref's `rememberPreparedSurface` on
 * the same ref then gives bit for bit the surface `resolveSurface` would, in microseconds. Formula
 * and data refs cannot be prepared (their analysis has its own thread, F7). Throws as
 * `resolveSurface` does for a ref it refuses.
 */
export function prepareSurface(ref: SurfaceRef): SurfacePreparation {
  if (ref.kind === "formula" || ref.kind === "data") {
    throw new Error(`a ${ref.kind} surface is not prepared ahead: it is resolved as written`);
  }
  checkSurfaceTransform(ref.transform);
  const build =
    ref.kind === "procedural"
      ? proceduralBuild(ref.seed, { difficulty: ref.difficulty })
      : undefined;
  // Not through the cache: the preparing thread keeps nothing it does not need. (A catalog id
  // is looked up even without a transform: an unknown one throws here, as it would there.)
  const base =
    ref.kind === "catalog"
      ? getSurface(ref.id)
      : proceduralFromBuild(ref.seed, { difficulty: ref.difficulty }, build!);
  const transform = ref.transform;
  if (transform === undefined) return build ? { build } : {};
  const params = drawTransform(base, transform.seed, transform.version);
  return build ? { build, transform: params } : { transform: params };
}
