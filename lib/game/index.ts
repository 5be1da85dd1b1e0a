/**
 * Blind Descent's round rules: a pure, deterministic reducer (docs/SPEC.md). The server holds a
 * {@link RoundState}, feeds it actions with {@link reduce}, sends each client only
 * {@link viewFor}'s output, and stores {@link recordOf}'s record; {@link replayRound} rebuilds the
 * round from it.
 */

export { defaultRoundEnv } from "./env";
export type { RoundEnv } from "./env";
export { RoundErrorCode } from "./errors";
export type { RoundError, RoundFailure } from "./errors";
export { recordOf, replayRound } from "./replay";
export type { RoundRecord } from "./replay";
export {
  createRound,
  deadlineOf,
  hasEveryoneMoved,
  reduce,
  renamePlayer,
  surfaceOf,
  waitingFor,
} from "./rules";
export type { CreateRoundInput, RoundOutcome } from "./rules";
export { compareResults, computeResults, progressOf, reachedTurnOf, scoreOf } from "./scoring";
export {
  ETA_MAX_FACTOR,
  HINTS,
  resolveSettings,
  roundSettingsSchema,
  SECONDS_PER_TURN_RANGE,
  TURNS_RANGE,
} from "./settings";
export type {
  BotSettings,
  Hint,
  RoundSettings,
  RoundSettingsInput,
  SettingsResult,
} from "./settings";
export type {
  BotResult,
  BotTrack,
  Move,
  MoveAction,
  PendingMove,
  PlayerInfo,
  PlayerResult,
  PlayerTrack,
  ResolveAction,
  RoundAction,
  RoundPhase,
  RoundResults,
  RoundState,
  ScoreScale,
  TurnFeedback,
} from "./state";
export { computeStandings, standingsCsv } from "./standings";
export {
  classLearning,
  formatCosBeta,
  roundLearning,
  studentRounds,
  TREND_MARGIN,
} from "./class-learning";
export type {
  ClassLearning,
  LearningTrend,
  PlayerRoundLearning,
  RoundLearning,
  StudentLearning,
  StudentRounds,
} from "./class-learning";
export type { Standing, StandingsEntrant } from "./standings";
export { withoutPeerReveal, withPeerReveal } from "./reveal-share";
export { viewFor, viewMaker } from "./view";
export type {
  LossRace,
  OwnView,
  PeerVisibility,
  PublicSettings,
  RacePlayer,
  RankedPlayer,
  RevealView,
  RevealedPlayer,
  RoundView,
  Viewer,
  ViewOptions,
} from "./view";
