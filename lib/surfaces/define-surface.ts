import type { Surface, Vec2 } from "../types";

/**
 * A frozen pair [x, y] whose elements are always stored as doubles: starting from a literal of
 * non-integers fixes the array's element kind, so integer pairs like [1, 3] and fractional ones
 * like [0.5, −2.3] have the same shape and reads of θ stay monomorphic.
 */
function pair(x: number, y: number): Vec2 {
  const p: [number, number] = [0.5, 0.5];
  p[0] = x;
  p[1] = y;
  return Object.freeze(p);
}

/**
 * Builds a catalog entry from its definition: a new object literal with the properties always in
 * the order of {@link Surface} (so every surface of the catalog shares one object shape), frozen
 * together with its box, start and minima so that no caller can move a surface's minimum.
 */
export function defineSurface(spec: Surface): Surface {
  return Object.freeze({
    id: spec.id,
    name: spec.name,
    description: spec.description,
    formula: spec.formula,
    loss: spec.loss,
    gradient: spec.gradient,
    hessian: spec.hessian,
    domain: Object.freeze({
      min: pair(spec.domain.min[0], spec.domain.min[1]),
      max: pair(spec.domain.max[0], spec.domain.max[1]),
    }),
    minima: Object.freeze(
      spec.minima.map((m) => Object.freeze({ theta: pair(m.theta[0], m.theta[1]), loss: m.loss })),
    ),
    start: pair(spec.start[0], spec.start[1]),
    etaMax: spec.etaMax,
    botEta: spec.botEta,
    difficulty: spec.difficulty,
  });
}
