import { proceduralSurface } from "./procedural";
import type { PreparableRef } from "./surface-ref";
import { getSurface } from "./surfaces";
import { drawTransform, transformSurface } from "./surfaces/transform";
import type { Surface, Vec2 } from "./types";

/*
 * For the tests of surfaces made another way (prepared ahead, on another thread: docs/SPEC.md
 * R31a): the surface as computed from scratch, and what it shows and computes as numbers, so that
 * two surfaces are bit for bit the same when their fingerprints are equal.
 */

/** The surface of `ref` computed here from scratch: no cache, no thread. */
export function surfaceFromScratch(ref: PreparableRef): Surface {
  const base =
    ref.kind === "catalog"
      ? getSurface(ref.id)
      : proceduralSurface(ref.seed, { difficulty: ref.difficulty });
  const t = ref.transform;
  return t ? transformSurface(base, drawTransform(base, t.seed, t.version)) : base;
}

/**
 * What `surface` shows (its names, domain, minima, start, η's, difficulty) and computes (loss,
 * gradient and Hessian on a (steps + 1)² grid of its domain): equal lists mean bit for bit equal.
 */
export function surfaceFingerprint(surface: Surface, steps = 8): unknown[] {
  const out: unknown[] = [
    surface.id,
    surface.name,
    surface.description,
    surface.formula,
    surface.domain,
    surface.minima,
    surface.start,
    surface.etaMax,
    surface.botEta,
    surface.difficulty,
  ];
  const { min, max } = surface.domain;
  for (let i = 0; i <= steps; i++) {
    for (let j = 0; j <= steps; j++) {
      const theta: Vec2 = [
        min[0] + ((max[0] - min[0]) * i) / steps,
        min[1] + ((max[1] - min[1]) * j) / steps,
      ];
      out.push(surface.loss(theta), surface.gradient(theta), surface.hessian(theta));
    }
  }
  return out;
}
