/**
 * Saving a finished round: validate it, replay it with lib/game's rules, and store the round,
 * its participants (the bot included) and every move in one transaction.
 *
 * Stored rounds are anonymised: the players' opaque ids (which the game server may use as
 * secrets) are replaced by `p0`, `p1`, … (their seats) in the record and its actions. The rules
 * only compare ids for equality, so the record replays to the same results.
 *
 * One attempt, no retry: retrying (with the game server's clock) is the caller's job. A
 * {@link DataError} means retrying cannot help.
 */
import { createHash } from "node:crypto";
import { replayRound } from "../../lib/game";
import type { RoundAction, RoundRecord, RoundState } from "../../lib/game";
import { participantResults } from "../../lib/game/replay-check";
import { rememberPreparedSurface, surfaceRefKey } from "../../lib/surface-ref";
import type { z } from "zod";
import type { Prisma } from "./generated/client";
import { DataError, parseInput, saveRoundInputSchema } from "./inputs";
import type { SaveRoundInput } from "./inputs";
import { storedNicknameKey } from "./nickname-keys";
import { surfaceColumns } from "./surface-key";
import type { Database, SaveRoundOptions, SaveRoundResult } from "./types";

export type { SaveRoundOptions, SaveRoundResult } from "./types";

/** The id {@link saveRound} gives a round without one: a hash of what identifies it. */
export function roundIdOf(
  input: Pick<SaveRoundInput, "id" | "roomCode" | "roundNumber" | "finishedAt"> & {
    readonly record: unknown;
  },
): string {
  if (input.id) return input.id;
  const identity = JSON.stringify([
    input.roomCode,
    input.roundNumber ?? null,
    input.finishedAt,
    input.record,
  ]);
  return createHash("sha256").update(identity).digest("base64url").slice(0, 22);
}

/** The record with player ids replaced by `p<seat>` (see the module comment). */
export function anonymiseRecord(record: RoundRecord): RoundRecord {
  const ids = new Map(record.players.map((player, seat) => [player.id, `p${seat}`]));
  const actions: RoundAction[] = record.actions.map((action) =>
    action.type === "move"
      ? { ...action, playerId: ids.get(action.playerId) ?? action.playerId }
      : action,
  );
  return {
    ...record,
    players: record.players.map((player, seat) => ({
      id: `p${seat}`,
      nickname: player.nickname,
      ...(player.ghost === true && { ghost: true as const }),
    })),
    actions,
  };
}

/** Replay a record and insist that it is a finished round. */
function replayFinished(record: RoundRecord): RoundState {
  const outcome = replayRound(record);
  if (!outcome.ok) throw new DataError("INVALID_RECORD", outcome.error.message);
  if (outcome.state.phase !== "revealed" || !outcome.state.results) {
    throw new DataError(
      "INVALID_RECORD",
      `the round is not finished: ${outcome.state.turn} of ${outcome.state.settings.turns} turns resolved`,
    );
  }
  return outcome.state;
}

/** A round's input as its schema parsed it. */
type ParsedRound = z.output<typeof saveRoundInputSchema>;

/** A round ready to be stored: validated, replayed, its rows computed. */
interface PreparedRound {
  readonly id: string;
  readonly parsed: ParsedRound;
  readonly record: RoundRecord;
  readonly finishedAt: Date;
  readonly round: Prisma.RoundCreateManyInput;
  readonly participants: readonly object[];
  readonly moves: readonly object[];
  readonly timeoutMs: number;
}

/** Validate, replay and turn into rows one round whose id is not stored yet. */
function prepareRound(id: string, parsed: ParsedRound, options: SaveRoundOptions): PreparedRound {
  const record = anonymiseRecord(parsed.record as unknown as RoundRecord);
  if (options.surface) {
    // R31a: the surface the round was played on, as prepared ahead; one that does not resolve
    // is left to the replay, which resolves the ref itself and says what is wrong.
    try {
      rememberPreparedSurface(record.surface, options.surface);
    } catch {
      // the replay below reports it
    }
  }
  const state = replayFinished(record);
  const results = state.results!;
  const finishedAt = new Date(parsed.finishedAt);
  const surfaceKey = surfaceRefKey(record.surface);
  const competitionId = parsed.competition?.id ?? null;
  // The result columns are the ones verifyReplay checks (one definition, lib/game/replay-check.ts).
  const participants = participantResults(state).map((columns) => {
    // A ghost (G5) is stored with the bot flag but keeps its seat, name, rank and moves.
    const human =
      columns.seat < state.players.length
        ? results.ranking.find((r) => r.seat === columns.seat)!
        : null;
    const nickname = human ? human.nickname : `Bot (${results.bot!.optimizer})`;
    const reachedAt = human?.reachedAt ?? null;
    return {
      ...columns,
      roundId: id,
      nickname,
      nicknameKey: storedNicknameKey(nickname),
      turnsPlayed: human
        ? state.players[columns.seat]!.feedback.filter((turn) => turn.move !== null).length
        : state.bot!.path.length - 1,
      reachedAt: reachedAt === null ? null : new Date(reachedAt),
      surfaceKey,
      competitionId,
      finishedAt,
    };
  });
  const moves = state.players.flatMap((track, seat) =>
    track.feedback.map((turn, index) => ({
      roundId: id,
      turn: index,
      seat,
      angle: turn.move?.angle ?? null,
      eta: turn.move?.eta ?? null,
      at: turn.move ? new Date(turn.move.at) : null,
    })),
  );
  return {
    id,
    parsed,
    record,
    finishedAt,
    participants,
    moves,
    timeoutMs: options.timeoutMs ?? 10_000,
    round: {
      id,
      roomId: "",
      competitionId,
      ...surfaceColumns(record.surface),
      surfaceKey,
      settings: record.settings as unknown as Prisma.InputJsonValue,
      seed: record.seed,
      turns: record.settings.turns,
      hint: record.settings.hint,
      botOptimizer: record.settings.bot.optimizer,
      playerCount: record.players.length,
      startLoss: results.scale.startLoss,
      minLoss: results.scale.minLoss,
      startedAt: record.startedAt === null ? null : new Date(record.startedAt),
      finishedAt,
      record: record as unknown as Prisma.InputJsonValue,
    },
  };
}

/**
 * Which Room row each round belongs to (inside the saving transaction), as if the rounds were
 * saved one after the other in this order. Room codes are reused over time: a room's first round
 * (or one without a number) opens a new Room row, a later round joins the newest Room with its
 * code (one that an earlier round of the same batch opened included); a round naming its room
 * (`roomId`) uses that one.
 */
async function roomIdsFor(
  tx: Prisma.TransactionClient,
  rounds: readonly PreparedRound[],
): Promise<string[]> {
  const joining = new Set(
    rounds
      .filter(
        (r) => !r.parsed.roomId && r.parsed.roundNumber !== undefined && r.parsed.roundNumber > 1,
      )
      .map((r) => r.parsed.roomCode),
  );
  const newest = new Map<string, { readonly id: string; readonly createdAt: number }>();
  // The newest Room of each code, one indexed row per code (codes are reused over time, so all
  // of a code's rooms could be many).
  for (const code of joining) {
    const latest = await tx.room.findFirst({
      where: { code },
      orderBy: { createdAt: "desc" },
      select: { id: true, createdAt: true },
    });
    if (latest) newest.set(code, { id: latest.id, createdAt: latest.createdAt.getTime() });
  }
  const created = new Map<string, { id: string; code: string; createdAt: Date }>();
  const open = (id: string, code: string, createdAt: Date): string => {
    if (!created.has(id)) created.set(id, { id, code, createdAt });
    const latest = newest.get(code);
    if (!latest || createdAt.getTime() > latest.createdAt) {
      newest.set(code, { id, createdAt: createdAt.getTime() });
    }
    return id;
  };
  const ids = rounds.map((r) => {
    const { roomCode, roomId, roundNumber } = r.parsed;
    if (roomId) return open(roomId, roomCode, r.finishedAt);
    if (roundNumber !== undefined && roundNumber > 1) {
      const latest = newest.get(roomCode);
      if (latest) return latest.id;
    }
    return open(`${roomCode}-${r.id.slice(0, 12)}`, roomCode, r.finishedAt);
  });
  if (created.size > 0) {
    await tx.room.createMany({ data: [...created.values()], skipDuplicates: true });
  }
  return ids;
}

/** How long the replays of a batch may hold the thread before it yields to other tasks. */
const YIELD_AFTER_MS = 8;

/** One round for {@link saveRounds}. */
export interface RoundToSave {
  readonly input: SaveRoundInput;
  readonly options?: SaveRoundOptions;
}

/** What {@link saveRounds} did with one round: stored (or already), or why not. */
export type SaveRoundOutcome =
  | { readonly ok: true; readonly result: SaveRoundResult }
  | { readonly ok: false; readonly error: unknown };

/**
 * Store a finished round in one transaction: its room (and competition), the round, every
 * participant (the bot included, seated after the players), every move of every turn, final
 * losses, scores and ranks, all recomputed by replaying the record with lib/game's rules.
 * Idempotent by round id: saving the same round again stores nothing and returns `duplicate`.
 * Throws {@link DataError} for a malformed input or a record that does not replay (retrying
 * cannot help), or the database's error (retrying may help).
 */
export async function saveRound(
  db: Database,
  input: SaveRoundInput,
  options: SaveRoundOptions = {},
): Promise<SaveRoundResult> {
  const [outcome] = await saveRounds(db, [{ input, options }]);
  if (!outcome!.ok) throw outcome!.error;
  return outcome!.result;
}

/**
 * Store several finished rounds at once, each as {@link saveRound} would, in one transaction
 * (issue 15: 500 rounds finishing together cost 500 transactions, one after the other, before
 * their reveals): the rounds already stored are found by one query, the others are replayed
 * (yielding to other tasks between replays) and written with one statement per table. The
 * outcomes are in the order of `rounds`; a round that is malformed or does not replay fails
 * alone (its {@link DataError}), and when the transaction fails with several rounds in it each is
 * saved again by itself, so that one round's database error fails that round only. A round given
 * twice is stored once (the second is a `duplicate`).
 */
export async function saveRounds(
  db: Database,
  rounds: readonly RoundToSave[],
): Promise<SaveRoundOutcome[]> {
  const outcomes: (SaveRoundOutcome | undefined)[] = rounds.map(() => undefined);
  const parsed: { readonly index: number; readonly id: string; readonly input: ParsedRound }[] = [];
  rounds.forEach(({ input }, index) => {
    try {
      const checked = parseInput(saveRoundInputSchema, input, "round");
      parsed.push({ index, id: roundIdOf(checked), input: checked });
    } catch (error) {
      outcomes[index] = { ok: false, error };
    }
  });
  const firstOf = new Map<string, number>();
  const fresh: { readonly index: number; readonly round: PreparedRound }[] = [];
  try {
    const stored =
      parsed.length === 0
        ? []
        : await db.prisma.round.findMany({
            where: { id: { in: [...new Set(parsed.map((p) => p.id))] } },
            select: { id: true },
          });
    const inDatabase = new Set(stored.map((r) => r.id));
    let heldSince = performance.now();
    for (const { index, id, input } of parsed) {
      if (inDatabase.has(id)) {
        outcomes[index] = { ok: true, result: { status: "duplicate", id } };
        continue;
      }
      if (firstOf.has(id)) continue; // a copy: decided below, by the first
      firstOf.set(id, index);
      try {
        fresh.push({ index, round: prepareRound(id, input, rounds[index]!.options ?? {}) });
      } catch (error) {
        outcomes[index] = { ok: false, error };
      }
      // The replays hold this thread (PGlite answers within microtasks, so nothing else runs
      // meanwhile): once they have held it for YIELD_AFTER_MS, let what waits (other queries,
      // other sockets; the room log's appends where they share the database, R35a) go first.
      // Not after every replay: on a busy game thread (PostgreSQL's saves run there) each yield
      // waits for a whole turn of the event loop, and 500 of them made a save wait p99 31 s at
      // 5,000 players (issue 15).
      if (performance.now() - heldSince >= YIELD_AFTER_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        heldSince = performance.now();
      }
    }
    if (fresh.length > 0) {
      // Before the transaction, which holds the database until it commits.
      await new Promise<void>((resolve) => setImmediate(resolve));
      try {
        const saved = await writeRounds(
          db,
          fresh.map((f) => f.round),
        );
        for (const { index, round } of fresh) {
          outcomes[index] = {
            ok: true,
            result: { status: saved.has(round.id) ? "saved" : "duplicate", id: round.id },
          };
        }
        // Housekeeping (a PGlite checkpoint now and then) must never turn a stored round into an error.
        for (let i = 0; i < saved.size; i++) await db.afterWrite().catch(() => {});
      } catch (error) {
        if (fresh.length === 1) {
          outcomes[fresh[0]!.index] = { ok: false, error };
        } else {
          // One round's failure must not fail the others: each again, by itself.
          for (const { index } of fresh) {
            outcomes[index] = (await saveRounds(db, [rounds[index]!]))[0];
          }
        }
      }
    }
  } catch (error) {
    // The lookup failed (the database is down): every round not decided yet fails with it.
    for (const { index } of parsed) outcomes[index] ??= { ok: false, error };
  }
  // A round given twice: a later copy is a duplicate of the first, or fails as it did.
  return outcomes.map((outcome, index) => {
    if (outcome) return outcome;
    const { id } = parsed.find((p) => p.index === index)!;
    const first = outcomes[firstOf.get(id)!];
    if (first?.ok) return { ok: true, result: { status: "duplicate", id } };
    return first ?? { ok: false, error: new Error(`round ${id} was not saved`) };
  });
}

/** The rounds' rows in one transaction; resolves to the ids stored now (not stored before). */
async function writeRounds(db: Database, rounds: readonly PreparedRound[]): Promise<Set<string>> {
  const timeout = Math.max(...rounds.map((r) => r.timeoutMs));
  return db.prisma.$transaction(
    async (tx) => {
      const roomIds = await roomIdsFor(tx, rounds);
      const competitions = new Map<string, { id: string; name: string; createdAt: Date }>();
      for (const { parsed, finishedAt } of rounds) {
        const competition = parsed.competition;
        if (competition && !competitions.has(competition.id)) {
          competitions.set(competition.id, { ...competition, createdAt: finishedAt });
        }
      }
      if (competitions.size > 0) {
        await tx.competition.createMany({ data: [...competitions.values()], skipDuplicates: true });
      }
      const created = await tx.round.createManyAndReturn({
        data: rounds.map((r, i) => ({ ...r.round, roomId: roomIds[i]! })),
        skipDuplicates: true,
        select: { id: true },
      });
      // A concurrent save of a round won the race: it stored everything of that round.
      const saved = new Set(created.map((r) => r.id));
      const fresh = rounds.filter((r) => saved.has(r.id));
      if (fresh.length === 0) return saved;
      // Participants and moves in one statement: rows travel as one JSON parameter each
      // (Prisma's createMany binds every value separately, several times slower per row).
      await tx.$executeRaw`
        WITH participants AS (
          INSERT INTO "Participant" ("roundId", seat, nickname, "nicknameKey", "isBot", "finalLoss",
            progress, score, rank, "beatBot", "turnsPlayed", "reachedTurn", "reachedAt", "surfaceKey",
            "competitionId", "finishedAt")
          SELECT p."roundId", p.seat, p.nickname, p."nicknameKey", p."isBot", p."finalLoss",
            p.progress, p.score, p.rank, p."beatBot", p."turnsPlayed", p."reachedTurn",
            p."reachedAt", p."surfaceKey", p."competitionId", p."finishedAt"
          FROM jsonb_to_recordset(${JSON.stringify(fresh.flatMap((r) => r.participants))}::jsonb)
            AS p("roundId" text, seat int, nickname text, "nicknameKey" text, "isBot" boolean,
            "finalLoss" float8, progress float8, score int, rank int, "beatBot" boolean,
            "turnsPlayed" int, "reachedTurn" int, "reachedAt" timestamptz, "surfaceKey" text,
            "competitionId" text, "finishedAt" timestamptz)
          RETURNING seat
        )
        INSERT INTO "Move" ("roundId", turn, seat, angle, eta, at)
        SELECT m."roundId", m.turn, m.seat, m.angle, m.eta, m.at
        FROM jsonb_to_recordset(${JSON.stringify(fresh.flatMap((r) => r.moves))}::jsonb)
          AS m("roundId" text, turn int, seat int, angle float8, eta float8, at timestamptz)`;
      return saved;
    },
    { maxWait: timeout, timeout },
  );
}
