/**
 * Ghosts in the database (issue 16 §3, docs/SPEC.md G1): which stored round a ghost comes from,
 * and its record (the moves the room's rules play again). Which round a one-click choice means in
 * a room is lib/room's `ghostQueryFor`; this only looks it up.
 */
import type { RoundRecord } from "../../lib/game";
import type { GhostQuery } from "../../lib/room";
import { challengeIdSchema } from "../../lib/challenge";
import { parseInput, roundIdSchema } from "./inputs";
import { getReplay } from "./replays";
import type { Database } from "./types";

/** A stored round a ghost can come from: its id, its record and the seat to replay (if chosen). */
export interface GhostRound {
  readonly roundId: string;
  readonly record: RoundRecord;
  readonly seat?: number;
}

/** The leaderboard's order (score, then reached turn, then the earlier round), people only. */
const BEST_FIRST = [
  { score: "desc" as const },
  { reachedTurn: "asc" as const },
  { finishedAt: "asc" as const },
  { id: "asc" as const },
];

/**
 * The stored round (and seat) a ghost query means, or null when there is none: a replay by id,
 * the best player (never the bot or a ghost) on a surface or a challenge, or the best player of a
 * competition (the given one, else the latest other one with a stored round). Throws `DataError`
 * `INVALID_INPUT` for a malformed id.
 */
export async function findGhostRound(db: Database, query: GhostQuery): Promise<GhostRound | null> {
  let roundId: string;
  let seat: number | undefined;
  if (query.kind === "round") {
    roundId = parseInput(roundIdSchema, query.roundId, "round id");
    seat = query.seat;
  } else if (query.kind === "best") {
    let where;
    if ("challengeId" in query) {
      const id = parseInput(challengeIdSchema, query.challengeId, "challenge id");
      const links = await db.prisma.challengeRound.findMany({
        where: { challengeId: id },
        select: { roundId: true },
      });
      where = { isBot: false, roundId: { in: links.map((l) => l.roundId) } };
    } else {
      where = { isBot: false, surfaceKey: query.surfaceKey };
    }
    const best = await db.prisma.participant.findFirst({
      where,
      orderBy: BEST_FIRST,
      select: { roundId: true, seat: true },
    });
    if (!best) return null;
    roundId = best.roundId;
    seat = best.seat;
  } else {
    let competitionId = query.competitionId;
    if (competitionId === undefined) {
      const latest = await db.prisma.round.findFirst({
        where: {
          AND: [
            { competitionId: { not: null } },
            ...(query.except === undefined ? [] : [{ competitionId: { not: query.except } }]),
          ],
        },
        orderBy: [{ finishedAt: "desc" }, { id: "desc" }],
        select: { competitionId: true },
      });
      if (!latest?.competitionId) return null;
      competitionId = latest.competitionId;
    }
    const best = await db.prisma.participant.findFirst({
      where: { isBot: false, competitionId },
      orderBy: BEST_FIRST,
      select: { roundId: true, seat: true },
    });
    if (!best) return null;
    roundId = best.roundId;
    seat = best.seat;
  }
  const replay = await getReplay(db, roundId);
  if (!replay) return null;
  return { roundId, record: replay.record, ...(seat !== undefined && { seat }) };
}
