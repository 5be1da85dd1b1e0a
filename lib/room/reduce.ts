import {
  createRound,
  deadlineOf,
  hasEveryoneMoved,
  recordOf,
  reduce,
  renamePlayer,
  resolveSettings,
} from "../game";
import type { RoundState } from "../game";
import { nicknameKey } from "../nickname";
import { validateOptimizerParams } from "../optimizers";
import { ackError, ErrorCode } from "../protocol";
import type { AckFailure, AckResponse, RoomMode, RoomSettings, SurfaceChoice } from "../protocol";
import {
  checkClassroomJoin,
  checkClassroomNickname,
  classroomJoined,
  classroomKicked,
  classroomLeft,
  classroomRenamed,
  classroomRoundAbandoned,
  classroomRoundFinished,
  competitionSnapshot,
  departedPlayer,
  isBanned,
  newClassroom,
  nextPlannedSettings,
  nicknameHeld,
} from "./classroom";
import type {
  FinishedRound,
  NewSeat,
  RoomAction,
  RoomActionResults,
  RoomEffect,
  RoomEnv,
  RoomLimits,
  RoomMember,
  RoomPolicy,
  RoomState,
  TimerId,
  Urgency,
} from "./state";
import { gameClock } from "./state";
import { fixedSettingsRefusal } from "./fixed";
import { GHOST_PLAYER_ID, ghostSettingsRefusal, ghostViewFor } from "./ghost";
import type { RoomGhost } from "./ghost";
import { startRefusalFor } from "./view";

/**
 * The room's rules (docs/SPEC.md R24–R33) as one pure reducer, in the style of lib/game's
 * `reduce`: `reduceRoom(state, action, env)` returns the next state, the effects the runtime must
 * run (timers, sends, saves) as data, and the acknowledgement. It reads no clock (times come in as
 * `at`), no random source (ids, hashes, seeds and surfaces come in with the action), never throws
 * on bad input, and leaves a refused action's state untouched. Round rules are lib/game's.
 */

/** What {@link reduceRoom} returns. */
export interface RoomOutcome<T extends object = object> {
  /** The next state (the same object when the action was refused; null only for a refused create). */
  readonly state: RoomState | null;
  readonly effects: readonly RoomEffect[];
  readonly ack: AckResponse<T>;
}

/** R24: how a kind of room behaves. */
export function policyFor(mode: RoomMode, limits: RoomLimits): RoomPolicy {
  return {
    capacity: mode === "solo" ? 1 : limits.maxPlayers,
    untimed: mode === "solo",
    seatsExpire: mode !== "classroom",
    competition: mode === "classroom",
  };
}

/**
 * R31: the settings `round:start` would play (a classroom's next planned round, else the given
 * settings or the lobby's), or why no round can start. The runtime picks the surface from the
 * returned choice before it sends the `start` action.
 */
export function startSettings(
  state: RoomState,
  settings: RoomSettings | undefined,
  env: RoomEnv,
): { ok: true; settings: RoomSettings } | AckFailure {
  if (state.gate === "playing" || state.gate === "sealed") {
    return roundInProgress(state, "start a round");
  }
  let given = settings;
  if (state.classroom) {
    if (given) {
      return ackError(
        ErrorCode.INVALID_SETTINGS,
        "a classroom competition plays its planned rounds: send round:start without settings",
      );
    }
    const next = nextPlannedSettings(state.classroom);
    if (!next.ok) return next;
    given = next.settings;
  }
  const chosen = given ? normalise(state.policy, given) : state.settings;
  const problem = checkSettings(chosen, env);
  if (problem) return problem;
  if (state.members.length === 0) {
    return ackError(
      ErrorCode.NO_PLAYERS,
      `room ${state.code} has no player yet: share the code and wait for someone to join`,
    );
  }
  return { ok: true, settings: chosen };
}

/**
 * R31a: the surface choice the room's next `round:start` will most likely play, known ahead of
 * it: a classroom's next planned round (the one after the round in play), else the lobby's
 * settings; null for a room that plays a fixed surface (C5, D5) or has closed. A guess the
 * runtime may act on early (it prepares that surface off its thread); {@link startSettings}
 * still decides at the start, and a start whose choice differs is picked then.
 */
export function upcomingChoice(state: RoomState): SurfaceChoice | null {
  if (state.closed || state.fixed) return null;
  const c = state.classroom;
  if (!c) return state.settings.surface;
  if (c.status === "ended") return null;
  const inPlay = state.gate === "playing" || state.gate === "sealed";
  return c.setup.plan[c.results.length + (inPlay ? 1 : 0)]?.surface ?? null;
}

/**
 * R26: why `settings` cannot be played in a room of this mode (a catalog surface that does not
 * exist, settings that do not fit it, bad bot parameters), or null.
 */
export function settingsProblem(
  mode: RoomMode,
  settings: RoomSettings,
  env: RoomEnv,
): AckFailure | null {
  return checkSettings(normalise(policyFor(mode, env.limits), settings), env);
}

/** Apply one action to a room. */
export function reduceRoom<A extends RoomAction>(
  state: RoomState | null,
  action: A,
  env: RoomEnv,
): RoomOutcome<RoomActionResults[A["type"]]> {
  const run = new Run(env);
  let ack: Ack;
  try {
    ack = run.apply(state, action);
  } catch (error) {
    // A rule that throws is a bug; the room stays as it was and the runtime logs it.
    return {
      state,
      effects: [
        {
          type: "log",
          level: "error",
          message: "room rule threw",
          fields: { action: action.type, error: String(error) },
        },
      ],
      ack: ackError(
        ErrorCode.INTERNAL_ERROR,
        `the server failed to handle ${action.type}; nothing changed, try again`,
      ),
    };
  }
  if (!ack.ok) return { state, effects: [], ack };
  return {
    state: run.state,
    effects: run.effects,
    ack: ack as AckResponse<RoomActionResults[A["type"]]>,
  };
}

// ── Helpers ────────────────────────────────────────────────────────────────────────────────

/** G2: the round settings of a ghost's room: the ghost's own, timed as the room is. */
function ghostRoundSettings(ghost: RoomGhost, secondsPerTurn: number) {
  return { ...ghost.settings, secondsPerTurn };
}

function normalise(policy: RoomPolicy, settings: RoomSettings): RoomSettings {
  // Solo practice is untimed (GAME.md "Ways to play").
  return policy.untimed ? { ...settings, secondsPerTurn: 0 } : settings;
}

/** Check what can be checked before a round: a catalog surface exists; settings against it. */
function checkSettings(settings: RoomSettings, env: RoomEnv): AckFailure | null {
  const { surface: choice, ...roundSettings } = settings;
  if (choice.kind === "catalog") {
    if (!env.catalog.some((entry) => entry.id === choice.id)) {
      return ackError(
        ErrorCode.UNKNOWN_SURFACE,
        `no catalog surface is called "${choice.id}"; valid ids: ${env.catalog.map((e) => e.id).join(", ")}`,
      );
    }
    try {
      const surface = env.resolveSurface({ kind: "catalog", id: choice.id });
      const resolved = resolveSettings(roundSettings, surface);
      if (!resolved.ok) return { ok: false, error: resolved.error };
    } catch (error) {
      return ackError(ErrorCode.UNKNOWN_SURFACE, String(error));
    }
    return null;
  }
  if (choice.kind === "formula") {
    // F7: the runtime checked the formula before this action (its surface is in the cache).
    try {
      const surface = env.resolveSurface({ kind: "formula", text: choice.text, box: choice.box });
      const resolved = resolveSettings(roundSettings, surface);
      if (!resolved.ok) return { ok: false, error: resolved.error };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return ackError(ErrorCode.INVALID_FORMULA, `formula: ${message}`);
    }
    return null;
  }
  if (choice.kind === "data") {
    // F11: the neuron's data are checked here, by lib (bounded: at most 50 points, ~30 ms).
    try {
      const surface = env.resolveSurface({ kind: "data", points: choice.points, box: choice.box });
      const resolved = resolveSettings(roundSettings, surface);
      if (!resolved.ok) return { ok: false, error: resolved.error };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return ackError(ErrorCode.INVALID_DATA, `data: ${message}`);
    }
    return null;
  }
  const bot = roundSettings.bot;
  if (bot.optimizer !== "none" && bot.params) {
    try {
      validateOptimizerParams(bot.optimizer, { ...bot.params, eta: bot.params.eta ?? 1 });
    } catch (error) {
      return ackError(
        ErrorCode.INVALID_SETTINGS,
        `bot.params.${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return null;
}

function roundInProgress(state: RoomState, what: string): AckFailure {
  return ackError(
    ErrorCode.ROUND_IN_PROGRESS,
    state.gate === "sealed"
      ? `the round is being saved: ${what} after the reveal`
      : `a round is being played: ${what} after the reveal`,
  );
}

function notClassroom(state: RoomState): AckFailure {
  return ackError(
    ErrorCode.NOT_A_CLASSROOM,
    `room ${state.code} is not a classroom competition: create one with classroom:create`,
  );
}

function notFound(code: string): AckFailure {
  return ackError(
    ErrorCode.ROOM_NOT_FOUND,
    `no open room has the code ${code}: check the code (the room may have closed)`,
  );
}

function nicknameTaken(code: string, nickname: string): AckFailure {
  return ackError(
    ErrorCode.NICKNAME_TAKEN,
    `the nickname "${nickname}" is taken in room ${code}: choose another one`,
  );
}

type Ack = AckResponse<Record<string, unknown>>;
const OK: Ack = { ok: true };

/** One application of the reducer: the state being built and the effects collected. */
class Run {
  state!: RoomState;
  readonly effects: RoomEffect[] = [];

  constructor(private readonly env: RoomEnv) {}

  apply(state: RoomState | null, action: RoomAction): Ack {
    if (action.type === "create") {
      if (state) return ackError(ErrorCode.ALREADY_IN_ROOM, `room ${state.code} exists already`);
      return this.create(action);
    }
    if (!state) return notFound("?");
    this.state = state;
    if (state.closed) return notFound(state.code);
    switch (action.type) {
      case "join":
        return this.join(action.seat, action.at);
      case "resume":
        return this.resume(action.seatTokenHash, action.holder, action.fresh, action.at);
      case "attach":
        return this.attach(action);
      case "detach":
        return this.detach(action);
      case "timer":
        return this.timer(action.id, action.at);
      case "saveFinished":
        if (action.roundNumber === state.roundNumber && state.gate === "sealed") {
          this.reveal();
        }
        return OK;
      case "stored":
        if (action.roundNumber !== state.roundNumber) return OK;
        this.set({ stored: { roundNumber: action.roundNumber, id: action.id } });
        // A link that lands after the reveal is sent at once; before it, it goes with the reveal.
        if (state.gate !== "sealed") this.changed("now");
        return OK;
      case "move":
        return this.move(action);
      case "restart":
        return this.restart(action.at);
      case "close":
        if (action.reason === "closed-by-host") {
          const denied = this.checkHost(action.hostTokenHash);
          if (denied) return denied;
        }
        this.close(action.reason);
        return OK;
      default:
        break;
    }
    // Host actions (R22, R25): the host token's hash first, then the action's own checks.
    const denied = this.checkHost(action.hostTokenHash);
    if (denied) return denied;
    switch (action.type) {
      case "kick":
        return this.kick(action.nickname, action.at);
      case "rename":
        return this.rename(action.nickname, action.newNickname);
      case "settings":
        return this.updateSettings(action.settings);
      case "start":
        return this.start(action);
      case "pause":
        return this.pause(action.at);
      case "unpause":
        return this.unpause(action.at);
      case "lock":
        if (!state.classroom) return notClassroom(state);
        this.set({ classroom: { ...state.classroom, locked: action.locked } });
        this.changed("now");
        return { ok: true, locked: action.locked };
      case "end":
        return this.end(action.at);
      case "ghostAdd":
        return this.addGhost(action.ghost);
      case "ghostRemove":
        return this.removeGhost();
    }
  }

  // ── State building ─────────────────────────────────────────────────────────────────────────

  private set(patch: Partial<RoomState>): void {
    this.state = { ...this.state, ...patch };
  }

  private changed(urgency: Urgency): void {
    this.state = { ...this.state, rev: this.state.rev + 1 };
    this.effects.push({ type: "broadcast", urgency });
  }

  private member(playerId: string | null): RoomMember | undefined {
    return playerId === null ? undefined : this.state.members.find((m) => m.playerId === playerId);
  }

  private setMember(playerId: string, patch: Partial<RoomMember>): void {
    this.set({
      members: this.state.members.map((m) => (m.playerId === playerId ? { ...m, ...patch } : m)),
    });
  }

  private removeMember(member: RoomMember): void {
    if (member.graceUntil !== null) {
      this.effects.push({ type: "clearTimer", id: `grace:${member.playerId}` });
    }
    this.set({ members: this.state.members.filter((m) => m.playerId !== member.playerId) });
  }

  /** R28: a room with no connection at all closes after `emptyRoomMs`. */
  private connectionsChanged(connections: number, hosts: number, at: number): void {
    this.set({ connections, hosts });
    if (connections > 0 && this.state.emptySince !== null) {
      this.set({ emptySince: null });
      this.effects.push({ type: "clearTimer", id: "empty" });
    } else if (connections === 0 && this.state.emptySince === null) {
      this.set({ emptySince: at });
      this.effects.push({ type: "setTimer", id: "empty", at: at + this.env.limits.emptyRoomMs });
    }
  }

  private checkHost(hash: string | undefined): AckFailure | null {
    if (hash !== undefined && hash === this.state.hostTokenHash) return null;
    return ackError(
      ErrorCode.NOT_HOST,
      `only the host of room ${this.state.code} may do this: the host token is wrong`,
    );
  }

  // ── Creation and seats ─────────────────────────────────────────────────────────────────────

  private create(action: Extract<RoomAction, { type: "create" }>): Ack {
    const policy = policyFor(action.mode, this.env.limits);
    const settings = normalise(policy, action.settings);
    if (action.classroom) {
      // R22: every planned round is checked now, so that a bad plan is refused before anyone joins.
      for (const [index, planned] of action.classroom.plan.entries()) {
        const problem = checkSettings(normalise(policy, planned), this.env);
        if (problem) {
          return ackError(problem.error.code, `round ${index + 1}: ${problem.error.message}`);
        }
      }
    } else {
      const problem = checkSettings(settings, this.env);
      if (problem) return problem;
    }
    this.state = {
      code: action.code,
      mode: action.mode,
      policy,
      hostTokenHash: action.hostTokenHash,
      settings,
      members: [],
      connections: 1,
      hosts: 1,
      emptySince: null,
      round: null,
      roundNumber: 0,
      roundId: null,
      gate: "none",
      stored: null,
      pausedAt: null,
      pausedTotal: 0,
      classroom:
        action.mode === "classroom" && action.classroom
          ? newClassroom({ ...action.classroom, createdAt: action.at })
          : null,
      rev: 0,
      closed: null,
      ...(action.fixed && { fixed: action.fixed }),
    };
    this.changed("presence");
    if (action.seat) {
      // The creator's connection takes the seat: it is already counted.
      const seated = this.seat(action.seat, true);
      if (!seated.ok) return seated;
    }
    const classroom = this.state.classroom;
    if (classroom) {
      this.effects.push({
        type: "storeCompetition",
        competition: competitionSnapshot(classroom, action.code, action.hostTokenHash),
      });
    }
    return { ok: true, code: action.code };
  }

  /** R25: seat a new player (join, or the host's own seat at creation). */
  private seat(seat: NewSeat, host: boolean): AckResponse<{ playerId: string }> {
    const state = this.state;
    const refused =
      state.classroom && checkClassroomJoin(state.classroom, seat.nickname, seat.deviceHash);
    if (refused) return refused;
    const key = nicknameKey(seat.nickname);
    if (state.members.some((m) => m.key === key)) return nicknameTaken(state.code, seat.nickname);
    if (state.members.length >= state.policy.capacity) {
      return ackError(
        ErrorCode.ROOM_FULL,
        state.mode === "solo"
          ? `room ${state.code} is a solo practice: it has one player (you may watch it)`
          : `room ${state.code} is full (${state.policy.capacity} players): you may watch it instead`,
      );
    }
    const member: RoomMember = {
      playerId: seat.playerId,
      nickname: seat.nickname,
      key,
      seatTokenHash: seat.seatTokenHash,
      host,
      connected: true,
      graceUntil: null,
    };
    this.set({
      members: [...state.members, member],
      classroom:
        state.classroom &&
        classroomJoined(state.classroom, seat.playerId, seat.nickname, seat.deviceHash),
    });
    this.changed("presence");
    return { ok: true, playerId: seat.playerId };
  }

  private join(seat: NewSeat, at: number): Ack {
    const seated = this.seat(seat, false);
    if (!seated.ok) return seated;
    this.connectionsChanged(this.state.connections + 1, this.state.hosts, at);
    return seated;
  }

  /** R27: a seat goes back to the connection holding its token; the newest connection wins. */
  private resume(seatTokenHash: string, holder: string | null, fresh: boolean, at: number): Ack {
    const state = this.state;
    const found = state.members.find((m) => m.seatTokenHash === seatTokenHash);
    if (!found) {
      return ackError(
        ErrorCode.SEAT_NOT_FOUND,
        `no seat in room ${state.code} has this seat token: it expired (away longer than the grace period) or was given up; join again with room:join`,
      );
    }
    if (holder !== null && holder !== found.playerId) {
      return ackError(
        ErrorCode.ALREADY_IN_ROOM,
        `this connection already holds another seat in room ${state.code}; leave first`,
      );
    }
    if (found.connected && holder !== found.playerId) {
      this.effects.push({ type: "evict", playerId: found.playerId, reason: "seat-taken" });
    }
    if (found.graceUntil !== null) {
      this.effects.push({ type: "clearTimer", id: `grace:${found.playerId}` });
    }
    this.setMember(found.playerId, { connected: true, graceUntil: null });
    if (fresh) this.connectionsChanged(state.connections + 1, state.hosts, at);
    this.changed("presence");
    return { ok: true, playerId: found.playerId };
  }

  private attach(action: Extract<RoomAction, { type: "attach" }>): Ack {
    if (action.as === "host") {
      const denied = this.checkHost(action.hostTokenHash);
      if (denied) return denied;
    }
    const state = this.state;
    const hosts = state.hosts + (action.as === "host" && !action.wasHost ? 1 : 0);
    this.connectionsChanged(state.connections + (action.fresh ? 1 : 0), hosts, action.at);
    this.changed("presence");
    return { ok: true, code: state.code };
  }

  /** R27: a connection went away: a seat it held starts its grace period, or is given up. */
  private detach(action: Extract<RoomAction, { type: "detach" }>): Ack {
    const state = this.state;
    this.connectionsChanged(
      Math.max(0, state.connections - 1),
      Math.max(0, state.hosts - (action.host ? 1 : 0)),
      action.at,
    );
    const member = this.member(action.playerId);
    if (member && member.connected) {
      if (action.leave) {
        this.removeMember(member);
        const classroom = this.state.classroom;
        if (classroom) this.set({ classroom: classroomLeft(classroom, member.playerId) });
      } else if (this.state.policy.seatsExpire) {
        const graceUntil = action.at + this.env.limits.seatGraceMs;
        this.setMember(member.playerId, { connected: false, graceUntil });
        this.effects.push({ type: "setTimer", id: `grace:${member.playerId}`, at: graceUntil });
      } else {
        // A classroom seat does not expire (a phone asleep for ten minutes comes back to it).
        this.setMember(member.playerId, { connected: false });
      }
    }
    this.changed("presence");
    this.afterPresenceChange(action.at);
    return OK;
  }

  private kick(nickname: string, at: number): Ack {
    const state = this.state;
    const key = nicknameKey(nickname);
    const member = state.members.find((m) => m.key === key);
    // A student who left is still in the standings: the host may remove them from there too.
    const departed = member || !state.classroom ? null : departedPlayer(state.classroom, nickname);
    if (departed !== null && state.classroom) {
      this.set({ classroom: classroomKicked(state.classroom, departed, nickname) });
      this.changed("now");
      return OK;
    }
    if (!member) {
      return ackError(
        ErrorCode.PLAYER_NOT_FOUND,
        `no player called "${nickname}" in room ${state.code}`,
      );
    }
    if (member.connected)
      this.effects.push({ type: "evict", playerId: member.playerId, reason: "kicked" });
    this.removeMember(member);
    const classroom = this.state.classroom;
    if (classroom) {
      this.set({ classroom: classroomKicked(classroom, member.playerId, member.nickname) });
    }
    this.changed("now");
    this.afterPresenceChange(at);
    return OK;
  }

  /** R23: the host gives a player another nickname (shown at once everywhere). */
  private rename(nickname: string, newNickname: string): Ack {
    const state = this.state;
    const classroom = state.classroom;
    if (!classroom) return notClassroom(state);
    const key = nicknameKey(nickname);
    const member = state.members.find((m) => m.key === key);
    // A student who left keeps a line in the standings, which the host may still rename.
    const playerId = member?.playerId ?? departedPlayer(classroom, nickname);
    if (playerId === null) {
      return ackError(
        ErrorCode.PLAYER_NOT_FOUND,
        `no player called "${nickname}" in room ${state.code}`,
      );
    }
    const newKey = nicknameKey(newNickname);
    if (
      state.members.some((m) => m !== member && m.key === newKey) ||
      nicknameHeld(classroom, newNickname, playerId)
    ) {
      return nicknameTaken(state.code, newNickname);
    }
    const refused = checkClassroomNickname(newNickname);
    if (refused) return refused;
    if (isBanned(classroom, newNickname)) {
      return ackError(
        ErrorCode.NICKNAME_BANNED,
        `"${newNickname}" was removed from this competition`,
      );
    }
    // While the finished round is being saved its record is on its way to the database.
    if (state.gate === "sealed") return roundInProgress(state, "rename a player");
    if (member) this.setMember(playerId, { nickname: newNickname, key: newKey });
    // The nickname is a label, not part of the rules (R23): relabel the round's seat too.
    this.set({
      round: state.round && renamePlayer(state.round, playerId, newNickname),
      classroom: classroomRenamed(classroom, playerId, newNickname),
    });
    this.changed("now");
    return OK;
  }

  // ── Settings and rounds ────────────────────────────────────────────────────────────────────

  private updateSettings(settings: RoomSettings): Ack {
    const state = this.state;
    if (state.fixed) return fixedSettingsRefusal(state.fixed.tag.kind);
    if (state.ghost) return ghostSettingsRefusal();
    if (state.gate === "playing" || state.gate === "sealed") {
      return roundInProgress(state, "change the settings");
    }
    const normalised = normalise(state.policy, settings);
    const problem = checkSettings(normalised, this.env);
    if (problem) return problem;
    this.set({ settings: normalised });
    this.changed("now");
    return { ok: true, settings: normalised };
  }

  private start(action: Extract<RoomAction, { type: "start" }>): Ack {
    const fixed = this.state.fixed;
    // C5, D5: a challenge's or the daily's room plays its own settings and its own surface.
    if (fixed && action.settings) return fixedSettingsRefusal(fixed.tag.kind);
    const ghost = this.state.ghost;
    // G2: a ghost's room plays the ghost's surface and settings, so that its moves mean the same.
    if (ghost && action.settings) return ghostSettingsRefusal();
    const chosen = startSettings(this.state, action.settings, this.env);
    if (!chosen.ok) return chosen;
    const state = this.state;
    const { surface: choice, ...roundSettings } = chosen.settings;
    const created = createRound(
      {
        surface: ghost ? ghost.surface : fixed ? fixed.surface : action.surface,
        settings: ghost ? ghostRoundSettings(ghost, roundSettings.secondsPerTurn) : roundSettings,
        seed: action.seed,
        players: [
          ...state.members.map((m) => ({ id: m.playerId, nickname: m.nickname })),
          // G3: the ghost is seated after the members.
          ...(ghost
            ? [{ id: GHOST_PLAYER_ID, nickname: ghost.nickname, ghost: true as const }]
            : []),
        ],
        startedAt: gameClock(state, action.at),
      },
      this.env,
    );
    if (!created.ok) return startRefusalFor(choice, created.error);
    this.set({
      settings: chosen.settings,
      round: created.state,
      roundNumber: state.roundNumber + 1,
      roundId: action.roundId,
      gate: "playing",
      classroom: state.classroom && { ...state.classroom, status: "playing" },
    });
    this.effects.push({ type: "count", counter: "roundsStarted" });
    this.scheduleTurnTimer();
    this.changed("now");
    return { ok: true, roundNumber: this.state.roundNumber };
  }

  private move(action: Extract<RoomAction, { type: "move" }>): Ack {
    const state = this.state;
    const playerId = action.playerId;
    if (playerId === null) {
      return ackError(
        ErrorCode.NOT_A_PLAYER,
        action.asHost
          ? "you host this room without a seat: only players move"
          : "spectators cannot move: join the room with a nickname to play",
      );
    }
    const round = state.round;
    if (!round || state.gate === "sealed") {
      return ackError(
        ErrorCode.NO_ROUND,
        round
          ? "the round is over: wait for the reveal"
          : "no round is being played: wait for the host to start one",
      );
    }
    if (state.pausedAt !== null && round.phase === "playing") {
      return ackError(
        ErrorCode.PAUSED,
        "the teacher paused the game: send your move when it resumes",
      );
    }
    if (!round.players.some((p) => p.id === playerId)) {
      return ackError(
        ErrorCode.NOT_A_PLAYER,
        round.phase === "playing"
          ? "you joined during this round: you play from the next one"
          : "the round is over: wait for the host to start the next one",
      );
    }
    const result = reduce(
      round,
      {
        type: "move",
        playerId,
        angle: action.angle,
        eta: action.eta,
        at: gameClock(state, action.at),
        turn: action.turn,
      },
      this.env,
    );
    if (!result.ok) return { ok: false, error: result.error };
    this.set({ round: result.state });
    this.effects.push({ type: "count", counter: "movesAccepted" });
    if (!this.closeTurnIfAllMoved(action.at)) this.changed("progress");
    return { ok: true, turn: action.turn };
  }

  // ── Ghosts (G1–G5) ─────────────────────────────────────────────────────────────────────────

  /** G1, G2: add (or replace) the room's ghost between rounds; its round must play here. */
  private addGhost(ghost: RoomGhost): Ack {
    const state = this.state;
    if (state.gate === "playing" || state.gate === "sealed") {
      return roundInProgress(state, "add a ghost");
    }
    const fixed = state.fixed;
    if (fixed && JSON.stringify(fixed.surface) !== JSON.stringify(ghost.surface)) {
      return ackError(
        ErrorCode.INVALID_SETTINGS,
        fixed.tag.kind === "daily"
          ? "the daily descent plays its own surface: a ghost must come from a round of today's daily"
          : "a challenge plays its own surface: a ghost must come from a round of this challenge",
      );
    }
    if (ghost.moves.length !== ghost.settings.turns) {
      return ackError(
        ErrorCode.GHOST_NOT_FINISHED,
        `the ghost's round has ${ghost.moves.length} moves for ${ghost.settings.turns} turns: it is not a whole round`,
      );
    }
    // The ghost's round must be playable here as it was (its surface resolves, its settings fit).
    const trial = createRound(
      {
        surface: ghost.surface,
        settings: ghostRoundSettings(ghost, 0),
        seed: 0,
        players: [{ id: GHOST_PLAYER_ID, nickname: ghost.nickname, ghost: true }],
      },
      this.env,
    );
    if (!trial.ok) {
      return ackError(
        ErrorCode.GHOST_NOT_FINISHED,
        `the ghost's round cannot be played again: ${trial.error.message}`,
      );
    }
    this.set({ ghost });
    this.changed("now");
    return { ok: true, ghost: ghostViewFor(ghost, true, false) };
  }

  /** Take the ghost out (from the next round on; not while a round is played). */
  private removeGhost(): Ack {
    const state = this.state;
    if (!state.ghost) return OK;
    if (state.gate === "playing" || state.gate === "sealed") {
      return roundInProgress(state, "remove the ghost");
    }
    const { ghost: _removed, ...rest } = state;
    void _removed;
    this.state = rest;
    this.changed("now");
    return OK;
  }

  /**
   * G3: the ghost's move of the current turn, played through lib/game's reducer when the turn
   * closes, timed at the close (never before a player's move: ties go to the players, R14) and
   * never after the deadline (R3). A turn its stored player stayed is a stay (R6).
   */
  private playGhost(at: number): void {
    const state = this.state;
    const ghost = state.ghost;
    const round = state.round;
    if (!ghost || !round || round.phase !== "playing") return;
    if (!round.players.some((p) => p.id === GHOST_PLAYER_ID)) return;
    if (round.pending.some((m) => m.playerId === GHOST_PLAYER_ID)) return;
    const move = ghost.moves[round.turn];
    if (!move) return;
    const clock = gameClock(state, at);
    const deadline = deadlineOf(round);
    const result = reduce(
      round,
      {
        type: "move",
        playerId: GHOST_PLAYER_ID,
        angle: move.angle,
        eta: move.eta,
        at: deadline === null ? clock : Math.min(clock, deadline),
        turn: round.turn,
      },
      this.env,
    );
    if (!result.ok) {
      this.effects.push({
        type: "log",
        level: "error",
        message: "the ghost's move was refused",
        fields: { room: state.code, turn: round.turn, error: result.error },
      });
      return;
    }
    this.set({ round: result.state });
  }

  // ── Classroom controls (R22) ───────────────────────────────────────────────────────────────

  private pause(at: number): Ack {
    const state = this.state;
    if (!state.classroom) return notClassroom(state);
    if (state.pausedAt !== null) return { ok: true, paused: true };
    if (!state.round || state.round.phase !== "playing" || state.gate !== "playing") {
      return ackError(ErrorCode.NO_ROUND, "no round is being played: there is no timer to pause");
    }
    this.set({ pausedAt: at });
    this.effects.push({ type: "clearTimer", id: "turn" });
    this.changed("now");
    return { ok: true, paused: true };
  }

  private unpause(at: number): Ack {
    const state = this.state;
    if (!state.classroom) return notClassroom(state);
    if (state.pausedAt === null) return { ok: true, paused: false };
    this.set({ pausedTotal: state.pausedTotal + (at - state.pausedAt), pausedAt: null });
    this.scheduleTurnTimer();
    this.changed("now");
    return { ok: true, paused: false };
  }

  private end(at: number): Ack {
    const state = this.state;
    const classroom = state.classroom;
    if (!classroom) return notClassroom(state);
    if (classroom.status === "ended") return OK;
    if (state.gate === "playing" || state.gate === "sealed") {
      return roundInProgress(state, "end the competition");
    }
    const ended = { ...classroom, status: "ended" as const, endedAt: at };
    this.set({ classroom: ended });
    this.changed("now");
    this.effects.push({
      type: "storeCompetition",
      competition: competitionSnapshot(ended, state.code, state.hostTokenHash),
    });
    return OK;
  }

  /**
   * R37: rebuilt after a restart. Every seat is free (its holder reconnects with its token: seats
   * that expire get their whole grace period again), the room waits `emptyRoomMs` for a first
   * connection, a timed turn gets its whole time again (the time spent down counts as a pause),
   * and a round still waiting for its save waits `persistWaitMs` again (the runtime saves it).
   */
  private restart(at: number): Ack {
    const state = this.state;
    const limits = this.env.limits;
    this.set({
      members: state.members.map((m) => {
        if (!state.policy.seatsExpire) return { ...m, connected: false, graceUntil: null };
        const graceUntil = at + limits.seatGraceMs;
        this.effects.push({ type: "setTimer", id: `grace:${m.playerId}`, at: graceUntil });
        return { ...m, connected: false, graceUntil };
      }),
      connections: 0,
      hosts: 0,
      emptySince: at,
    });
    this.effects.push({ type: "setTimer", id: "empty", at: at + limits.emptyRoomMs });
    const round = state.round;
    const deadline = round && round.phase === "playing" ? deadlineOf(round) : null;
    if (state.gate === "playing" && deadline !== null && state.pausedAt === null) {
      // The turn's clock restarts at its beginning: gameClock(at) is the turn's start again.
      const pausedTotal = at - ((round as RoundState).turnStartedAt ?? at);
      if (pausedTotal > state.pausedTotal) this.set({ pausedTotal });
      this.scheduleTurnTimer();
    }
    if (state.gate === "sealed") {
      this.effects.push({ type: "setTimer", id: "persist", at: at + limits.persistWaitMs });
    }
    this.changed("now");
    return OK;
  }

  // ── Time ───────────────────────────────────────────────────────────────────────────────────

  private timer(id: TimerId, at: number): Ack {
    const state = this.state;
    if (id === "turn") {
      // R29: a paused room has no turn timer; a stale one (another turn's) finds nothing to do.
      const round = state.round;
      if (!round || round.phase !== "playing" || state.gate !== "playing") return OK;
      if (state.pausedAt !== null || deadlineOf(round) === null) return OK;
      this.resolveTurn(at);
      return OK;
    }
    if (id === "empty") {
      if (state.connections === 0) {
        this.effects.push({
          type: "log",
          level: "info",
          message: "room closed (empty)",
          fields: { room: state.code },
        });
        this.close("empty");
      }
      return OK;
    }
    if (id === "persist") {
      if (state.gate === "sealed") {
        this.effects.push({
          type: "log",
          level: "warn",
          message: "saving the round takes long: revealing anyway (still retrying)",
          fields: { room: state.code, round: state.roundNumber },
        });
        this.reveal();
      }
      return OK;
    }
    const member = this.member(id.slice("grace:".length));
    if (!member || member.connected || member.graceUntil === null || member.graceUntil > at) {
      return OK;
    }
    this.effects.push({
      type: "log",
      level: "info",
      message: "seat expired",
      fields: { room: state.code, nickname: member.nickname },
    });
    this.removeMember(member);
    this.changed("presence");
    this.afterPresenceChange(at);
    return OK;
  }

  /** The turn timer at the round's deadline on the server's clock (shifted by pauses). */
  private scheduleTurnTimer(): void {
    const state = this.state;
    const round = state.round;
    const deadline = round && round.phase === "playing" ? deadlineOf(round) : null;
    if (deadline === null || state.pausedAt !== null) {
      this.effects.push({ type: "clearTimer", id: "turn" });
      return;
    }
    this.effects.push({ type: "setTimer", id: "turn", at: deadline + state.pausedTotal });
  }

  /**
   * R32: a player dropped, left, was kicked or expired: the others may all have moved already;
   * and when no player of the round holds a seat any more, nobody can move again, so the
   * remaining turns resolve at once (everyone stays put, the bot walks on) to the reveal.
   */
  private afterPresenceChange(at: number): void {
    const state = this.state;
    const round = state.round;
    if (!round || round.phase !== "playing" || state.gate !== "playing") return;
    const memberIds = new Set(state.members.map((m) => m.playerId));
    if (round.players.some((p) => memberIds.has(p.id))) {
      this.closeTurnIfAllMoved(at);
      return;
    }
    for (
      let guard = 0;
      this.state.round?.phase === "playing" &&
      this.state.gate === "playing" &&
      guard <= round.settings.turns;
      guard++
    ) {
      this.resolveTurn(at);
    }
  }

  /**
   * R32: close the turn early when every seated, connected player of the round has moved (and at
   * least one such player exists: a room whose players all dropped waits for the timer).
   */
  private closeTurnIfAllMoved(at: number): boolean {
    const state = this.state;
    const round = state.round;
    if (!round || round.phase !== "playing" || state.gate !== "playing") return false;
    const inRound = new Set(round.players.map((p) => p.id));
    const connected = state.members
      .filter((m) => m.connected && inRound.has(m.playerId))
      .map((m) => m.playerId);
    if (connected.length === 0 || !hasEveryoneMoved(round, connected)) return false;
    this.resolveTurn(at);
    return true;
  }

  private resolveTurn(at: number): void {
    this.playGhost(at);
    const round = this.state.round as RoundState;
    const result = reduce(
      round,
      { type: "resolve", at: gameClock(this.state, at), turn: round.turn },
      this.env,
    );
    if (!result.ok) {
      this.effects.push({
        type: "log",
        level: "error",
        message: "resolve refused",
        fields: { room: this.state.code, error: result.error },
      });
      return;
    }
    this.set({ round: result.state });
    this.effects.push({ type: "count", counter: "turnsResolved" });
    if (result.state.phase === "playing") {
      this.scheduleTurnTimer();
      this.changed("now");
      return;
    }
    this.effects.push({ type: "clearTimer", id: "turn" });
    this.finish(result.state, at);
  }

  /**
   * R30: show the last turn's result at once, sealed (R11b), and store the finished round BEFORE
   * the reveal (the runtime retries a failed save; the reveal waits `persistWaitMs` at most).
   */
  private finish(round: RoundState, at: number): void {
    const state = this.state;
    this.set({ gate: "sealed" });
    this.changed("now");
    this.effects.push({ type: "count", counter: "roundsFinished" });
    // A round ends unpaused (a pause stops the timer, and moves are refused while paused).
    if (state.pausedAt !== null) {
      this.set({ pausedTotal: state.pausedTotal + (at - state.pausedAt), pausedAt: null });
    }
    const results = round.results;
    if (!results) {
      const classroom = this.state.classroom;
      if (classroom) this.set({ classroom: classroomRoundAbandoned(classroom) });
      this.reveal();
      return;
    }
    const finished: FinishedRound = {
      id: state.roundId ?? `${state.code}-${state.roundNumber}`,
      roomCode: state.code,
      mode: state.mode,
      roundNumber: state.roundNumber,
      finishedAt: at,
      record: recordOf(round),
      results,
      ...(state.classroom && {
        competition: { id: state.classroom.setup.id, name: state.classroom.setup.name },
      }),
      ...(state.fixed && { tag: state.fixed.tag }),
    };
    this.effects.push({ type: "saveRound", round: finished });
    this.effects.push({ type: "setTimer", id: "persist", at: at + this.env.limits.persistWaitMs });
  }

  /** R30: the reveal, once per round; the standings take the round in with it (R18). */
  private reveal(): void {
    const state = this.state;
    const results = state.round?.results;
    const classroom =
      state.classroom && state.round && results
        ? classroomRoundFinished(state.classroom, results, state.round)
        : state.classroom;
    this.set({ gate: "revealed", classroom });
    this.effects.push({ type: "clearTimer", id: "persist" });
    this.changed("now");
    if (classroom) {
      this.effects.push({
        type: "storeCompetition",
        competition: competitionSnapshot(classroom, state.code, state.hostTokenHash),
      });
    }
  }

  private close(reason: NonNullable<RoomState["closed"]>): void {
    this.set({ closed: reason });
    this.effects.push({ type: "closed", reason });
  }
}
