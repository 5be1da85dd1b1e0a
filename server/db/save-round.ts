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

/** Which Room row a round belongs to (inside the saving transaction). */
async function roomIdFor(
  tx: Prisma.TransactionClient,
  input: { roomCode: string; roomId?: string; roundNumber?: number },
  roundId: string,
  finishedAt: Date,
): Promise<string> {
  if (input.roomId) {
    await tx.room.createMany({
      data: [{ id: input.roomId, code: input.roomCode, createdAt: finishedAt }],
      skipDuplicates: true,
    });
    return input.roomId;
  }
  // Room codes are reused over time: a room's first round opens a new Room row, later rounds
  // join the newest Room with their code.
  if (input.roundNumber !== undefined && input.roundNumber > 1) {
    const latest = await tx.room.findFirst({
      where: { code: input.roomCode },
      orderBy: { createdAt: "desc" },
      select: { id: true },
    });
    if (latest) return latest.id;
  }
  const id = `${input.roomCode}-${roundId.slice(0, 12)}`;
  await tx.room.createMany({
    data: [{ id, code: input.roomCode, createdAt: finishedAt }],
    skipDuplicates: true,
  });
  return id;
}

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
  const parsed = parseInput(saveRoundInputSchema, input, "round");
  const id = roundIdOf(parsed);
  const existing = await db.prisma.round.findUnique({ where: { id }, select: { id: true } });
  if (existing) return { status: "duplicate", id };

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
  const timeout = options.timeoutMs ?? 10_000;
  // The replay above held this thread for a few milliseconds (PGlite answers within microtasks,
  // so nothing else ran meanwhile): let what waits (other queries, other sockets; the room log's
  // appends where they share the database, R35a) go before the transaction, which holds the
  // database until it commits.
  await new Promise<void>((resolve) => setImmediate(resolve));

  const result = await db.prisma.$transaction(
    async (tx) => {
      const roomId = await roomIdFor(tx, parsed, id, finishedAt);
      if (parsed.competition) {
        await tx.competition.createMany({
          data: [
            { id: parsed.competition.id, name: parsed.competition.name, createdAt: finishedAt },
          ],
          skipDuplicates: true,
        });
      }
      const created = await tx.round.createMany({
        data: [
          {
            id,
            roomId,
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
        ],
        skipDuplicates: true,
      });
      // A concurrent save of the same round won the race: it stored everything.
      if (created.count === 0) return { status: "duplicate" as const, id };
      // Participants and moves in one statement: rows travel as one JSON parameter each
      // (Prisma's createMany binds every value separately, several times slower per row).
      await tx.$executeRaw`
        WITH participants AS (
          INSERT INTO "Participant" ("roundId", seat, nickname, "nicknameKey", "isBot", "finalLoss",
            progress, score, rank, "beatBot", "turnsPlayed", "reachedTurn", "reachedAt", "surfaceKey",
            "competitionId", "finishedAt")
          SELECT ${id}, p.seat, p.nickname, p."nicknameKey", p."isBot", p."finalLoss", p.progress,
            p.score, p.rank, p."beatBot", p."turnsPlayed", p."reachedTurn", p."reachedAt", ${surfaceKey},
            ${competitionId}, ${finishedAt}
          FROM jsonb_to_recordset(${JSON.stringify(participants)}::jsonb) AS p(seat int,
            nickname text, "nicknameKey" text, "isBot" boolean, "finalLoss" float8, progress float8,
            score int, rank int, "beatBot" boolean, "turnsPlayed" int, "reachedTurn" int,
            "reachedAt" timestamptz)
          RETURNING seat
        )
        INSERT INTO "Move" ("roundId", turn, seat, angle, eta, at)
        SELECT ${id}, m.turn, m.seat, m.angle, m.eta, m.at
        FROM jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) AS m(turn int, seat int,
          angle float8, eta float8, at timestamptz)`;
      return { status: "saved" as const, id };
    },
    { maxWait: timeout, timeout },
  );
  // Housekeeping (a PGlite checkpoint now and then) must never turn a stored round into an error.
  if (result.status === "saved") await db.afterWrite().catch(() => {});
  return result;
}
