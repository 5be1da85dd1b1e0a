import { resolveSurface } from "../surface-ref";
import type { SurfaceRef } from "../surface-ref";
import type { Surface } from "../types";

/**
 * Where the rules get the surface a {@link SurfaceRef} names. Production code never passes one:
 * the default resolves the ref with `resolveSurface` (catalog or procedural), so a stored round
 * needs nothing but its data. Tests may pass their own to play on small hand-made surfaces.
 */
export interface RoundEnv {
  /** The surface a ref names; may throw for an unknown ref (the rules turn that into an error). */
  readonly resolveSurface: (ref: SurfaceRef) => Surface;
}

/** The production environment: surfaces come from lib/surface-ref. */
export const defaultRoundEnv: RoundEnv = Object.freeze({ resolveSurface });
