import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from "obscenity";
import { classLearning, computeStandings, roundLearning, studentRounds } from "../game";
import type { ClassLearning, RoundResults, RoundState, StudentRounds } from "../game";
import { nicknameKey } from "../nickname";
import { ackError, ErrorCode } from "../protocol";
import type { AckFailure, RoomSettings } from "../protocol";
import type { ClassroomSetup, ClassroomState, CompetitionSnapshot, Entrant } from "./state";

/**
 * A classroom competition's rules (docs/SPEC.md R18–R22) as pure functions of
 * {@link ClassroomState}: who may join, who takes part across rejoins and renames, who was
 * kicked, the plan of rounds and the standings (lib/game's `computeStandings`).
 */

const profanity = new RegExpMatcher({
  ...englishDataset.build(),
  ...englishRecommendedTransformers,
});

/** Whether a nickname matches the profanity list (the `obscenity` package's English data set). */
export function isProfane(nickname: string): boolean {
  return profanity.hasMatch(nickname);
}

/** A new competition. */
export function newClassroom(setup: ClassroomSetup): ClassroomState {
  return {
    setup,
    status: "lobby",
    locked: false,
    endedAt: null,
    results: [],
    entrants: [],
    banned: [],
    entrantCount: 0,
    standings: [],
  };
}

/** Rounds started so far. */
export function roundsPlayed(c: ClassroomState): number {
  return c.results.length + (c.status === "playing" ? 1 : 0);
}

function entrantByKey(c: ClassroomState, key: string): Entrant | undefined {
  return c.entrants.find((e) => e.key === key);
}

function entrantOf(c: ClassroomState, playerId: string): Entrant | undefined {
  return c.entrants.find((e) => e.playerIds.includes(playerId));
}

/** The entrant id of a player, or null. */
export function entrantIdOf(c: ClassroomState, playerId: string): string | null {
  return entrantOf(c, playerId)?.id ?? null;
}

/** R22: a nickname is allowed at all in a classroom (profanity list), or why not. */
export function checkClassroomNickname(nickname: string): AckFailure | null {
  if (isProfane(nickname)) {
    return ackError(
      ErrorCode.NICKNAME_NOT_ALLOWED,
      "this nickname is not allowed in a classroom: choose another one",
    );
  }
  return null;
}

/** R22: why `nickname` may not join now, or null. */
export function checkClassroomJoin(
  c: ClassroomState,
  nickname: string,
  deviceHash?: string,
): AckFailure | null {
  if (c.status === "ended") {
    return ackError(
      ErrorCode.COMPETITION_ENDED,
      "this competition has ended: it takes no more players",
    );
  }
  const key = nicknameKey(nickname);
  if (c.banned.includes(key)) {
    return ackError(
      ErrorCode.NICKNAME_BANNED,
      `the host removed "${nickname}" from this competition: it cannot rejoin`,
    );
  }
  if (deviceHash !== undefined && (c.bannedDevices ?? []).includes(deviceHash)) {
    return ackError(
      ErrorCode.NICKNAME_BANNED,
      "the host removed you from this competition: you cannot rejoin from this device",
    );
  }
  if (entrantByKey(c, key)?.left) {
    return ackError(
      ErrorCode.NICKNAME_TAKEN,
      `"${nickname}" left this competition and keeps their points: choose another nickname`,
    );
  }
  if (c.locked) {
    return ackError(
      ErrorCode.JOINING_LOCKED,
      "the teacher has locked joining: ask them to unlock it",
    );
  }
  return checkClassroomNickname(nickname);
}

/** Whether a kicked player used this nickname. */
export function isBanned(c: ClassroomState, nickname: string): boolean {
  return c.banned.includes(nicknameKey(nickname));
}

function withEntrants(c: ClassroomState, entrants: readonly Entrant[]): ClassroomState {
  return {
    ...c,
    entrants,
    standings: computeStandings(
      entrants.map((e) => ({ key: e.id, nickname: e.nickname, playerIds: e.playerIds })),
      c.results,
    ),
  };
}

/**
 * R18: a player took a seat. A nickname seen before continues that entrant's standings (a student
 * who left is refused by {@link checkClassroomJoin} first); a new one starts at 0.
 */
export function classroomJoined(
  c: ClassroomState,
  playerId: string,
  nickname: string,
  deviceHash?: string,
): ClassroomState {
  const key = nicknameKey(nickname);
  const found = entrantByKey(c, key);
  const withDevice = (devices: readonly string[] = []) =>
    deviceHash === undefined || devices.includes(deviceHash) ? devices : [...devices, deviceHash];
  if (found) {
    return withEntrants(
      c,
      c.entrants.map((e) =>
        e === found
          ? {
              ...e,
              nickname,
              playerIds: [...e.playerIds, playerId],
              devices: withDevice(e.devices),
            }
          : e,
      ),
    );
  }
  const count = c.entrantCount + 1;
  const entrant: Entrant = {
    id: `e${count}`,
    nickname,
    key,
    playerIds: [playerId],
    devices: withDevice(),
    left: false,
  };
  return withEntrants({ ...c, entrantCount: count }, [...c.entrants, entrant]);
}

/**
 * R22: a student gave their seat up (`room:leave`): they stay in the standings with their points,
 * and nobody else may take those points by joining under the same nickname.
 */
export function classroomLeft(c: ClassroomState, playerId: string): ClassroomState {
  const entrant = entrantOf(c, playerId);
  if (!entrant) return c;
  return { ...c, entrants: c.entrants.map((e) => (e === entrant ? { ...e, left: true } : e)) };
}

/** A player id of the student who left under `nickname`, or null (R22). */
export function departedPlayer(c: ClassroomState, nickname: string): string | null {
  const entrant = entrantByKey(c, nicknameKey(nickname));
  return entrant?.left ? (entrant.playerIds[entrant.playerIds.length - 1] ?? null) : null;
}

/** Whether an entrant other than `playerId`'s (a student who left, say) goes by `nickname`. */
export function nicknameHeld(c: ClassroomState, nickname: string, playerId: string): boolean {
  const entrant = entrantByKey(c, nicknameKey(nickname));
  return entrant !== undefined && !entrant.playerIds.includes(playerId);
}

/**
 * R22: the host kicked a player: the nickname is banned, so are the devices they joined from
 * (R22b), and the entrant leaves the standings (kept in `kicked`, for the CSV).
 */
export function classroomKicked(
  c: ClassroomState,
  playerId: string,
  nickname: string,
): ClassroomState {
  const banned = new Set(c.banned);
  banned.add(nicknameKey(nickname));
  const entrant = entrantOf(c, playerId);
  if (entrant) banned.add(entrant.key);
  const bannedDevices = new Set([...(c.bannedDevices ?? []), ...(entrant?.devices ?? [])]);
  return withEntrants(
    {
      ...c,
      banned: [...banned],
      bannedDevices: [...bannedDevices],
      ...(entrant && { kicked: [...(c.kicked ?? []), entrant] }),
    },
    c.entrants.filter((e) => e !== entrant),
  );
}

/** R23: the host renamed a player. */
export function classroomRenamed(
  c: ClassroomState,
  playerId: string,
  nickname: string,
): ClassroomState {
  const entrant = entrantOf(c, playerId);
  if (!entrant) return c;
  return withEntrants(
    c,
    c.entrants.map((e) => (e === entrant ? { ...e, nickname, key: nicknameKey(nickname) } : e)),
  );
}

/** R22: the settings of the next planned round, or why none can start. */
export function nextPlannedSettings(
  c: ClassroomState,
): { ok: true; settings: RoomSettings } | AckFailure {
  if (c.status === "ended") {
    return ackError(ErrorCode.COMPETITION_ENDED, "the competition has ended");
  }
  const settings = c.setup.plan[c.results.length];
  if (!settings) {
    return ackError(
      ErrorCode.NO_MORE_ROUNDS,
      `all ${c.setup.plan.length} planned rounds have been played: end the competition`,
    );
  }
  return { ok: true, settings };
}

/**
 * R18: a round was revealed: its results join the standings, and (L5) its players' learning
 * numbers, from their turns, join the class report.
 */
export function classroomRoundFinished(
  c: ClassroomState,
  results: RoundResults,
  round: Pick<RoundState, "players">,
): ClassroomState {
  return withEntrants(
    {
      ...c,
      results: [...c.results, results],
      learning: [...(c.learning ?? []), roundLearning(round.players)],
      status: "between",
    },
    c.entrants,
  );
}

/** L5: every student's rounds, the standings' entrants first, then the kicked ones. */
export function classroomStudentRounds(c: ClassroomState): StudentRounds[] {
  const learning = c.learning ?? [];
  const entrants = [...c.entrants, ...(c.kicked ?? [])].map((e) => ({
    key: e.id,
    nickname: e.nickname,
    playerIds: e.playerIds,
  }));
  return studentRounds(entrants, learning);
}

/** L5–L7: the class report of the revealed rounds (every student, kicked ones included). */
export function classroomLearning(c: ClassroomState): ClassLearning {
  return classLearning(classroomStudentRounds(c), c.results.length);
}

/** A round could not finish (no results): back between rounds. */
export function classroomRoundAbandoned(c: ClassroomState): ClassroomState {
  if (c.status !== "playing") return c;
  return { ...c, status: c.results.length > 0 ? "between" : "lobby" };
}

/** What is stored of a competition. */
export function competitionSnapshot(
  c: ClassroomState,
  code: string,
  hostTokenHash: string,
): CompetitionSnapshot {
  return {
    id: c.setup.id,
    name: c.setup.name,
    code,
    noRankings: c.setup.noRankings,
    status: c.status,
    plan: c.setup.plan,
    roundsPlayed: c.results.length,
    standings: c.standings,
    kicked: computeStandings(
      (c.kicked ?? []).map((e) => ({ key: e.id, nickname: e.nickname, playerIds: e.playerIds })),
      c.results,
    ),
    learning: classroomStudentRounds(c),
    createdAt: c.setup.createdAt,
    endedAt: c.endedAt,
    hostTokenHash,
  };
}
