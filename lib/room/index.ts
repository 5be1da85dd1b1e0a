/**
 * Blind Descent's room rules: a room as plain data ({@link RoomState}), one pure reducer
 * ({@link reduceRoom}) that returns effects as data, and one view function ({@link roomViewFor})
 * for everything a connection receives (docs/SPEC.md R24–R34). The server keeps the effects only.
 */

export {
  checkClassroomNickname,
  competitionSnapshot,
  isProfane,
  newClassroom,
  roundsPlayed,
} from "./classroom";
export { policyFor, reduceRoom, settingsProblem, startSettings, upcomingChoice } from "./reduce";
export type { RoomOutcome } from "./reduce";
export { fixedSettingsRefusal } from "./fixed";
export {
  GHOST_PLAYER_ID,
  ghostNickname,
  ghostOfRecord,
  ghostQueryFor,
  ghostSettingsRefusal,
  ghostViewFor,
} from "./ghost";
export type { GhostMove, GhostQuery, GhostSource, RoomGhost } from "./ghost";
export { replayRoomLog } from "./replay";
export type { ReplayedRoom } from "./replay";
export { DEFAULT_LIMITS, gameClock, roomPhase } from "./state";
export type {
  CatalogEntry,
  ClassroomSetup,
  ClassroomState,
  CompetitionSnapshot,
  Entrant,
  FinishedRound,
  FixedPlay,
  NewSeat,
  RevealGate,
  RoomAction,
  RoomActionResults,
  RoomEffect,
  RoomEnv,
  RoomLimits,
  RoomMember,
  RoomPolicy,
  RoomState,
  RoomTag,
  TimerId,
  Urgency,
} from "./state";
export {
  anonymousName,
  closedMessage,
  replayRecordFor,
  progressFor,
  roomViewFor,
  roomViewMaker,
  settingsViewFor,
  sharedRevealFor,
  startRefusalFor,
} from "./view";
export type { RoomViewContext, RoomViewer, RoomViewMaker } from "./view";
export { classroomViewMaker, membersFor, peersFor, publicPeers } from "./visibility";
export type { ClassroomFacts, ClassroomViewer, PeerViewer } from "./visibility";
