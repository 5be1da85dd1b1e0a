import { ackError, ErrorCode } from "../lib/protocol";
import type { AckFailure, RoomClosedReason, RoomSettings } from "../lib/protocol";
import { startSettings } from "../lib/room";
import type { RoomAction, RoomActionResults } from "../lib/room";
import type { SurfaceRef } from "../lib/surface-ref";
import { mapAck } from "./room-deps";
import type { Acked, RoomCreation, RoomDeps } from "./room-deps";
import { Room } from "./room";
import type { Session } from "./room";
import { pickSurface } from "./surface-picker";
import { newPlayerId, newRoundId, newToken, randomUint32, tokenHash, tokensEqual } from "./tokens";

/**
 * What the hub asks of a room, turned into lib/room actions: the runtime's side of each request
 * (the time, fresh ids and tokens, token hashes, the CSPRNG's surface and seed) is filled in here,
 * and the rules decide. Nothing here accepts or refuses anything the rules would not.
 */

type HostAction = Extract<RoomAction, { hostTokenHash: string }>;
type HostActionType = Exclude<HostAction["type"], "start" | "create">;
/** A host action's fields without what the runtime fills in (time, token hash). */
type HostFields<T extends HostActionType> = Omit<
  Extract<RoomAction, { type: T }>,
  "type" | "at" | "hostTokenHash"
>;

/**
 * `room:create` / `classroom:create`: a room with `session` attached as its host (and seated,
 * with `nickname`); refused (nothing created) when the settings, a planned round or the seat are.
 */
export function createRoom(
  creation: RoomCreation,
  session: Session,
  deps: RoomDeps,
):
  | { room: Room; seatToken: string | null; playerId: string | null; durable: Promise<void> }
  | AckFailure {
  const seatToken = creation.nickname !== undefined ? newToken() : null;
  const seat =
    creation.nickname !== undefined && seatToken !== null
      ? {
          playerId: newPlayerId(),
          nickname: creation.nickname,
          seatTokenHash: tokenHash(seatToken),
        }
      : undefined;
  const created = Room.create(
    {
      type: "create",
      at: deps.clock.now(),
      code: creation.code,
      mode: creation.mode,
      hostTokenHash: tokenHash(creation.hostToken),
      settings: creation.settings,
      ...(seat && { seat }),
      ...(creation.classroom && { classroom: creation.classroom }),
      ...(creation.fixed && { fixed: creation.fixed }),
    },
    session,
    deps,
  );
  if ("ok" in created) return created;
  return { ...created, seatToken, playerId: seat?.playerId ?? null };
}

/** Whether `token` is `room`'s host token. */
export function isHostToken(room: Room, token: string): boolean {
  return tokensEqual(tokenHash(token), room.state.hostTokenHash);
}

/** The refusal for a wrong host token, or null when it is right. */
export function checkHost(room: Room, token: string): AckFailure | null {
  if (isHostToken(room, token)) return null;
  return ackError(
    ErrorCode.NOT_HOST,
    `only the host of room ${room.code} may do this: the host token is wrong`,
  );
}

/** `room:join`: seat a new player. */
export function join(
  room: Room,
  session: Session,
  nickname: string,
  deviceToken?: string,
): Acked<{ code: string; playerId: string; seatToken: string }> {
  const seatToken = newToken();
  const playerId = newPlayerId();
  const seat = {
    playerId,
    nickname,
    seatTokenHash: tokenHash(seatToken),
    ...(deviceToken ? { deviceHash: tokenHash(deviceToken) } : {}),
  };
  const ack = room.act({ type: "join", at: room.now(), seat }, session, () => {
    room.connections.attach(session, false);
    room.connections.bind(session, playerId);
  });
  return mapAck(ack, (a) => (a.ok ? { ok: true, code: room.code, playerId, seatToken } : a));
}

/** `room:resume`: give a seat back to the connection holding its token. */
export function resume(
  room: Room,
  session: Session,
  seatToken: string,
): Acked<{ code: string; playerId: string }> {
  const action = {
    type: "resume" as const,
    at: room.now(),
    seatTokenHash: tokenHash(seatToken),
    holder: session.room === room ? session.playerId : null,
    fresh: session.room !== room,
  };
  const ack = room.act(action, session, (result) => {
    room.connections.attach(session, false);
    room.connections.bind(session, result.playerId);
  });
  return mapAck(ack, (a) => (a.ok ? { ok: true, code: room.code, playerId: a.playerId } : a));
}

/** `room:watch` (spectator) and `room:host` (the host's console). */
export function watch(room: Room, session: Session, hostToken?: string): Acked<{ code: string }> {
  const host = hostToken !== undefined;
  const action = {
    type: "attach" as const,
    at: room.now(),
    as: host ? ("host" as const) : ("spectator" as const),
    ...(host && { hostTokenHash: tokenHash(hostToken) }),
    fresh: session.room !== room,
    wasHost: session.room === room && session.isHost,
  };
  return room.act(action, session, () => room.connections.attach(session, host));
}

/** `room:leave` (`leave`) or a closed transport: detach; a seat is given up or starts its grace. */
export function detach(room: Room, session: Session, leave: boolean): Acked<Record<never, never>> {
  if (session.room !== room) return { ok: true };
  const host = session.isHost;
  const playerId = room.connections.unbind(session);
  return room.act({ type: "detach", at: room.now(), playerId, host, leave });
}

/** A host action (settings, kick, rename, pause, unpause, lock, end), token checked by the rules. */
export function hostAction<T extends HostActionType>(
  room: Room,
  type: T,
  hostToken: string,
  fields: HostFields<T>,
): Acked<RoomActionResults[T]> {
  const action = { ...fields, type, at: room.now(), hostTokenHash: tokenHash(hostToken) };
  return room.act(action as unknown as Extract<RoomAction, { type: T }>);
}

/**
 * `round:start`: the surface is picked here (crypto randomness), from the rules' choice; a room
 * that plays a challenge or the daily plays its stored ref as it is (no fresh transform; the
 * rules hold it: docs/SPEC.md C5, D5). R31a: when the room prepared the surface of that choice
 * off the thread, the start plays it (waiting for it, at most a second, if it is not ready yet).
 */
export function startRound(
  room: Room,
  hostToken: string,
  settings: RoomSettings | undefined,
): Acked<{ roundNumber: number }> {
  const denied = checkHost(room, hostToken);
  if (denied) return denied;
  const chosen = startSettings(room.state, settings, room.env);
  if (!chosen.ok) return chosen;
  const waiting = room.state.fixed ? null : room.preparing(chosen.settings.surface);
  // Checked again after the wait: the room may have changed meanwhile.
  return waiting
    ? waiting.then(() => beginRound(room, hostToken, settings))
    : beginRound(room, hostToken, settings);
}

function beginRound(
  room: Room,
  hostToken: string,
  settings: RoomSettings | undefined,
): Acked<{ roundNumber: number }> {
  const fixed = room.state.fixed?.surface;
  const denied = checkHost(room, hostToken);
  if (denied) return denied;
  const chosen = startSettings(room.state, settings, room.env);
  if (!chosen.ok) return chosen;
  let surface: SurfaceRef | null = fixed ?? room.takePrepared(chosen.settings.surface);
  if (!surface) {
    try {
      surface = pickSurface(chosen.settings.surface, room.env.catalog);
    } catch (error) {
      room.logError("pickSurface failed", error);
      return ackError(ErrorCode.INTERNAL_ERROR, "no surface could be picked; try another choice");
    }
    room.countSurfaceAtStart();
  }
  return room.act({
    type: "start",
    at: room.now(),
    hostTokenHash: tokenHash(hostToken),
    ...(settings && { settings }),
    surface,
    seed: randomUint32(),
    roundId: newRoundId(),
  });
}

/** `round:move`: the connection's seat moves in the current turn. */
export function move(
  room: Room,
  session: Session,
  turn: number,
  angle: number,
  eta: number,
): Acked<{ turn: number }> {
  const action = {
    type: "move" as const,
    at: room.now(),
    playerId: session.playerId,
    asHost: session.isHost,
    turn,
    angle,
    eta,
  };
  return room.act(action, session);
}

/** Close the room (`closed-by-host` needs the host token; `server-shutdown` does not). */
export function close(
  room: Room,
  reason: RoomClosedReason,
  hostToken?: string,
): Acked<Record<never, never>> {
  return room.act({
    type: "close",
    at: room.now(),
    reason,
    ...(hostToken !== undefined && { hostTokenHash: tokenHash(hostToken) }),
  });
}
