import type { ClassLearning, PeerVisibility, RoundResults, Standing } from "../game";
import type { ClassroomView, MemberView, PlannedRoundView, StandingView } from "../protocol";
import type { RoomSettings } from "../protocol";

/**
 * Who sees what of the other people in a room (docs/SPEC.md R21), beside lib/game's `viewFor`,
 * which filters the round itself: one place for the room and classroom parts of a snapshot. The
 * server applies these; it does not decide visibility on its own.
 */

/** Who is looking, as far as R21 cares. */
export interface PeerViewer {
  readonly isHost: boolean;
  /** Whether the connection holds a seat (a student, a player). */
  readonly seated: boolean;
}

/**
 * How `viewer` sees the other players (R21): everyone `named`, except in a competition without
 * rankings, where a student sees only themselves (`hidden`) and a spectator, the projector, sees
 * the class without names (`anonymous`); the host always sees names.
 */
export function peersFor(viewer: PeerViewer, noRankings: boolean): PeerVisibility {
  if (!noRankings || viewer.isHost) return "named";
  return viewer.seated ? "hidden" : "anonymous";
}

/** What anyone with the room code sees, a spectator's level (R21, and R11a's shared reveals). */
export function publicPeers(noRankings: boolean): PeerVisibility {
  return peersFor({ isHost: false, seated: false }, noRankings);
}

/**
 * The member list at a peers level (R21): `hidden` keeps only your own entry; `anonymous` keeps
 * the names (the projector shows who has joined) but no seat that would tie a name to a line of
 * the anonymous race.
 */
export function membersFor(
  members: readonly MemberView[],
  peers: PeerVisibility,
): readonly MemberView[] {
  if (peers === "hidden") return members.filter((m) => m.you);
  if (peers === "anonymous") return members.map((m) => ({ ...m, seat: null }));
  return members;
}

/** A competition as the classroom view is built from it (server/classroom.ts holds it). */
export interface ClassroomFacts extends Pick<
  ClassroomView,
  | "name"
  | "competitionId"
  | "status"
  | "noRankings"
  | "locked"
  | "paused"
  | "pausedRemainingMs"
  | "roundsPlayed"
> {
  readonly plan: readonly RoomSettings[];
  /** lib/game's standings, best first; `key` names the entrant. */
  readonly standings: readonly Standing[];
  /** Whether an entrant (by standings key) has a live connection. */
  readonly connected: (key: string) => boolean;
  /** Students in the competition now. */
  readonly students: number;
  /** The last revealed round's results, or null. */
  readonly lastRound: RoundResults | null;
  /** L5–L7: the class report of the revealed rounds (students by standings key). */
  readonly learning: ClassLearning;
}

/** Who looks at a competition: the host or not, and the viewer's entrant key when seated. */
export interface ClassroomViewer {
  readonly isHost: boolean;
  readonly entrantKey: string | null;
}

/**
 * The classroom part of a snapshot for many viewers of one broadcast (R21): the host sees
 * everything, the plan's surfaces included; without rankings a student sees only their own line
 * (rank withheld) and a spectator, the projector, the class-wide numbers only. The standings lines
 * are built once and shared between the views (only the viewer's own line differs).
 */
export function classroomViewMaker(
  facts: ClassroomFacts,
): (viewer: ClassroomViewer) => ClassroomView {
  const noLearning = (rounds: number): StandingView["learning"] => ({
    cosBeta: Array.from({ length: rounds }, () => null),
    change: null,
    trend: null,
    overshoots: 0,
    steps: 0,
    stepRatio: Array.from({ length: rounds }, () => null),
  });
  const learned = new Map(
    facts.learning.students.map((l) => {
      const { key, nickname: _, ...numbers } = l;
      return [key, numbers] as const;
    }),
  );
  const line = (s: Standing, hide: boolean): StandingView => ({
    nickname: s.nickname,
    you: false,
    rank: hide ? 0 : s.rank,
    total: s.total,
    scores: s.scores,
    roundsWon: s.roundsWon,
    botBeaten: s.botBeaten,
    roundsPlayed: s.roundsPlayed,
    connected: facts.connected(s.key),
    learning: learned.get(s.key) ?? noLearning(facts.learning.rounds),
  });
  const keys = facts.standings.map((s) => s.key);
  const named = facts.standings.map((s) => line(s, false));
  const hidden = facts.noRankings ? facts.standings.map((s) => line(s, true)) : named;
  const last = facts.lastRound;
  const planFor = (host: boolean): PlannedRoundView[] =>
    facts.plan.map((r) => ({
      turns: r.turns,
      secondsPerTurn: r.secondsPerTurn,
      hint: r.hint,
      bot: r.bot.optimizer,
      surface: host ? r.surface : null,
    }));
  const hostPlan = planFor(true);
  const publicPlan = planFor(false);
  const common = {
    name: facts.name,
    competitionId: facts.competitionId,
    status: facts.status,
    noRankings: facts.noRankings,
    locked: facts.locked,
    paused: facts.paused,
    pausedRemainingMs: facts.pausedRemainingMs,
    roundsPlayed: facts.roundsPlayed,
    class: {
      students: facts.students,
      lastRound: last
        ? {
            players: last.ranking.length,
            beatBot: last.ranking.filter((r) => r.beatBot === true).length,
          }
        : null,
      learning: {
        classCosBeta: facts.learning.classCosBeta,
        first: facts.learning.first,
        last: facts.learning.last,
        sentence: facts.learning.sentence,
      },
    },
  };
  const shared = new Map<string, ClassroomView>();
  return (viewer) => {
    const hide = peersFor({ isHost: viewer.isHost, seated: true }, facts.noRankings) !== "named";
    const plan = viewer.isHost ? hostPlan : publicPlan;
    const rows = hide ? hidden : named;
    const index = viewer.entrantKey === null ? -1 : keys.indexOf(viewer.entrantKey);
    if (index < 0) {
      const key = `${viewer.isHost}`;
      let view = shared.get(key);
      if (!view) {
        view = { ...common, plan, standings: hide ? null : rows, you: null };
        shared.set(key, view);
      }
      return view;
    }
    const own = rows[index];
    const you = own ? { ...own, you: true } : null;
    return {
      ...common,
      plan,
      standings: hide ? null : rows.map((r, i) => (i === index && you ? you : r)),
      you,
    };
  };
}
