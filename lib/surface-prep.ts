import { proceduralBuild, proceduralFromBuild } from "./procedural";
import type { ProceduralBuild } from "./procedural";
import { getSurface } from "./surfaces";
import { drawTransform, isSurfaceTransform } from "./surfaces/transform";
import type { SurfaceTransform, TransformParams } from "./surfaces/transform";
import type { Difficulty } from "./types";

/*
 * A round's surface computed ahead (docs/SPEC.md R31a), apart from lib/surface-ref so that the
 * thread that prepares surfaces loads the catalog, the procedural family and the transforms only
 * (not the formula parser).
 */

/**
 * The costly part of resolving a catalog or procedural ref, as plain data (it survives
 * `structuredClone` and `postMessage`): a procedural family's build (its minimum, start and
 * bot's η; lib/procedural) and the transform's parameters (the T8 start search). Made by
 * {@link prepareSurface}, on another thread when the caller wants its own thread free.
 */
export interface SurfacePreparation {
  readonly build?: ProceduralBuild;
  readonly transform?: TransformParams;
}

/**
 * What resolving `ref` computes, ahead of time: {@link rememberPreparedSurface} on the same
 * ref then gives bit for bit the surface {@link resolveSurface} would, in microseconds. Formula
 * and data refs cannot be prepared (their analysis has its own thread, F7). Throws as
 * {@link resolveSurface} does for a ref it refuses.
 */
export function prepareSurface(
  ref: PreparableRef | { readonly kind: "formula" } | { readonly kind: "data" },
): SurfacePreparation {
  if (ref.kind === "formula" || ref.kind === "data") {
    throw new Error(`a ${ref.kind} surface is not prepared ahead: it is resolved as written`);
  }
  checkTransform(ref);
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

/**
 * A catalog or procedural lib/surface-ref `SurfaceRef` (the kinds a transform applies to), spelt
 * out here so that this module does not import that one (which imports this).
 */
export type PreparableRef = (
  | { readonly kind: "catalog"; readonly id: string }
  | { readonly kind: "procedural"; readonly seed: number; readonly difficulty: Difficulty }
) & { readonly transform?: SurfaceTransform };

/** Throws, naming the problem, for a malformed transform. */
export function checkTransform(ref: PreparableRef): void {
  if (ref.transform !== undefined && !isSurfaceTransform(ref.transform)) {
    throw new Error(
      `invalid surface transform ${JSON.stringify(ref.transform)}: expected { seed } or { seed, version: 2 } with an unsigned 32-bit integer seed`,
    );
  }
}
