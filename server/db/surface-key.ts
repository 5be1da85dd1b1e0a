/**
 * How a round's surface is stored: the ref's columns and its key (lib/surface-ref's
 * `surfaceRefKey`), and the ref read back from a key.
 */
import type { SurfaceRef } from "../../lib/surface-ref";
import type { Difficulty } from "../../lib/types";

/** The Round columns that name a surface. */
export function surfaceColumns(ref: SurfaceRef) {
  return ref.kind === "catalog"
    ? {
        surfaceKind: "catalog",
        surfaceId: ref.id,
        proceduralSeed: null,
        proceduralDifficulty: null,
      }
    : {
        surfaceKind: "procedural",
        surfaceId: null,
        proceduralSeed: ref.seed,
        proceduralDifficulty: ref.difficulty,
      };
}

/** The ref a stored `surfaceKey` names (the inverse of `surfaceRefKey`). */
export function surfaceRefOfKey(key: string): SurfaceRef {
  const [kind, a = "", b = ""] = key.split(":");
  return kind === "procedural"
    ? { kind: "procedural", seed: Number(a), difficulty: b as Difficulty }
    : { kind: "catalog", id: a };
}
