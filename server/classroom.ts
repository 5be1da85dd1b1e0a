import { nicknameKey } from "../lib/nickname";
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from "obscenity";
import { computeStandings } from "../lib/game";
import type { RoundResults, Standing } from "../lib/game";
import { ackError, classroomViewMaker, ErrorCode } from "../lib/protocol";
import type { AckFailure, ClassroomView, CompetitionStatus, RoomSettings } from "../lib/protocol";

/**
 * A classroom competition's own state (issue 6, docs/SPEC.md R18–R22): the plan of rounds, who
 * takes part (entrants, across rejoins and renames), who was kicked, joining locked or not, the
 * rounds' results and the standings computed from them by lib/game's `computeStandings`. The
 * {@link Room} that hosts the competition owns one and asks it before joins, rounds and renames;
 * this class never talks to a connection.
 */

const profanity = new RegExpMatcher({
  ...englishDataset.build(),
  ...englishRecommendedTransformers,
});

/** Whether a nickname matches the profanity list (the `obscenity` package's English data set). */
export function isProfane(nickname: string): boolean {
  return profanity.hasMatch(nickname);
}

/** What a competition is created with. */
export interface ClassroomSetup {
  readonly id: string;
  readonly name: string;
  readonly plan: readonly RoomSettings[];
  readonly noRankings: boolean;
  /** Server clock (ms) at creation. */
  readonly createdAt: number;
  /** SHA-256 (hex) of the host token: lets the stored competition check a host after a restart. */
  readonly hostTokenHash: string;
}

/** A competition as stored (server/db/competitions.ts). */
export interface CompetitionSnapshot {
  readonly id: string;
  readonly name: string;
  readonly code: string;
  readonly noRankings: boolean;
  readonly status: CompetitionStatus;
  readonly plan: readonly RoomSettings[];
  readonly roundsPlayed: number;
  readonly standings: readonly Standing[];
  readonly createdAt: number;
  readonly endedAt: number | null;
  readonly hostTokenHash: string;
}

interface Entrant {
  readonly id: string;
  nickname: string;
  key: string;
  readonly playerIds: string[];
  /** The student gave their seat up (`room:leave`): their points stay theirs, not the name's. */
  left: boolean;
}

/** What the room adds to a classroom view. */
export interface ClassroomViewExtra {
  readonly paused: boolean;
  readonly pausedRemainingMs: number | null;
  /** Whether a player id has a live connection. */
  readonly connected: (playerId: string) => boolean;
}

/** Who is looking at the competition. */
export interface ClassroomViewer {
  readonly isHost: boolean;
  /** The viewer's player id when they hold a seat. */
  readonly playerId: string | null;
}

/** The competition state of one classroom room. */
export class Classroom {
  status: CompetitionStatus = "lobby";
  locked = false;
  endedAt: number | null = null;
  private readonly results: RoundResults[] = [];
  private readonly entrants = new Map<string, Entrant>();
  private readonly byPlayer = new Map<string, Entrant>();
  private readonly banned = new Set<string>();
  private standings: Standing[] = [];
  private entrantCount = 0;

  constructor(readonly setup: ClassroomSetup) {}

  /** Rounds started so far. */
  get roundsPlayed(): number {
    return this.results.length + (this.status === "playing" ? 1 : 0);
  }

  /** R22: why `nickname` may not join now, or null. */
  checkJoin(nickname: string): AckFailure | null {
    if (this.status === "ended") {
      return ackError(
        ErrorCode.COMPETITION_ENDED,
        "this competition has ended: it takes no more players",
      );
    }
    const key = nicknameKey(nickname);
    if (this.banned.has(key)) {
      return ackError(
        ErrorCode.NICKNAME_BANNED,
        `the host removed "${nickname}" from this competition: it cannot rejoin`,
      );
    }
    const entrant = this.entrantByKey(key);
    if (entrant?.left) {
      return ackError(
        ErrorCode.NICKNAME_TAKEN,
        `"${nickname}" left this competition and keeps their points: choose another nickname`,
      );
    }
    if (this.locked) {
      return ackError(
        ErrorCode.JOINING_LOCKED,
        "the teacher has locked joining: ask them to unlock it",
      );
    }
    return this.checkNickname(nickname);
  }

  /** Whether a nickname is allowed at all (profanity list). */
  checkNickname(nickname: string): AckFailure | null {
    if (isProfane(nickname)) {
      return ackError(
        ErrorCode.NICKNAME_NOT_ALLOWED,
        "this nickname is not allowed in a classroom: choose another one",
      );
    }
    return null;
  }

  /** Whether a kicked player used this nickname. */
  isBanned(nickname: string): boolean {
    return this.banned.has(nicknameKey(nickname));
  }

  /**
   * A player took a seat: a nickname seen before in this competition continues that entrant's
   * standings (a student who left is refused by {@link checkJoin} first); a new one starts at 0.
   */
  joined(playerId: string, nickname: string): void {
    const key = nicknameKey(nickname);
    let entrant = this.entrantByKey(key);
    if (!entrant) {
      this.entrantCount += 1;
      entrant = { id: `e${this.entrantCount}`, nickname, key, playerIds: [], left: false };
      this.entrants.set(entrant.id, entrant);
    }
    entrant.nickname = nickname;
    entrant.playerIds.push(playerId);
    this.byPlayer.set(playerId, entrant);
    this.recompute();
  }

  /**
   * A student gave their seat up (`room:leave`): they stay in the standings with their points,
   * and nobody else may take those points by joining under the same nickname.
   */
  left(playerId: string): void {
    const entrant = this.byPlayer.get(playerId);
    if (entrant) entrant.left = true;
  }

  /** A player id of the student who left under `nickname`, or null (R22). */
  departedPlayer(nickname: string): string | null {
    const entrant = this.entrantByKey(nicknameKey(nickname));
    return entrant?.left ? (entrant.playerIds[entrant.playerIds.length - 1] ?? null) : null;
  }

  /** Whether an entrant other than `playerId`'s (a student who left, say) goes by `nickname`. */
  nicknameHeld(nickname: string, playerId: string): boolean {
    const entrant = this.entrantByKey(nicknameKey(nickname));
    return entrant !== undefined && !entrant.playerIds.includes(playerId);
  }

  private entrantByKey(key: string): Entrant | undefined {
    for (const e of this.entrants.values()) if (e.key === key) return e;
    return undefined;
  }

  /** The host kicked a player: the nickname is banned and the entrant leaves the standings. */
  kicked(playerId: string, nickname: string): void {
    this.banned.add(nicknameKey(nickname));
    const entrant = this.byPlayer.get(playerId);
    if (entrant) {
      this.entrants.delete(entrant.id);
      this.banned.add(entrant.key);
      for (const id of entrant.playerIds) this.byPlayer.delete(id);
    }
    this.recompute();
  }

  /** The host renamed a player. */
  renamed(playerId: string, nickname: string): void {
    const entrant = this.byPlayer.get(playerId);
    if (entrant) {
      entrant.nickname = nickname;
      entrant.key = nicknameKey(nickname);
    }
    this.recompute();
  }

  /** The settings of the next planned round, or why none can start. */
  nextSettings(): { ok: true; settings: RoomSettings } | AckFailure {
    if (this.status === "ended") {
      return ackError(ErrorCode.COMPETITION_ENDED, "the competition has ended");
    }
    const settings = this.setup.plan[this.results.length];
    if (!settings) {
      return ackError(
        ErrorCode.NO_MORE_ROUNDS,
        `all ${this.setup.plan.length} planned rounds have been played: end the competition`,
      );
    }
    return { ok: true, settings };
  }

  roundStarted(): void {
    this.status = "playing";
  }

  /** A round was revealed: its results join the standings. */
  roundFinished(results: RoundResults): void {
    this.results.push(results);
    this.status = "between";
    this.recompute();
  }

  /** A round could not finish (no results): back between rounds. */
  roundAbandoned(): void {
    if (this.status === "playing") this.status = this.results.length > 0 ? "between" : "lobby";
  }

  /** The host ended the competition. */
  end(now: number): void {
    this.status = "ended";
    this.endedAt = now;
  }

  /** The standings now (server side, with entrant keys). */
  currentStandings(): readonly Standing[] {
    return this.standings;
  }

  /** What is stored. */
  snapshot(code: string): CompetitionSnapshot {
    return {
      id: this.setup.id,
      name: this.setup.name,
      code,
      noRankings: this.setup.noRankings,
      status: this.status,
      plan: this.setup.plan,
      roundsPlayed: this.results.length,
      standings: this.standings,
      createdAt: this.setup.createdAt,
      endedAt: this.endedAt,
      hostTokenHash: this.setup.hostTokenHash,
    };
  }

  /**
   * The classroom part of a snapshot (R21): the host sees everything; without rankings, a student
   * sees their own line only and a spectator (the projector) the class-wide numbers only.
   */
  view(viewer: ClassroomViewer, extra: ClassroomViewExtra): ClassroomView {
    return this.viewMaker(extra)(viewer);
  }

  /**
   * {@link view} for many viewers of one broadcast: the standings lines are built once and shared
   * between the views (only the viewer's own line differs).
   */
  viewMaker(extra: ClassroomViewExtra): (viewer: ClassroomViewer) => ClassroomView {
    const make = classroomViewMaker({
      name: this.setup.name,
      competitionId: this.setup.id,
      status: this.status,
      noRankings: this.setup.noRankings,
      locked: this.locked,
      paused: extra.paused,
      pausedRemainingMs: extra.pausedRemainingMs,
      roundsPlayed: this.roundsPlayed,
      plan: this.setup.plan,
      standings: this.standings,
      connected: (key) =>
        this.entrants.get(key)?.playerIds.some((id) => extra.connected(id)) ?? false,
      students: this.entrants.size,
      lastRound: this.results[this.results.length - 1] ?? null,
    });
    return (viewer) =>
      make({
        isHost: viewer.isHost,
        entrantKey: (viewer.playerId && this.byPlayer.get(viewer.playerId)?.id) ?? null,
      });
  }

  private recompute(): void {
    this.standings = computeStandings(
      [...this.entrants.values()].map((e) => ({
        key: e.id,
        nickname: e.nickname,
        playerIds: e.playerIds,
      })),
      this.results,
    );
  }
}
