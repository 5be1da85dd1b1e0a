import { z } from "zod";
import { resolveSettings } from "../game/settings";
import type { RoundSettings } from "../game/settings";
import { resolveSurface, surfaceRefKey } from "../surface-ref";
import type { SurfaceRef } from "../surface-ref";
import { DATA_MAX_POINTS, DATA_MIN_POINTS } from "../surfaces/data-limits";
import { FORMULA_MAX_LENGTH } from "../surfaces/formula-limits";
import { isSurfaceTransform } from "../surfaces/transform";

/**
 * Challenge links (issue 16 §1, docs/SPEC.md C1–C3): a round's settings — its surface ref (catalog
 * id or procedural seed, with the transform that fixes the start; or a host's formula or data
 * points with their box, played as written), turns, η_max, hint level and
 * bot — stored under a short random id and opened at `/c/<id>` as a solo round with exactly those
 * settings. Pure: the id's randomness is an input.
 */

/** A challenge id: 10 characters of Crockford base32 (50 random bits), without i, l, o and u. */
export const CHALLENGE_ID_LENGTH = 10;
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
/** What a well-formed challenge id matches. */
export const CHALLENGE_ID_PATTERN = new RegExp(`^[${ALPHABET}]{${CHALLENGE_ID_LENGTH}}$`);
export const challengeIdSchema = z
  .string({ error: "challenge id must be a string" })
  .regex(
    CHALLENGE_ID_PATTERN,
    `challenge id must be ${CHALLENGE_ID_LENGTH} characters of 0-9 and a-z (no i, l, o, u)`,
  );

/**
 * C1: the id is drawn from random bytes alone (the server's CSPRNG), never from the settings, so
 * it says nothing about the surface. Needs at least {@link CHALLENGE_ID_LENGTH} bytes; each byte
 * contributes its low 5 bits.
 */
export function challengeIdFromBytes(bytes: Uint8Array): string {
  if (bytes.length < CHALLENGE_ID_LENGTH) {
    throw new RangeError(
      `challengeIdFromBytes needs ${CHALLENGE_ID_LENGTH} bytes, got ${bytes.length}`,
    );
  }
  let id = "";
  for (let i = 0; i < CHALLENGE_ID_LENGTH; i++) id += ALPHABET[bytes[i]! & 31];
  return id;
}

/** What a challenge fixes: the surface exactly (transform included) and the resolved settings. */
export interface ChallengeSettings {
  readonly surface: SurfaceRef;
  readonly settings: RoundSettings;
}

/** The result of {@link resolveChallenge}. */
export type ChallengeResult =
  | { readonly ok: true; readonly challenge: ChallengeSettings; readonly surfaceKey: string }
  | { readonly ok: false; readonly message: string };

const finite = z.number().refine(Number.isFinite);
const boxSchema = z.strictObject({
  min: z.tuple([finite, finite]),
  max: z.tuple([finite, finite]),
});

const refSchema = z.union([
  z.strictObject({
    kind: z.literal("catalog"),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    transform: z.unknown().optional(),
  }),
  z.strictObject({
    kind: z.literal("procedural"),
    seed: z.number().int().min(0).max(4294967295),
    difficulty: z.enum(["easy", "medium", "hard", "expert"]),
    transform: z.unknown().optional(),
  }),
  // F6, F12: a formula or data round takes no transform (resolveSurface refuses one).
  z.strictObject({
    kind: z.literal("formula"),
    text: z.string().max(FORMULA_MAX_LENGTH),
    box: boxSchema,
  }),
  z.strictObject({
    kind: z.literal("data"),
    points: z
      .array(z.tuple([finite, finite]))
      .min(DATA_MIN_POINTS)
      .max(DATA_MAX_POINTS),
    box: boxSchema,
  }),
]);

/** A challenge's surface ref as stored, if it has the shape of one (nothing resolved), else null. */
export function challengeSurfaceRef(input: unknown): SurfaceRef | null {
  const ref = refSchema.safeParse(input);
  return ref.success ? (ref.data as SurfaceRef) : null;
}

/**
 * C2: check a challenge's settings as a round would (R2 through `resolveSettings`, the surface
 * through `resolveSurface`), never throwing. A stored challenge is re-checked the same way when it
 * is opened, so a challenge whose surface no longer exists gives a clear message.
 */
export function resolveChallenge(input: unknown): ChallengeResult {
  if (typeof input !== "object" || input === null) {
    return { ok: false, message: "a challenge must be { surface, settings }" };
  }
  const { surface, settings, ...rest } = input as Record<string, unknown>;
  if (Object.keys(rest).length > 0) {
    return { ok: false, message: `unknown challenge field: ${Object.keys(rest).join(", ")}` };
  }
  const ref = refSchema.safeParse(surface);
  if (!ref.success) return { ok: false, message: "challenge surface must be a surface ref" };
  if (
    "transform" in ref.data &&
    ref.data.transform !== undefined &&
    !isSurfaceTransform(ref.data.transform)
  ) {
    return {
      ok: false,
      message: "challenge surface transform must be { seed } or { seed, version: 2 }",
    };
  }
  const surfaceRef = ref.data as SurfaceRef;
  let resolved;
  try {
    resolved = resolveSurface(surfaceRef);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const checked = resolveSettings(settings, resolved);
  if (!checked.ok) return { ok: false, message: checked.error.message };
  return {
    ok: true,
    challenge: { surface: surfaceRef, settings: checked.settings },
    surfaceKey: surfaceRefKey(surfaceRef),
  };
}
