import { z } from "zod";
import { OPTIMIZER_IDS, validateOptimizerParams } from "../optimizers";
import type { OptimizerId, OptimizerParams } from "../optimizers/types";
import type { Surface } from "../types";
import { fail, RoundErrorCode } from "./errors";
import type { RoundFailure } from "./errors";

/**
 * A round's settings (docs/SPEC.md R2): chosen by the host, checked once at the entry, then stored
 * fully resolved in the round so that a replay needs nothing else.
 */

/** How much a player is told about the surface (GAME.md, "Hint levels"). */
export const HINTS = ["gradient", "taylor", "blind"] as const;

/**
 * `gradient`: the gradient at your position is sent (the arrow). `taylor`: the gradient is sent
 * too, so the client can preview the first-order ΔL ≈ η uᵀ∇L while the dial turns, but no arrow
 * is drawn. `blind`: no gradient, and feedback carries no prediction and no β (they would leak it).
 */
export type Hint = (typeof HINTS)[number];

/** Smallest and largest number of turns. */
export const TURNS_RANGE = { min: 1, max: 100, default: 12 } as const;
/** Seconds per turn: 0 = untimed (solo practice). */
export const SECONDS_PER_TURN_RANGE = { min: 0, max: 600, default: 30 } as const;
/** η_max may be set up to this multiple of the surface's suggested η_max. */
export const ETA_MAX_FACTOR = 10;

/** The bot, resolved: no bot, or an optimizer with complete hyper-parameters (η included). */
export type BotSettings =
  | { readonly optimizer: "none" }
  | { readonly optimizer: OptimizerId; readonly params: OptimizerParams };

/** Fully resolved settings of a round (every default applied, every bound checked). */
export interface RoundSettings {
  /** Number of turns, an integer in [1, 100]. @default 12 */
  readonly turns: number;
  /** Seconds per turn, an integer in [0, 600]; 0 = untimed. @default 30 */
  readonly secondsPerTurn: number;
  /** Largest step size η a player may choose, in (0, 10·surface.etaMax]. @default surface.etaMax */
  readonly etaMax: number;
  /** Hint level. @default "gradient" */
  readonly hint: Hint;
  /** The bot. @default { optimizer: "gd", params: { eta: surface.botEta } } */
  readonly bot: BotSettings;
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}

function integerIn(name: string, range: { min: number; max: number }) {
  const message = (input: unknown) =>
    `${name} must be an integer from ${range.min} to ${range.max}, got ${describe(input)}`;
  return z
    .number({ error: (issue) => message(issue.input) })
    .int()
    .min(range.min)
    .max(range.max);
}

function finiteNumber(name: string, what = "a finite number") {
  return z
    .number({ error: (issue) => `${name} must be ${what}, got ${describe(issue.input)}` })
    .refine(Number.isFinite);
}

const botOptimizerIds = [...OPTIMIZER_IDS, "none"] as const;

/** Hyper-parameters as the host may give them: all optional; ranges are the optimizers' own. */
const botParamsSchema = z.strictObject(
  {
    eta: finiteNumber("bot.params.eta").optional(),
    beta: finiteNumber("bot.params.beta").optional(),
    beta1: finiteNumber("bot.params.beta1").optional(),
    beta2: finiteNumber("bot.params.beta2").optional(),
    epsilon: finiteNumber("bot.params.epsilon").optional(),
    damping: finiteNumber("bot.params.damping").optional(),
  },
  { error: (issue) => unknownKeysOr(issue, "bot.params must be an object") },
);

function unknownKeysOr(issue: { code?: string; keys?: readonly string[] }, message: string) {
  return issue.code === "unrecognized_keys"
    ? `unknown setting${issue.keys && issue.keys.length > 1 ? "s" : ""}: ${(issue.keys ?? []).join(", ")}`
    : message;
}

/**
 * The settings as the host sends them: every field optional. Parsing applies the defaults that do
 * not depend on the surface (turns 12, secondsPerTurn 30, hint "gradient", bot "gd"); η_max and
 * the bot's η stay optional here and are filled from the surface by {@link resolveSettings}.
 * Unknown keys are rejected.
 */
export const roundSettingsSchema = z.strictObject(
  {
    turns: integerIn("turns", TURNS_RANGE).default(TURNS_RANGE.default),
    secondsPerTurn: integerIn("secondsPerTurn", SECONDS_PER_TURN_RANGE).default(
      SECONDS_PER_TURN_RANGE.default,
    ),
    etaMax: finiteNumber("etaMax", "a positive finite number")
      .refine((x) => x > 0)
      .optional(),
    hint: z
      .enum(HINTS, {
        error: (issue) => `hint must be one of ${HINTS.join(", ")}, got ${describe(issue.input)}`,
      })
      .default("gradient"),
    bot: z
      .strictObject(
        {
          optimizer: z
            .enum(botOptimizerIds, {
              error: (issue) =>
                `bot.optimizer must be one of ${botOptimizerIds.join(", ")}, got ${describe(issue.input)}`,
            })
            .default("gd"),
          params: botParamsSchema.optional(),
        },
        { error: (issue) => unknownKeysOr(issue, "bot must be an object") },
      )
      .default({ optimizer: "gd" }),
  },
  { error: (issue) => unknownKeysOr(issue, "settings must be an object") },
);

/** What the host may send (every field optional). */
export type RoundSettingsInput = z.input<typeof roundSettingsSchema>;

/** The result of {@link resolveSettings}. */
export type SettingsResult = { readonly ok: true; readonly settings: RoundSettings } | RoundFailure;

/**
 * Resolve the host's settings against the surface (R2): parse with {@link roundSettingsSchema},
 * default η_max to `surface.etaMax` and check η_max ≤ 10·surface.etaMax, default the bot's η to
 * `surface.botEta` and check the hyper-parameters with the optimizers' own rules
 * (`validateOptimizerParams`). `undefined` or `null` means "all defaults". Never throws: a bad
 * setting gives `INVALID_SETTINGS` with a message naming the field, e.g.
 * `turns must be an integer from 1 to 100, got 0`.
 */
export function resolveSettings(input: unknown, surface: Surface): SettingsResult {
  const parsed = roundSettingsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    return fail(
      RoundErrorCode.INVALID_SETTINGS,
      parsed.error.issues.map((issue) => issue.message).join("; "),
    );
  }
  const data = parsed.data;
  const limit = ETA_MAX_FACTOR * surface.etaMax;
  const etaMax = data.etaMax ?? surface.etaMax;
  if (!(etaMax <= limit)) {
    return fail(
      RoundErrorCode.INVALID_SETTINGS,
      `etaMax must be at most ${limit} (${ETA_MAX_FACTOR} × this surface's suggested η_max), got ${etaMax}`,
    );
  }
  let bot: BotSettings;
  if (data.bot.optimizer === "none") {
    bot = { optimizer: "none" };
  } else {
    // η first, then the others in the schema's order: resolving twice gives the same JSON.
    const { eta, ...rest } = data.bot.params ?? {};
    const params: OptimizerParams = { eta: eta ?? surface.botEta, ...rest };
    try {
      validateOptimizerParams(data.bot.optimizer, params);
    } catch (error) {
      return fail(
        RoundErrorCode.INVALID_SETTINGS,
        `bot.params.${error instanceof Error ? error.message : String(error)}`,
      );
    }
    bot = { optimizer: data.bot.optimizer, params };
  }
  return {
    ok: true,
    settings: {
      turns: data.turns,
      secondsPerTurn: data.secondsPerTurn,
      etaMax,
      hint: data.hint,
      bot,
    },
  };
}
