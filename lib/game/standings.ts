import type { RoundResults } from "./state";
import { nicknameKey } from "../nickname";
import { classLearning } from "./class-learning";
import type { StudentRounds } from "./class-learning";

/**
 * Standings of a classroom competition (docs/SPEC.md R18–R20): the rounds' results added up per
 * entrant. Pure: the server computes them after every round, the CSV export prints them, and
 * replaying the stored rounds gives the same numbers.
 */

/** Someone taking part in a competition, by the player ids they played its rounds under. */
export interface StandingsEntrant {
  /** A stable key for the entrant (the server uses an opaque id). */
  readonly key: string;
  readonly nickname: string;
  /** Every player id this entrant held in the competition's rounds (a rejoin gets a new one). */
  readonly playerIds: readonly string[];
}

/** One entrant's line in the standings (R18). */
export interface Standing {
  readonly key: string;
  readonly nickname: string;
  /** 1, 2, …; entrants with the same total, rounds won and bots beaten share a rank (R19). */
  readonly rank: number;
  /** Sum of the round scores (rounds not played count 0). */
  readonly total: number;
  /** The score of each round in order, or null when the entrant did not play it (late join). */
  readonly scores: readonly (number | null)[];
  /** Rounds in which the entrant ranked first. */
  readonly roundsWon: number;
  /** Rounds in which the entrant's final loss was below the bot's. */
  readonly botBeaten: number;
  /** Rounds the entrant played. */
  readonly roundsPlayed: number;
}

function nicknameOrder(a: string, b: string): number {
  const ka = nicknameKey(a);
  const kb = nicknameKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * The standings after `rounds` (R18, R19): per entrant the score of each round (null when not in
 * it), the total, rounds won (rank 1) and bots beaten; ordered by total, then rounds won, then
 * bots beaten (higher first), then nickname; equal on all three numbers = equal rank (1, 1, 3).
 */
export function computeStandings(
  entrants: readonly StandingsEntrant[],
  rounds: readonly RoundResults[],
): Standing[] {
  const unranked = entrants.map((entrant) => {
    const ids = new Set(entrant.playerIds);
    let total = 0;
    let roundsWon = 0;
    let botBeaten = 0;
    let roundsPlayed = 0;
    const scores = rounds.map((round) => {
      const result = round.ranking.find((r) => ids.has(r.playerId));
      if (!result) return null;
      roundsPlayed += 1;
      total += result.score;
      if (result.rank === 1) roundsWon += 1;
      if (result.beatBot === true) botBeaten += 1;
      return result.score;
    });
    return {
      key: entrant.key,
      nickname: entrant.nickname,
      total,
      scores,
      roundsWon,
      botBeaten,
      roundsPlayed,
    };
  });
  const better = (a: (typeof unranked)[number], b: (typeof unranked)[number]): number =>
    b.total - a.total || b.roundsWon - a.roundsWon || b.botBeaten - a.botBeaten;
  const sorted = [...unranked].sort(
    (a, b) => better(a, b) || nicknameOrder(a.nickname, b.nickname) || (a.key < b.key ? -1 : 1),
  );
  let rank = 0;
  return sorted.map((entry, index) => {
    const previous = sorted[index - 1];
    if (!previous || better(previous, entry) !== 0) rank = index + 1;
    return { ...entry, rank };
  });
}

/** A CSV field: quoted when needed; text that a spreadsheet would run as a formula is defused. */
function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV number with at most three decimals (a cos β, a step ratio), or an empty field. */
function rounded(value: number | null | undefined): number | null {
  return value == null ? null : Math.round(value * 1000) / 1000 || 0;
}

/**
 * The standings as CSV (R20): a header `nickname,round 1,…,round N,total,rank,bot beaten`, then
 * (L8) `cos β round 1,…,cos β round N,cos β change,overshoots,steps,step ratio round 1,…,step
 * ratio round N`, then one line per entrant in
 * standings order; a round not played is an empty field. Students the host kicked (R22) follow,
 * with their points and `kicked` in the rank column. `learning` holds the students' rounds (L5) by
 * `key`; a student without any (a competition stored before the report) has those fields empty.
 * Lines end with CRLF.
 */
export function standingsCsv(
  roundCount: number,
  standings: readonly Pick<
    Standing,
    "key" | "nickname" | "scores" | "total" | "rank" | "botBeaten"
  >[],
  kicked: readonly Pick<Standing, "key" | "nickname" | "scores" | "total" | "botBeaten">[] = [],
  learning: readonly StudentRounds[] = [],
): string {
  const rounds = (label: string) =>
    Array.from({ length: roundCount }, (_, i) => `${label}${i + 1}`);
  const header = [
    "nickname",
    ...rounds("round "),
    "total",
    "rank",
    "bot beaten",
    ...rounds("cos β round "),
    "cos β change",
    "overshoots",
    "steps",
    ...rounds("step ratio round "),
  ];
  const report = new Map(
    classLearning(learning, roundCount).students.map((s) => [s.key, s] as const),
  );
  const learned = (key: string): (number | null)[] => {
    const s = report.get(key);
    if (!s) return Array.from({ length: 2 * roundCount + 3 }, () => null);
    return [
      ...s.cosBeta.map(rounded),
      rounded(s.change),
      s.overshoots,
      s.steps,
      ...s.stepRatio.map(rounded),
    ];
  };
  const lines = [header.map(csvField).join(",")];
  const line = (
    s: Pick<Standing, "key" | "nickname" | "scores" | "total" | "botBeaten">,
    rank: number | string,
  ) => {
    const scores = Array.from({ length: roundCount }, (_, i) => s.scores[i] ?? null);
    return [s.nickname, ...scores, s.total, rank, s.botBeaten, ...learned(s.key)]
      .map(csvField)
      .join(",");
  };
  for (const s of standings) lines.push(line(s, s.rank));
  for (const s of kicked) lines.push(line(s, "kicked"));
  return lines.join("\r\n") + "\r\n";
}
