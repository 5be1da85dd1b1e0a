import { deadlineOf, viewMaker, withoutPeerReveal } from "../game";
import type { PeerVisibility, RoundError, RoundRecord, RoundView, Viewer } from "../game";
import { ackError, ErrorCode, PROTOCOL_VERSION } from "../protocol";
import type {
  AckFailure,
  ClassroomView,
  MemberView,
  ProgressMessage,
  RevealPlayersBody,
  RoomClosedReason,
  RoomSettings,
  RoomSettingsView,
  RoomSnapshot,
  SurfaceChoice,
} from "../protocol";
import { classroomLearning, roundsPlayed } from "./classroom";
import { ghostViewFor } from "./ghost";
import { gameClock, roomPhase } from "./state";
import type { RoomEnv, RoomState } from "./state";
import { classroomViewMaker, membersFor, peersFor, publicPeers } from "./visibility";
import type { ClassroomViewer } from "./visibility";

/**
 * What a connection may see of a room (docs/SPEC.md R10, R11, R11a, R21, R34): the one place that
 * turns a {@link RoomState} into what is sent. It calls lib/game's `viewMaker` for the round and
 * does every redaction of the room's own parts: the host's surface choice and the bot's
 * hyper-parameters in the settings, the members and standings without rankings, the deadline
 * moved by pauses, a big reveal's shared entries, and the hidden surface's numbers in a refusal.
 */

const CLOSED_MESSAGES: Record<RoomClosedReason, string> = {
  empty: "The room was empty for too long and has closed.",
  "closed-by-host": "The host closed the room.",
  "seat-taken":
    "Your seat was taken over by another connection with the same seat token (another tab?).",
  kicked: "The host removed you from the room.",
  "server-shutdown": "The server is restarting; reconnect in a moment and resume your seat.",
};

/** What `room:closed` tells a connection, by reason. */
export function closedMessage(reason: RoomClosedReason): string {
  return CLOSED_MESSAGES[reason];
}

/** Who is looking at a room: the host or not, and the seat the connection holds. */
export interface RoomViewer {
  readonly isHost: boolean;
  readonly playerId: string | null;
}

/** What a view needs beside the state. */
export interface RoomViewContext {
  /** The server's clock (ms) when the snapshot is made. */
  readonly now: number;
  /**
   * R11a: where this reveal's shared entries are served (see {@link sharedRevealFor}), or null
   * when every snapshot carries them.
   */
  readonly revealHref?: string | null;
}

/** Snapshots of one state for many viewers, sharing what equal viewers see. */
export interface RoomViewMaker {
  (viewer: RoomViewer): RoomSnapshot;
  /** The spectator's round view with names (the base the others share arrays with), or null. */
  readonly base: RoundView | null;
  /**
   * The members' list as nobody's own (`you: false` throughout): a seated viewer's list is a
   * copy of it with their own entry replaced, so a serialiser may share the other entries' text.
   */
  readonly members: readonly MemberView[];
}

/**
 * R34: the settings as a connection sees them: the host sees what they chose; everyone else
 * sees no surface choice (a named surface is secret until the reveal, R10) and the bot's
 * optimizer without its hyper-parameters (R10: they are shown with the reveal).
 */
export function settingsViewFor(settings: RoomSettings, isHost: boolean): RoomSettingsView {
  if (isHost) return settings;
  return { ...settings, surface: null, bot: { optimizer: settings.bot.optimizer } };
}

/**
 * R34: a round the host could not start, as the host is told: a surface the host did not name
 * (surprise, procedural) stays hidden, so its η_max is not quoted back.
 */
export function startRefusalFor(choice: SurfaceChoice, error: RoundError): AckFailure {
  if (choice.kind !== "catalog" && error.code === ErrorCode.INVALID_SETTINGS) {
    return ackError(
      ErrorCode.INVALID_SETTINGS,
      /etaMax/.test(error.message)
        ? "etaMax is too large for the surface picked for this round: leave etaMax out to use the surface's own"
        : error.message,
    );
  }
  return { ok: false, error };
}

/** The round view's deadline on the server's clock: shifted by pauses, null while paused (R29). */
function withServerDeadline(state: RoomState, view: RoundView): RoundView {
  if (state.pausedAt === null && state.pausedTotal === 0) return view;
  const round = state.round;
  const deadline = round ? deadlineOf(round) : null;
  return {
    ...view,
    deadline: state.pausedAt !== null || deadline === null ? null : deadline + state.pausedTotal,
  };
}

/** The view makers of the state's round, one per peers level, made on first use. */
function roundMakers(
  state: RoomState,
  env: RoomEnv,
): (viewer: Viewer, peers: PeerVisibility) => RoundView | null {
  const round = state.round;
  const makers = new Map<PeerVisibility, (viewer: Viewer) => RoundView>();
  return (viewer, peers) => {
    if (!round) return null;
    let maker = makers.get(peers);
    if (!maker) {
      maker = viewMaker(round, env, { peers, sealed: state.gate === "sealed" });
      makers.set(peers, maker);
    }
    return withServerDeadline(state, maker(viewer));
  };
}

/** R11a: whether this state's reveal is shared by reference, and then its shared entries. */
export function sharedRevealFor(state: RoomState, env: RoomEnv): RevealPlayersBody | null {
  const round = state.round;
  if (!round || state.gate !== "revealed") return null;
  if (round.players.length <= env.limits.revealInlinePlayers) return null;
  const peers = publicPeers(state.classroom?.setup.noRankings ?? false);
  const spectator = viewMaker(round, env, { peers })({ role: "spectator" });
  const players = spectator.reveal?.players;
  if (!players) return null;
  return { code: state.code, roundNumber: state.roundNumber, players };
}

/** The `room:progress` patch: who has moved in the current turn, by seat (null outside a turn). */
export function progressFor(state: RoomState): ProgressMessage | null {
  const round = state.round;
  if (!round || round.phase !== "playing") return null;
  const moved = new Set(round.pending.map((m) => m.playerId));
  return {
    code: state.code,
    rev: state.rev,
    roundNumber: state.roundNumber,
    turn: round.turn,
    moved: round.players.flatMap((p, seat) => (moved.has(p.id) ? [seat] : [])),
  };
}

/** The classroom part of the snapshots (R21), or null for other rooms. */
function classroomMaker(
  state: RoomState,
  now: number,
): ((viewer: RoomViewer) => ClassroomView) | null {
  const c = state.classroom;
  if (!c) return null;
  const connected = new Set(state.members.filter((m) => m.connected).map((m) => m.playerId));
  const round = state.round;
  const deadline = round ? deadlineOf(round) : null;
  const gameNow = gameClock(state, now);
  const entrantOf = new Map<string, string>();
  for (const e of c.entrants) for (const id of e.playerIds) entrantOf.set(id, e.id);
  const byKey = new Map(c.entrants.map((e) => [e.id, e]));
  const make = classroomViewMaker({
    name: c.setup.name,
    competitionId: c.setup.id,
    status: c.status,
    noRankings: c.setup.noRankings,
    locked: c.locked,
    paused: state.pausedAt !== null,
    pausedRemainingMs:
      state.pausedAt === null || deadline === null ? null : Math.max(0, deadline - gameNow),
    roundsPlayed: roundsPlayed(c),
    plan: c.setup.plan,
    standings: c.standings,
    connected: (key) => byKey.get(key)?.playerIds.some((id) => connected.has(id)) ?? false,
    students: c.entrants.length,
    lastRound: c.results[c.results.length - 1] ?? null,
    learning: classroomLearning(c),
  });
  return (viewer) => {
    const classroomViewer: ClassroomViewer = {
      isHost: viewer.isHost,
      entrantKey: (viewer.playerId && entrantOf.get(viewer.playerId)) ?? null,
    };
    return make(classroomViewer);
  };
}

/**
 * {@link roomViewFor} for many viewers of one state: the parts equal viewers share (members,
 * round views, the classroom lines) are built once.
 */
export function roomViewMaker(
  state: RoomState,
  env: RoomEnv,
  context: RoomViewContext,
): RoomViewMaker {
  const round = state.round;
  const noRankings = state.classroom?.setup.noRankings ?? false;
  const seats = new Map<string, number>(round ? round.players.map((p, i) => [p.id, i]) : []);
  const moved = new Set(
    round && round.phase === "playing" ? round.pending.map((m) => m.playerId) : [],
  );
  const members: MemberView[] = state.members.map((m) => ({
    nickname: m.nickname,
    connected: m.connected,
    inRound: seats.has(m.playerId),
    moved: moved.has(m.playerId),
    you: false,
    host: m.host,
    seat: seats.get(m.playerId) ?? null,
  }));
  const roundView = roundMakers(state, env);
  const views = new Map<string, RoundView | null>();
  const classroom = classroomMaker(state, context.now);
  const hostSettings = settingsViewFor(state.settings, true);
  const publicSettings = settingsViewFor(state.settings, false);
  const phase = roomPhase(state);
  const shareFor = publicPeers(noRankings);
  const href = context.revealHref ?? null;
  const replayId =
    state.stored && state.stored.roundNumber === state.roundNumber && phase === "revealed"
      ? state.stored.id
      : null;

  const make = ((viewer: RoomViewer): RoomSnapshot => {
    const index =
      viewer.playerId === null
        ? -1
        : state.members.findIndex((m) => m.playerId === viewer.playerId);
    const member = index < 0 ? undefined : state.members[index];
    const inRound = member !== undefined && seats.has(member.playerId);
    // R21: without rankings, students see only themselves and the projector sees no names.
    const peers = peersFor({ isHost: viewer.isHost, seated: member !== undefined }, noRankings);
    const roundViewer: Viewer =
      member && inRound
        ? { role: "player", playerId: member.playerId }
        : viewer.isHost
          ? { role: "host" }
          : { role: "spectator" };
    const key = `${roundViewer.role === "player" ? `p:${roundViewer.playerId}` : roundViewer.role}:${peers}`;
    let shown = views.get(key);
    if (shown === undefined) {
      shown = roundView(roundViewer, peers);
      views.set(key, shown);
    }
    // R11a: a big reveal's other entries travel once per room, for every viewer who sees the
    // room's public peers level (the host of a room without rankings sees names: inline).
    const shared = href !== null && shown?.reveal && peers === shareFor;
    if (shared && shown) shown = withoutPeerReveal(shown);
    const you = member ? members.map((m, i) => (i === index ? { ...m, you: true } : m)) : members;
    return {
      protocolVersion: PROTOCOL_VERSION,
      code: state.code,
      mode: state.mode,
      rev: state.rev,
      serverTime: context.now,
      phase,
      roundNumber: state.roundNumber,
      you: {
        role: member ? "player" : viewer.isHost ? "host" : "spectator",
        isHost: viewer.isHost,
        playerId: member?.playerId ?? null,
        nickname: member?.nickname ?? null,
        inRound,
      },
      hostConnected: state.hosts > 0,
      // R21: a student sees only themselves; the projector sees who has joined, but no seat that
      // would tie a name to a line of the anonymous race.
      members: membersFor(you, peers),
      settings: viewer.isHost ? hostSettings : publicSettings,
      turnDeadline: shown ? shown.deadline : null,
      round: shown ?? null,
      ...(replayId !== null && { replayId }),
      ...(classroom && { classroom: classroom(viewer) }),
      // G4: the ghost's source round (it names the surface) only for the host until the reveal.
      ...(state.ghost && { ghost: ghostViewFor(state.ghost, viewer.isHost, phase === "revealed") }),
      ...(shared &&
        round && {
          revealPlayers: { href: href as string, players: round.players.length },
        }),
    };
  }) as RoomViewMaker;
  let base: RoundView | null | undefined;
  Object.defineProperty(make, "base", {
    get: () => (base ??= roundView({ role: "spectator" }, "named")),
  });
  Object.defineProperty(make, "members", { value: members });
  return make;
}

/** How a stored round of a competition without rankings names the player in `seat` (R21). */
export function anonymousName(seat: number): string {
  return `Student ${seat + 1}`;
}

/** R21: a replay of a competition without rankings names nobody, even by its link. */
export function replayRecordFor(record: RoundRecord, noRankings: boolean): RoundRecord {
  if (!noRankings) return record;
  return {
    ...record,
    players: record.players.map((p, seat) => ({ ...p, nickname: anonymousName(seat) })),
  };
}

/** The snapshot of `state` that `viewer` may see (R10, R11, R21, R34). */
export function roomViewFor(
  state: RoomState,
  viewer: RoomViewer,
  env: RoomEnv,
  context: RoomViewContext,
): RoomSnapshot {
  return roomViewMaker(state, env, context)(viewer);
}
