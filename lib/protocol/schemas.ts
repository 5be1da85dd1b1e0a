import { z } from "zod";
import { CHALLENGE_ID_PATTERN } from "../challenge";
import { PLAYER_TOKEN_PATTERN } from "../challenge/daily";
import { roundSettingsSchema } from "../game/settings";
import { DIFFICULTIES } from "../types";
import { FORMULA_MAX_LENGTH } from "../surfaces/formula-limits";
import { DATA_MAX_POINTS, DATA_MIN_POINTS } from "../surfaces/data-limits";
import { nicknameLength } from "../nickname";
import type { Difficulty } from "../types";
import { ackError, ErrorCode } from "./errors";
import type { AckFailure } from "./errors";
import {
  COMPETITION_MAX_ROUNDS,
  COMPETITION_NAME_MAX_LENGTH,
  NICKNAME_MAX_CODE_POINTS,
  NICKNAME_MAX_LENGTH,
  ROOM_CODE_ALPHABET,
  ROOM_CODE_LENGTH,
} from "./limits";

export * from "./limits";

/**
 * A zod schema for every client-to-server payload (docs/protocol.md). Objects are strict: an
 * unknown key is refused. Strings are normalised where it helps people: room codes are trimmed
 * and upper-cased, nicknames trimmed with inner runs of spaces collapsed.
 */

const ROOM_CODE_PATTERN = new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`);
/** Tokens are base64url strings (the server issues 24 characters = 144 random bits). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
/** Control characters, line/paragraph separators, bidirectional overrides, zero-width spaces. */
const FORBIDDEN_IN_NICKNAME =
  /[\p{Cc}\p{Zl}\p{Zp}\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/u;

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}

function unknownKeysOr(issue: { code?: string; keys?: readonly string[] }, message: string) {
  return issue.code === "unrecognized_keys"
    ? `unknown field${issue.keys && issue.keys.length > 1 ? "s" : ""}: ${(issue.keys ?? []).join(", ")}`
    : message;
}

/** A strict object whose unknown keys and wrong type give a readable message. */
function payload<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) =>
      unknownKeysOr(issue, `the payload must be an object, got ${describe(issue.input)}`),
  });
}

/** A room code: trimmed, spaces and dashes removed, upper-cased, then 6 characters of the alphabet. */
export const roomCodeSchema = z
  .string({ error: (issue) => `code must be a string, got ${describe(issue.input)}` })
  .max(32, "code is too long: a room code has 6 characters")
  .transform((s) => s.replace(/[\s-]/g, "").toUpperCase())
  .refine((s) => ROOM_CODE_PATTERN.test(s), {
    message: `code must be ${ROOM_CODE_LENGTH} characters from ${ROOM_CODE_ALPHABET}, e.g. K7M2QX`,
  });

function tokenSchema(name: string) {
  return z
    .string({ error: (issue) => `${name} must be a string, got ${describe(issue.input)}` })
    .regex(TOKEN_PATTERN, `${name} is malformed: use the token the server gave you`);
}

/** The host token returned by `room:create`. */
export const hostTokenSchema = tokenSchema("hostToken");
/** A seat token returned by `room:join` (or `room:create` when the host plays). */
export const seatTokenSchema = tokenSchema("seatToken");

/**
 * A nickname: NFC-normalised, trimmed, inner whitespace collapsed to one space, then 1–24
 * characters as a person counts them (grapheme clusters: an emoji is one; at most 96 code points
 * in all) with no control characters, line separators, bidirectional overrides or zero-width
 * spaces. Shown to others as text only.
 */
export const nicknameSchema = z
  .string({ error: (issue) => `nickname must be a string, got ${describe(issue.input)}` })
  .max(256, `nickname is too long: at most ${NICKNAME_MAX_LENGTH} characters`)
  .transform((raw, ctx) => {
    if (FORBIDDEN_IN_NICKNAME.test(raw)) {
      ctx.addIssue({
        code: "custom",
        message:
          "nickname must not contain control characters, line breaks or invisible characters",
      });
      return z.NEVER;
    }
    const nickname = raw.normalize("NFC").trim().replace(/\s+/gu, " ");
    const length = nicknameLength(nickname);
    if (
      length < 1 ||
      length > NICKNAME_MAX_LENGTH ||
      [...nickname].length > NICKNAME_MAX_CODE_POINTS
    ) {
      ctx.addIssue({
        code: "custom",
        message: `nickname must be 1 to ${NICKNAME_MAX_LENGTH} characters after trimming, got ${length}`,
      });
      return z.NEVER;
    }
    return nickname;
  });

const difficultySchema = z.enum(DIFFICULTIES as unknown as readonly [Difficulty, ...Difficulty[]], {
  error: (issue) =>
    `surface.difficulty must be one of ${DIFFICULTIES.join(", ")}, got ${describe(issue.input)}`,
});

const boxBound = z
  .number({ error: "surface.box bounds must be finite numbers" })
  .refine(Number.isFinite, "surface.box bounds must be finite numbers");

/**
 * A formula surface's box (F1): `{ min: [w, b], max: [w, b] }`. Only the shape is checked here;
 * empty, inverted or huge boxes are refused by the formula's analysis, with its message.
 */
export const formulaBoxSchema = z.strictObject(
  {
    min: z.tuple([boxBound, boxBound], { error: "surface.box.min must be [w, b]" }),
    max: z.tuple([boxBound, boxBound], { error: "surface.box.max must be [w, b]" }),
  },
  {
    error: (issue) =>
      unknownKeysOr(
        issue,
        `surface.box must be { min: [w, b], max: [w, b] }, got ${describe(issue.input)}`,
      ),
  },
);

const pointCoordinate = (axis: "x" | "y") =>
  z
    .number({ error: `surface.points: each ${axis} must be a finite number` })
    .refine(Number.isFinite, `surface.points: each ${axis} must be a finite number`);

/**
 * The points (x, y) of a data round (F9): 2–50 pairs of finite numbers. Their ranges
 * (|x| ≤ 1000, 0 ≤ y ≤ 1) and the box are checked by lib/surfaces/data, with its message.
 */
export const dataPointsSchema = z
  .array(
    z.tuple([pointCoordinate("x"), pointCoordinate("y")], {
      error: "surface.points: each point must be [x, y]",
    }),
    { error: "surface.points must be a list of [x, y] points" },
  )
  .min(DATA_MIN_POINTS, `surface.points: at least ${DATA_MIN_POINTS} points`)
  .max(DATA_MAX_POINTS, `surface.points: at most ${DATA_MAX_POINTS} points`);

/**
 * The host's choice of surface: a surprise (the server picks, from crypto randomness, a catalog
 * surface or a procedural one; optionally of one difficulty), a catalog surface by id, a
 * procedural surface of a difficulty (with a seed, or one the server picks), or the host's own
 * formula in w and b with its box (docs/SPEC.md F1–F7; checked off the main thread before the
 * rules see it), or the class's data points for the seed's neuron with its box (F9–F12).
 */
export const surfaceChoiceSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("surprise"), difficulty: difficultySchema.optional() }),
    z.strictObject({
      kind: z.literal("catalog"),
      id: z
        .string({ error: "surface.id must be a string" })
        .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "surface.id must be a catalog id such as rosenbrock"),
    }),
    z.strictObject({
      kind: z.literal("procedural"),
      difficulty: difficultySchema,
      seed: z
        .number({ error: "surface.seed must be an integer" })
        .int("surface.seed must be an integer")
        .min(0, "surface.seed must be from 0 to 4294967295")
        .max(4294967295, "surface.seed must be from 0 to 4294967295")
        .optional(),
    }),
    z.strictObject({
      kind: z.literal("formula"),
      text: z
        .string({ error: "surface.text must be a string: the formula in w and b" })
        .max(
          FORMULA_MAX_LENGTH,
          `surface.text is too long: at most ${FORMULA_MAX_LENGTH} characters`,
        ),
      box: formulaBoxSchema,
    }),
    z.strictObject({
      kind: z.literal("data"),
      points: dataPointsSchema,
      box: formulaBoxSchema,
    }),
  ],
  {
    error: (issue) =>
      unknownKeysOr(
        issue,
        `surface must be { kind: "surprise" | "catalog" | "procedural" | "formula" | "data", … }, got ${describe(issue.input)}`,
      ),
  },
);

/** The host's choice of surface (see {@link surfaceChoiceSchema}). */
export type SurfaceChoice = z.output<typeof surfaceChoiceSchema>;

/**
 * A room's settings as the host sends them: the round settings of lib/game (turns, secondsPerTurn,
 * etaMax, hint, bot — every field optional, defaults applied) plus the surface choice (default: a
 * surprise). Sending settings replaces the previous ones (missing fields take their defaults).
 */
export const roomSettingsSchema = roundSettingsSchema.extend({
  surface: surfaceChoiceSchema.default({ kind: "surprise" }),
});

/** Room settings as the host may send them (every field optional). */
export type RoomSettingsInput = z.input<typeof roomSettingsSchema>;
/** Room settings with every default applied. */
export type RoomSettings = z.output<typeof roomSettingsSchema>;

const modeSchema = z.enum(["room", "solo"], {
  error: (issue) => `mode must be "room" or "solo", got ${describe(issue.input)}`,
});

/** `room:create`: open a room (or a solo practice) and become its host. */
export const createRoomSchema = payload({
  mode: modeSchema.default("room"),
  nickname: nicknameSchema.optional(),
  hostPlays: z
    .boolean({ error: (issue) => `hostPlays must be true or false, got ${describe(issue.input)}` })
    .optional(),
  settings: roomSettingsSchema.optional(),
  /** R24: a solo practice whose first round starts at once (the home page's one click). */
  start: z
    .boolean({ error: (issue) => `start must be true or false, got ${describe(issue.input)}` })
    .optional(),
}).superRefine((value, ctx) => {
  const plays = value.hostPlays ?? value.mode === "solo";
  if (value.start === true && value.mode !== "solo") {
    ctx.addIssue({
      code: "custom",
      path: ["start"],
      message:
        "start is for a solo practice: a room's first round starts when its host sends round:start",
    });
  }
  if (value.mode === "solo" && value.hostPlays === false) {
    ctx.addIssue({
      code: "custom",
      path: ["hostPlays"],
      message: "a solo practice is played by its host: leave hostPlays out or set it to true",
    });
  }
  if (plays && value.nickname === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["nickname"],
      message: "nickname is required when the host plays (always in solo mode)",
    });
  }
  if (!plays && value.nickname !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["hostPlays"],
      message: "a nickname was given but hostPlays is false: set hostPlays to true to play",
    });
  }
});

/** `room:join`: take a seat in a room. */
export const joinRoomSchema = payload({
  code: roomCodeSchema,
  nickname: nicknameSchema,
  /** A random token this browser keeps (localStorage): a kicked student's device is banned (R22b). */
  deviceToken: tokenSchema("deviceToken").optional(),
});
/** `room:resume`: take back your seat after a refresh or a dropped connection. */
export const resumeRoomSchema = payload({ code: roomCodeSchema, seatToken: seatTokenSchema });
/** `room:watch`: watch a room as a spectator. */
export const watchRoomSchema = payload({ code: roomCodeSchema });
/** `room:host`: act as the room's host on this connection (e.g. after a reload). */
export const hostRoomSchema = payload({ code: roomCodeSchema, hostToken: hostTokenSchema });
/** `room:leave`: leave the room (a player gives up their seat). */
export const leaveRoomSchema = payload({});
/** `room:sync`: ask for a fresh snapshot of your room. */
export const syncRoomSchema = payload({});
/** `room:settings`: the host replaces the lobby settings. */
export const roomSettingsPayloadSchema = payload({
  code: roomCodeSchema,
  hostToken: hostTokenSchema,
  settings: roomSettingsSchema,
});
/** `room:kick`: the host removes a player (by nickname) from the room. */
export const kickSchema = payload({
  code: roomCodeSchema,
  hostToken: hostTokenSchema,
  nickname: nicknameSchema,
});
/** `room:close`: the host closes the room for everyone. */
export const closeRoomSchema = payload({ code: roomCodeSchema, hostToken: hostTokenSchema });
/** `round:start`: the host starts a round (optionally with new settings). */
export const startRoundSchema = payload({
  code: roomCodeSchema,
  hostToken: hostTokenSchema,
  settings: roomSettingsSchema.optional(),
});
/**
 * `round:move`: your move for turn `turn` (the current turn index, guarding against stale moves):
 * the direction `angle` in radians counter-clockwise from +w and the step size `eta` in
 * (0, η_max]. The value ranges are the rules' (`INVALID_MOVE`); the schema checks the types.
 */
export const moveSchema = payload({
  turn: z
    .number({ error: (issue) => `turn must be an integer, got ${describe(issue.input)}` })
    .int("turn must be an integer")
    .min(0, "turn must be 0 or more"),
  angle: z.number({
    error: (issue) => `angle must be a finite number of radians, got ${describe(issue.input)}`,
  }),
  eta: z.number({
    error: (issue) => `eta must be a finite positive number, got ${describe(issue.input)}`,
  }),
});

/** A competition's name: trimmed, inner whitespace collapsed, 1–60 code points, no control characters. */
export const competitionNameSchema = z
  .string({ error: (issue) => `name must be a string, got ${describe(issue.input)}` })
  .max(512, `name is too long: at most ${COMPETITION_NAME_MAX_LENGTH} characters`)
  .transform((raw, ctx) => {
    if (FORBIDDEN_IN_NICKNAME.test(raw)) {
      ctx.addIssue({
        code: "custom",
        message: "name must not contain control or invisible characters",
      });
      return z.NEVER;
    }
    const name = raw.normalize("NFC").trim().replace(/\s+/gu, " ");
    const length = [...name].length;
    if (length < 1 || length > COMPETITION_NAME_MAX_LENGTH) {
      ctx.addIssue({
        code: "custom",
        message: `name must be 1 to ${COMPETITION_NAME_MAX_LENGTH} characters after trimming, got ${length}`,
      });
      return z.NEVER;
    }
    return name;
  });

/**
 * `classroom:create`: open a classroom competition and become its host (the host does not play):
 * a name, the planned rounds in order (each: room settings — surface choice, turns, seconds per
 * turn, η_max, hint, bot) and whether rankings are hidden from the students.
 */
export const createClassroomSchema = payload({
  name: competitionNameSchema,
  rounds: z
    .array(roomSettingsSchema, {
      error: (issue) => `rounds must be a list of round settings, got ${describe(issue.input)}`,
    })
    .min(1, "rounds must list at least one round")
    .max(COMPETITION_MAX_ROUNDS, `rounds may list at most ${COMPETITION_MAX_ROUNDS} rounds`),
  noRankings: z
    .boolean({ error: (issue) => `noRankings must be true or false, got ${describe(issue.input)}` })
    .default(false),
});
/** `classroom:pause` / `classroom:resume` / `classroom:end`: host controls on the competition. */
export const classroomControlSchema = payload({ code: roomCodeSchema, hostToken: hostTokenSchema });
/** `classroom:lock`: lock (true) or unlock (false) joining. */
export const classroomLockSchema = payload({
  code: roomCodeSchema,
  hostToken: hostTokenSchema,
  locked: z.boolean({
    error: (issue) => `locked must be true or false, got ${describe(issue.input)}`,
  }),
});
/** `classroom:rename`: the host renames a player (e.g. an offensive nickname). */
export const classroomRenameSchema = payload({
  code: roomCodeSchema,
  hostToken: hostTokenSchema,
  nickname: nicknameSchema,
  newNickname: nicknameSchema,
});

/** A challenge id (docs/SPEC.md C1): 10 characters of 0-9 and a-z without i, l, o, u. */
const challengeIdField = z
  .string({
    error: (issue) => `id must be a challenge id (a string), got ${describe(issue.input)}`,
  })
  .regex(
    CHALLENGE_ID_PATTERN,
    "id must be a challenge id: 10 characters of 0-9 and a-z (no i, l, o, u), as in /c/<id>",
  );

/**
 * A player token for the daily descent (docs/SPEC.md D3): 22 to 64 characters of base64url that
 * this browser made and keeps (localStorage). Only its SHA-256 is stored.
 */
export const playerTokenSchema = z
  .string({ error: (issue) => `playerToken must be a string, got ${describe(issue.input)}` })
  .regex(
    PLAYER_TOKEN_PATTERN,
    "playerToken is malformed: 22 to 64 characters of A-Z a-z 0-9 _ - (the token this browser keeps)",
  );

/** `challenge:create`: share the revealed round of the room you are in as a challenge (C4). */
export const createChallengeSchema = payload({ code: roomCodeSchema });
/** `challenge:play`: open a solo round on a challenge (C5), in a new solo room of your own. */
export const playChallengeSchema = payload({ id: challengeIdField, nickname: nicknameSchema });
/** `daily:play`: open today's daily descent (D5) in a new solo room of your own. */
export const playDailySchema = payload({
  playerToken: playerTokenSchema,
  nickname: nicknameSchema,
});
/** `daily:status`: today's daily for this player token: its scored round and the streak (D5). */
export const dailyStatusSchema = payload({ playerToken: playerTokenSchema });

/** A stored round's id (its replay is `/replays/<id>`): 1 to 64 of A-Z a-z 0-9 _ -. */
const roundIdField = z
  .string({ error: (issue) => `roundId must be a string, got ${describe(issue.input)}` })
  .regex(/^[A-Za-z0-9_-]{1,64}$/u, "roundId must be a replay id: 1 to 64 of A-Z a-z 0-9 _ -");

/**
 * Where a ghost comes from (docs/SPEC.md G1): `best` the best stored player on this room's
 * surface (the last round's, else the lobby's named surface) or on its challenge; `last` your own
 * seat in this room's last stored round; `winner` the winner of the latest other classroom
 * competition (or of `competitionId`); `round` a replay by id (its winner, or `seat`).
 */
export const ghostSourceSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("best") }),
    z.strictObject({ kind: z.literal("last") }),
    z.strictObject({
      kind: z.literal("winner"),
      competitionId: z
        .string({ error: "competitionId must be a string" })
        .regex(/^[A-Za-z0-9_-]{1,64}$/u, "competitionId must be 1 to 64 of A-Z a-z 0-9 _ -")
        .optional(),
    }),
    z.strictObject({
      kind: z.literal("round"),
      roundId: roundIdField,
      seat: z
        .number({ error: (issue) => `seat must be an integer, got ${describe(issue.input)}` })
        .int("seat must be an integer")
        .min(0, "seat must be 0 or more")
        .max(1000, "seat must be at most 1000")
        .optional(),
    }),
  ],
  {
    error: (issue) =>
      `from must be { kind: "best" | "last" | "winner" | "round", … }, got ${describe(issue.input)}`,
  },
);
/** `ghost:add`: the host adds a stored round's player to the room's rounds as a ghost (G1). */
export const addGhostSchema = payload({
  code: roomCodeSchema,
  hostToken: hostTokenSchema,
  from: ghostSourceSchema,
});
/** `ghost:remove`: the host takes the ghost out of the room (from its next round on). */
export const removeGhostSchema = payload({ code: roomCodeSchema, hostToken: hostTokenSchema });

/** The schema of every client-to-server event, by event name. */
export const clientSchemas = {
  "room:create": createRoomSchema,
  "room:join": joinRoomSchema,
  "room:resume": resumeRoomSchema,
  "room:watch": watchRoomSchema,
  "room:host": hostRoomSchema,
  "room:leave": leaveRoomSchema,
  "room:sync": syncRoomSchema,
  "room:settings": roomSettingsPayloadSchema,
  "room:kick": kickSchema,
  "room:close": closeRoomSchema,
  "round:start": startRoundSchema,
  "round:move": moveSchema,
  "classroom:create": createClassroomSchema,
  "classroom:pause": classroomControlSchema,
  "classroom:resume": classroomControlSchema,
  "classroom:lock": classroomLockSchema,
  "classroom:rename": classroomRenameSchema,
  "classroom:end": classroomControlSchema,
  "challenge:create": createChallengeSchema,
  "challenge:play": playChallengeSchema,
  "daily:play": playDailySchema,
  "daily:status": dailyStatusSchema,
  "ghost:add": addGhostSchema,
  "ghost:remove": removeGhostSchema,
} as const;

/** Every client-to-server event name. */
export type ClientEventName = keyof typeof clientSchemas;

/** Every client-to-server event name, in documentation order. */
export const CLIENT_EVENTS = Object.keys(clientSchemas) as ClientEventName[];

/** The payload a client sends with an event (before parsing: optional fields may be missing). */
export type ClientPayloadInput<E extends ClientEventName> = z.input<(typeof clientSchemas)[E]>;
/** The payload after parsing (normalised, defaults applied). */
export type ClientPayload<E extends ClientEventName> = z.output<(typeof clientSchemas)[E]>;

/** Whether a string is a client event name. */
export function isClientEventName(name: unknown): name is ClientEventName {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(clientSchemas, name);
}

function codeForIssue(event: ClientEventName, path: readonly PropertyKey[]): ErrorCode {
  const head = path[0];
  if (head === "nickname" || head === "newNickname") return ErrorCode.NICKNAME_INVALID;
  if (head === "settings" || head === "rounds") return ErrorCode.INVALID_SETTINGS;
  if (head === "hostToken") return ErrorCode.NOT_HOST;
  if (event === "round:move" && (head === "angle" || head === "eta")) return ErrorCode.INVALID_MOVE;
  return ErrorCode.BAD_REQUEST;
}

/**
 * Parse a payload with its event's schema. On failure the code is `NICKNAME_INVALID` (nickname),
 * `INVALID_SETTINGS` (settings), `INVALID_MOVE` (a move's angle or eta) or `BAD_REQUEST`, and the
 * message names the event and every problem, e.g. `round:move: turn must be an integer, got "3"`.
 */
export function parseClientPayload<E extends ClientEventName>(
  event: E,
  input: unknown,
): { readonly ok: true; readonly data: ClientPayload<E> } | AckFailure {
  const schema = clientSchemas[event] as unknown as z.ZodType<ClientPayload<E>>;
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const issues = result.error.issues;
  const first = issues[0];
  const code = first ? codeForIssue(event, first.path) : ErrorCode.BAD_REQUEST;
  const messages = [...new Set(issues.map((issue) => issue.message))];
  return ackError(code, `${event}: ${messages.join("; ")}`);
}
