import { learningReport } from "./learning";
import type { TurnFeedback } from "./state";

/**
 * What a class learned across the rounds of a competition (docs/SPEC.md L5–L7): the numbers of
 * each student's rounds (L1–L3, from their own turns), each student's cos β round by round and its
 * trend, and the class's mean cos β from its first round to its last. Pure: the reveal adds a
 * round's numbers, the projector, the results page and the CSV read them, and the same moves give
 * the same numbers.
 */

/** L5: what the class report keeps of one student's round (L1–L3's numbers). */
export interface RoundLearning {
  /** L1: the round's mean cos β, null without a step against a gradient. */
  readonly meanCosBeta: number | null;
  /** L2: the round's overshoots. */
  readonly overshoots: number;
  /** Turns in which the student stepped. */
  readonly steps: number;
  /** L3: the second half's mean step length over the first half's, null with fewer than 2 steps. */
  readonly stepRatio: number | null;
}

/** One player's numbers of one round, by player id. */
export interface PlayerRoundLearning extends RoundLearning {
  readonly playerId: string;
}

/** A student and their rounds: one entry per round of the competition, null when not played. */
export interface StudentRounds {
  /** The entrant's key (the standings' `key`). */
  readonly key: string;
  readonly nickname: string;
  readonly rounds: readonly (RoundLearning | null)[];
}

/**
 * L5's trend of a student's cos β from their first round with one to their last: `downhill` when
 * it fell by at least {@link TREND_MARGIN} (toward −1, the seed's ideal), `uphill` when it rose by
 * as much, `steady` in between; null with fewer than two rounds that have a cos β.
 */
export type LearningTrend = "downhill" | "uphill" | "steady";

/** How far cos β must move between a first and a last round to count as a trend (L5). */
export const TREND_MARGIN = 0.1;

/** L5: one student's line of the class report. */
export interface StudentLearning {
  readonly key: string;
  readonly nickname: string;
  /** The mean cos β of each round (L1), null when not played or without an aimed step. */
  readonly cosBeta: readonly (number | null)[];
  /** The last round's cos β minus the first round's (of those that have one); null below two. */
  readonly change: number | null;
  readonly trend: LearningTrend | null;
  /** Overshoots over every round (L2). */
  readonly overshoots: number;
  /** Steps over every round. */
  readonly steps: number;
  /**
   * L3 per round: how the student's step lengths changed in it (the second half's mean length
   * over the first half's; below 1: they shortened their steps), null when not played or with
   * fewer than two steps.
   */
  readonly stepRatio: readonly (number | null)[];
}

/** L6: the class over the rounds. */
export interface ClassLearning {
  /** Rounds in the report. */
  readonly rounds: number;
  /** One line per student, in the order given. */
  readonly students: readonly StudentLearning[];
  /** The class's mean cos β of each round: the mean over the students who have one; else null. */
  readonly classCosBeta: readonly (number | null)[];
  /** The first and the last round (1-based) with a class cos β, and its value; null without. */
  readonly first: { readonly round: number; readonly cosBeta: number } | null;
  readonly last: { readonly round: number; readonly cosBeta: number } | null;
  /** L7: the class summary in one sentence ("the class moved from cos β = −0.41 to −0.87"). */
  readonly sentence: string;
}

/** L5: a round's numbers for every player of it, from their turns (L1–L3). */
export function roundLearning(
  players: readonly { readonly id: string; readonly feedback: readonly TurnFeedback[] }[],
): PlayerRoundLearning[] {
  return players.map((p) => {
    const r = learningReport(p.feedback);
    return {
      playerId: p.id,
      meanCosBeta: r.meanCosBeta,
      overshoots: r.overshoots,
      steps: r.steps,
      stepRatio: r.stepRatio,
    };
  });
}

/**
 * Each entrant's rounds from the rounds' numbers by player id: an entrant who held several player
 * ids (rejoins) is found by any of them, one who did not play a round gets null for it.
 */
export function studentRounds(
  entrants: readonly {
    readonly key: string;
    readonly nickname: string;
    readonly playerIds: readonly string[];
  }[],
  rounds: readonly (readonly PlayerRoundLearning[])[],
): StudentRounds[] {
  return entrants.map((e) => {
    const ids = new Set(e.playerIds);
    return {
      key: e.key,
      nickname: e.nickname,
      rounds: rounds.map((round) => {
        const found = round.find((p) => ids.has(p.playerId));
        if (!found) return null;
        const { playerId: _, ...numbers } = found;
        return numbers;
      }),
    };
  });
}

/** A cos β for people: two decimals, a true minus sign. */
export function formatCosBeta(value: number): string {
  const text = value.toFixed(2);
  return text === "-0.00" ? "0.00" : text.replace("-", "−");
}

function trendOf(change: number | null): LearningTrend | null {
  if (change === null) return null;
  if (change <= -TREND_MARGIN) return "downhill";
  if (change >= TREND_MARGIN) return "uphill";
  return "steady";
}

function mean(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * L5–L7: the class report of a competition's `rounds` rounds from its students' rounds: per
 * student the cos β of each round, its change from the first round with one to the last and the
 * trend, their overshoots and steps; the class's mean cos β per round (over the students who have
 * one) and the sentence of its first round against its last.
 */
export function classLearning(students: readonly StudentRounds[], rounds: number): ClassLearning {
  const lines: StudentLearning[] = students.map((s) => {
    const played = Array.from({ length: rounds }, (_, i) => s.rounds[i] ?? null);
    const cosBeta = played.map((r) => r?.meanCosBeta ?? null);
    const known = cosBeta.filter((c): c is number => c !== null);
    const change = known.length < 2 ? null : known[known.length - 1]! - known[0]!;
    return {
      key: s.key,
      nickname: s.nickname,
      cosBeta,
      change,
      trend: trendOf(change),
      overshoots: played.reduce((sum, r) => sum + (r?.overshoots ?? 0), 0),
      steps: played.reduce((sum, r) => sum + (r?.steps ?? 0), 0),
      stepRatio: played.map((r) => r?.stepRatio ?? null),
    };
  });
  const classCosBeta = Array.from({ length: rounds }, (_, i) =>
    mean(lines.flatMap((l) => (l.cosBeta[i] == null ? [] : [l.cosBeta[i]!]))),
  );
  const withValue = classCosBeta.flatMap((c, i) =>
    c === null ? [] : [{ round: i + 1, cosBeta: c }],
  );
  const first = withValue[0] ?? null;
  const last = withValue[withValue.length - 1] ?? null;
  return {
    rounds,
    students: lines,
    classCosBeta,
    first,
    last,
    sentence: classSentence(first, last),
  };
}

/** L7: the class's first round against its last, in one sentence. */
function classSentence(first: ClassLearning["first"], last: ClassLearning["last"]): string {
  if (!first || !last) return "No one has aimed a step yet, so the class's aim cannot be read.";
  if (first.round === last.round) {
    return `In round ${first.round} the class aimed at a mean cos β = ${formatCosBeta(first.cosBeta)} (−1 is straight downhill).`;
  }
  const change = last.cosBeta - first.cosBeta;
  const verdict =
    change <= -TREND_MARGIN
      ? "closer to straight downhill (−1)"
      : change >= TREND_MARGIN
        ? "further from straight downhill (−1)"
        : "about the same aim";
  return `From round ${first.round} to round ${last.round} the class moved from cos β = ${formatCosBeta(first.cosBeta)} to ${formatCosBeta(last.cosBeta)}: ${verdict}.`;
}
