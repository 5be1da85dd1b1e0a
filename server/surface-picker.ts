import type { SurfaceChoice } from "../lib/protocol";
import type { SurfaceRef } from "../lib/surface-ref";
import { TRANSFORM_VERSION } from "../lib/surfaces/transform";
import { DIFFICULTIES } from "../lib/types";
import type { Difficulty } from "../lib/types";
import { randomBelow, randomUint32 } from "./tokens";

/** A catalog entry as the picker needs it. */
export interface CatalogEntry {
  readonly id: string;
  readonly difficulty: Difficulty;
}

/** Where the picker's randomness comes from: the OS CSPRNG in production, a seeded one in tests. */
export interface PickerRandom {
  /** A uniform integer in [0, n). */
  readonly below: (n: number) => number;
  /** A uniform unsigned 32-bit integer. */
  readonly uint32: () => number;
}

/** The operating system's CSPRNG (server/tokens). */
export const cryptoPickerRandom: PickerRandom = Object.freeze({
  below: randomBelow,
  uint32: randomUint32,
});

/**
 * Turn the host's surface choice into the round's {@link SurfaceRef}. Randomness comes from the
 * operating system's CSPRNG here, in server/ (lib/ stays deterministic: the ref is then data):
 * - `surprise`: a fair coin picks a procedural surface (random seed; the given difficulty, else a
 *   random one) or a random catalog surface (of the given difficulty when there is one);
 * - `catalog`: that surface;
 * - `procedural`: that difficulty, with the given seed or a random one;
 * - `formula`: the host's text and box, played as written (no transform, F6);
 * - `data`: the host's points and box, played as written (no transform, F12);
 * and, for every other choice, a fresh random transform (docs/SPEC.md T1, T6), so that no round's
 * surface can be recognised from what players see before the reveal.
 */
export function pickSurface(
  choice: SurfaceChoice,
  catalog: readonly CatalogEntry[],
  random: PickerRandom = cryptoPickerRandom,
): SurfaceRef {
  if (choice.kind === "formula") {
    return {
      kind: "formula",
      text: choice.text,
      box: {
        min: [choice.box.min[0], choice.box.min[1]],
        max: [choice.box.max[0], choice.box.max[1]],
      },
    };
  }
  if (choice.kind === "data") {
    return {
      kind: "data",
      points: choice.points.map(([x, y]) => [x, y] as const),
      box: {
        min: [choice.box.min[0], choice.box.min[1]],
        max: [choice.box.max[0], choice.box.max[1]],
      },
    };
  }
  const family = pickFamily(choice, catalog, random);
  return { ...family, transform: { seed: random.uint32(), version: TRANSFORM_VERSION } };
}

/** The untransformed surface of {@link pickSurface}. */
function pickFamily(
  choice: Exclude<SurfaceChoice, { kind: "formula" | "data" }>,
  catalog: readonly CatalogEntry[],
  random: PickerRandom,
): SurfaceRef {
  if (choice.kind === "catalog") return { kind: "catalog", id: choice.id };
  if (choice.kind === "procedural") {
    return {
      kind: "procedural",
      seed: choice.seed ?? random.uint32(),
      difficulty: choice.difficulty,
    };
  }
  const pool = choice.difficulty
    ? catalog.filter((s) => s.difficulty === choice.difficulty)
    : catalog;
  const procedural = pool.length === 0 || random.below(2) === 0;
  if (procedural) {
    const difficulty =
      choice.difficulty ?? DIFFICULTIES[random.below(DIFFICULTIES.length)] ?? "medium";
    return { kind: "procedural", seed: random.uint32(), difficulty };
  }
  const entry = pool[random.below(pool.length)] ?? pool[0];
  if (!entry) throw new Error("the surface catalog is empty");
  return { kind: "catalog", id: entry.id };
}
