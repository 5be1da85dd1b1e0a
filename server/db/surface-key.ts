/**
 * How a round's surface is stored: the ref's columns and its key (lib/surface-ref's
 * `surfaceRefKey`), and the ref read back from a key.
 */
import { surfaceRefOfKey as refOfKey } from "../../lib/surface-ref";
import type { SurfaceRef } from "../../lib/surface-ref";

/** The Round columns that name a surface. */
export function surfaceColumns(ref: SurfaceRef) {
  if (ref.kind === "formula" || ref.kind === "data") {
    // The text (or points) and box are in surfaceKey and the record (F7, F12).
    return {
      surfaceKind: ref.kind,
      surfaceId: null,
      proceduralSeed: null,
      proceduralDifficulty: null,
    };
  }
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
  return refOfKey(key);
}
