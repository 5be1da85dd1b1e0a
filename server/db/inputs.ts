/**
 * The data layer's inputs, checked with zod at the entry: a bad input gives a {@link DataError}
 * with a message naming the field, and changes nothing.
 */
import { z } from "zod";
import type { RoundRecord } from "../../lib/game";
import { FORMULA_MAX_LENGTH } from "../../lib/surfaces/formula";
import { DATA_MAX_POINTS, DATA_MIN_POINTS } from "../../lib/surfaces/data-limits";
import { DIFFICULTIES } from "../../lib/types";

/** Why the data layer refused a call. */
export type DataErrorCode =
  /** An argument is malformed or out of range (the message names it). */
  | "INVALID_INPUT"
  /** A round's record does not replay with lib/game's rules, or the round is not finished. */
  | "INVALID_RECORD";

/** A refused call; `code` is stable, `message` is for people. */
export class DataError extends Error {
  override readonly name = "DataError";
  constructor(
    readonly code: DataErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** One message for every issue of a failed parse: `page: must be …; period: …`. */
function issuesMessage(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ` : "") + issue.message)
    .join("; ");
}

/** Parse with a schema or throw `DataError("INVALID_INPUT")` naming every bad field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new DataError("INVALID_INPUT", `invalid ${what}: ${issuesMessage(parsed.error)}`);
  }
  return parsed.data;
}

const finite = z.number().refine(Number.isFinite, "must be a finite number");

/** A surface ref as lib/surface-ref defines it. */
/**
 * A round's surface transform (docs/SPEC.md T1, T8): absent in rounds stored before transforms;
 * `version` absent in rounds stored before version 2.
 */
const transformSchema = z.strictObject({
  seed: z.number().int().min(0).max(4_294_967_295),
  version: z.literal(2).optional(),
});

const surfaceRefSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("catalog"),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    transform: transformSchema.optional(),
  }),
  z.object({
    kind: z.literal("procedural"),
    seed: z.number().int().min(0).max(4_294_967_295),
    difficulty: z.enum(DIFFICULTIES as [string, ...string[]]),
    transform: transformSchema.optional(),
  }),
  // F7: the teacher's text and box; whether they make a surface is decided by replaying.
  z.strictObject({
    kind: z.literal("formula"),
    text: z.string().min(1).max(FORMULA_MAX_LENGTH),
    box: z.strictObject({ min: z.tuple([finite, finite]), max: z.tuple([finite, finite]) }),
  }),
  // F12: the class's points and the box; whether they make a surface is decided by replaying.
  z.strictObject({
    kind: z.literal("data"),
    points: z
      .array(z.tuple([finite, finite]))
      .min(DATA_MIN_POINTS)
      .max(DATA_MAX_POINTS),
    box: z.strictObject({ min: z.tuple([finite, finite]), max: z.tuple([finite, finite]) }),
  }),
]);

const moveActionSchema = z.object({
  type: z.literal("move"),
  playerId: z.string().min(1).max(200),
  angle: finite,
  eta: finite,
  at: finite,
  turn: z.number().int().min(0).optional(),
});

const resolveActionSchema = z.object({
  type: z.literal("resolve"),
  at: finite,
  turn: z.number().int().min(0).optional(),
});

/**
 * The shape of lib/game's `RoundRecord`. Only the shape is checked here; whether the record is a
 * real finished round is decided by replaying it with lib/game's rules.
 */
export const roundRecordSchema = z.object({
  surface: surfaceRefSchema,
  settings: z
    .object({
      turns: z.number().int().min(1).max(100),
      secondsPerTurn: z.number().int().min(0),
      etaMax: finite,
      hint: z.enum(["gradient", "taylor", "blind"]),
      bot: z.looseObject({ optimizer: z.string().min(1).max(32) }),
    })
    .loose(),
  seed: finite,
  players: z
    .array(
      z.object({
        id: z.string().min(1).max(200),
        nickname: z.string().max(100),
        ghost: z.literal(true).optional(),
      }),
    )
    .min(1)
    .max(1000),
  startedAt: finite.nullable(),
  actions: z
    .array(z.discriminatedUnion("type", [moveActionSchema, resolveActionSchema]))
    .max(200_000),
});

/**
 * A finished round to store: what the game server's `onRoundFinished` receives (server/room.ts
 * `FinishedRound`), plus optional ids. Unknown fields (e.g. the server's `results`, which the data
 * layer recomputes from the record) are ignored.
 */
export const saveRoundInputSchema = z.object({
  /**
   * The round's id, used as the idempotency key and in replay URLs. @default a hash of the
   * room code, round number, finish time and record (a retry of the same round hashes the same)
   */
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1 to 64 letters, digits, - or _")
    .optional(),
  roomCode: z.string().min(1).max(32),
  /** The room instance's id, when the game server has one (room codes are reused over time). */
  roomId: z.string().min(1).max(100).optional(),
  /** 1 for the room's first round: a first round starts a new Room row. */
  roundNumber: z.number().int().min(1).optional(),
  /** Server clock (ms since the epoch) at the reveal. */
  finishedAt: finite.refine((ms) => ms > 0, "must be a time in ms since the epoch"),
  /** The classroom competition the round belongs to. */
  competition: z
    .object({ id: z.string().min(1).max(100), name: z.string().min(1).max(200) })
    .nullish(),
  record: roundRecordSchema,
});

/**
 * What {@link saveRoundInputSchema} accepts; the record is typed as lib/game's `RoundRecord` (the
 * schema checks its shape at run time).
 */
export type SaveRoundInput = Omit<z.input<typeof saveRoundInputSchema>, "record"> & {
  readonly record: RoundRecord;
};

/** A leaderboard's time window: the last 24 h, the last 7 days, or everything. */
export const PERIODS = ["day", "week", "all"] as const;

/** One of {@link PERIODS}. */
export type Period = (typeof PERIODS)[number];

const SURFACE_KEY =
  /^(catalog:[a-z0-9][a-z0-9-]{0,63}|procedural:\d{1,10}:(easy|medium|hard|expert)|formula:[-+.e\d]{1,24}(,[-+.e\d]{1,24}){3}:[^:\p{Cc}]{1,200}|data:[-+.e\d]{1,24}(,[-+.e\d]{1,24}){3}:[-+.e\d]{1,24},[-+.e\d]{1,24}(;[-+.e\d]{1,24},[-+.e\d]{1,24}){1,49})$/u;

/**
 * A surface filter: a key (`catalog:rosenbrock`, `procedural:42:hard`, `formula:-1,-1,1,1:w^2 + b^2`)
 * or a bare catalog id.
 */
const surfaceFilterSchema = z
  .string()
  .trim()
  .transform((value) => (value.includes(":") ? value : `catalog:${value}`))
  .refine(
    (key) => SURFACE_KEY.test(key),
    "must be a catalog id such as rosenbrock, or a key such as catalog:rosenbrock, procedural:42:medium or formula:-1,-1,1,1:w^2 + b^2",
  );

/** Blank query-string values count as absent. */
function optionalParam<S extends z.ZodType>(schema: S) {
  return z.preprocess(
    (value) => (value === "" || value === null ? undefined : value),
    schema.optional(),
  );
}

const page = optionalParam(
  z.coerce
    .number({ error: "must be an integer from 1 to 1000" })
    .int("must be an integer from 1 to 1000")
    .min(1, "must be an integer from 1 to 1000")
    .max(1000, "must be an integer from 1 to 1000"),
);

const pageSize = optionalParam(
  z.coerce
    .number({ error: "must be an integer from 1 to 100" })
    .int("must be an integer from 1 to 100")
    .min(1, "must be an integer from 1 to 100")
    .max(100, "must be an integer from 1 to 100"),
);

/**
 * A leaderboard query. Every field is optional and may be a query-string value ("2" for 2).
 * Unknown fields are refused.
 */
export const leaderboardQuerySchema = z.strictObject({
  /** Only rounds on this surface. @default every surface */
  surface: optionalParam(surfaceFilterSchema),
  /** Only rounds of this competition. @default every round */
  competition: optionalParam(z.string().trim().min(1).max(100)),
  /** @default "all" */
  period: optionalParam(z.enum(PERIODS, { error: `must be one of ${PERIODS.join(", ")}` })),
  /** 1-based. @default 1 */
  page,
  /** @default 50 */
  pageSize,
});

/** What {@link leaderboardQuerySchema} accepts. */
export type LeaderboardQuery = z.input<typeof leaderboardQuerySchema>;

/** A query of the replay list (newest first). Unknown fields are refused. */
export const replayListQuerySchema = z.strictObject({
  /** Only rounds on this surface. */
  surface: optionalParam(surfaceFilterSchema),
  /** Only rounds with a player of this nickname (folded as lib/nickname.ts folds it, exact). */
  nickname: optionalParam(z.string().trim().min(1).max(100)),
  /** 1-based. @default 1 */
  page,
  /** @default 20 */
  pageSize,
});

/** What {@link replayListQuerySchema} accepts. */
export type ReplayListQuery = z.input<typeof replayListQuerySchema>;

/** A round id as it appears in a replay URL. */
export const roundIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1 to 64 letters, digits, - or _");

/** How many competitions a leaderboard's menu lists. */
export const competitionLimitSchema = z
  .number()
  .int("must be an integer from 1 to 500")
  .min(1, "must be an integer from 1 to 500")
  .max(500, "must be an integer from 1 to 500");

/** The replay viewer's query: the turn to open at. Unknown fields are refused. */
export const replayViewQuerySchema = z.strictObject({
  /** 0 (the start) to the round's number of turns. @default the last turn */
  turn: optionalParam(
    z.coerce
      .number({ error: "must be an integer from 0 to 100" })
      .int("must be an integer from 0 to 100")
      .min(0, "must be an integer from 0 to 100")
      .max(100, "must be an integer from 0 to 100"),
  ),
});
