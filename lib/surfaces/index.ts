import type { Surface } from "../types";
import {
  beale,
  booth,
  goldsteinPrice,
  himmelblau,
  matyas,
  rosenbrock,
  sixHumpCamel,
  styblinskiTang,
  threeHumpCamel,
} from "./classic";
import { ackley, rastrigin } from "./multimodal";
import { neuron } from "./neuron";
import { crescentValley, illConditionedBowl, plateau, saddlePass } from "./teaching";

export {
  ackley,
  beale,
  booth,
  crescentValley,
  goldsteinPrice,
  himmelblau,
  illConditionedBowl,
  matyas,
  neuron,
  plateau,
  rastrigin,
  rosenbrock,
  saddlePass,
  sixHumpCamel,
  styblinskiTang,
  threeHumpCamel,
};

/**
 * The catalog of fixed surfaces, from easy to expert: convex bowls (Booth, Matyas), the seed
 * article's sigmoid neuron, then saddles, several minima, ill-conditioning and curved valleys,
 * and finally the rippled multimodal functions (Rastrigin, Ackley).
 */
export const surfaces: readonly Surface[] = Object.freeze([
  booth,
  matyas,
  neuron,
  illConditionedBowl,
  threeHumpCamel,
  himmelblau,
  saddlePass,
  sixHumpCamel,
  styblinskiTang,
  rosenbrock,
  crescentValley,
  beale,
  plateau,
  goldsteinPrice,
  rastrigin,
  ackley,
]);

/** The ids of {@link surfaces}, in catalog order. */
export const surfaceIds: readonly string[] = Object.freeze(surfaces.map((s) => s.id));

const byId = new Map<string, Surface>(surfaces.map((s) => [s.id, s]));

/**
 * The catalog surface with this id. Throws an `Error` naming the unknown id and listing the valid
 * ones, e.g. `Unknown surface "foo". Valid surfaces: booth, matyas, …`.
 */
export function getSurface(id: string): Surface {
  const surface = byId.get(id);
  if (surface === undefined) {
    throw new Error(
      `Unknown surface ${JSON.stringify(id)}. Valid surfaces: ${surfaceIds.join(", ")}`,
    );
  }
  return surface;
}
