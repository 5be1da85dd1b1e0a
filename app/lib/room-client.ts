"use client";

import type {
  ClientPayloadInput,
  FormulaPreview,
  CreateChallengeResult,
  DailyStatusResult,
  ProgressMessage,
  RoomClosedMessage,
  RoomSnapshot,
  RoomSettingsInput,
} from "../../lib/protocol";
// The messages module has no runtime imports (types only): applyProgress ships no rules code.
import { applyProgress } from "../../lib/protocol/messages";
import { sentence } from "./sentence";
import { SnapshotStore } from "./snapshot-store";
import {
  deviceToken,
  getSocket,
  loadTokens,
  playerToken,
  rememberNickname,
  request,
  RequestError,
  saveTokens,
} from "./socket";

/**
 * The client side of one room: it attaches this browser to the room (taking back its seat and its
 * host role with the saved tokens, again after every reconnection), keeps the newest `room:state`
 * snapshot, and exposes the actions the UI may take. Components read it through `useRoom`.
 */

/** The connection as the player should see it. */
export type ConnectionState = "connecting" | "connected" | "reconnecting";

/** Everything the room UI renders. */
export interface RoomClientState {
  readonly connection: ConnectionState;
  /** The newest snapshot, or null before the first one. */
  readonly snapshot: RoomSnapshot | null;
  /** Whether we are attached (seat, host or spectator); false: show the join form. */
  readonly attached: boolean;
  /** Whether the first attach attempt has finished (so the join form does not flash). */
  readonly ready: boolean;
  /** The last error, as a sentence for people. */
  readonly error: string | null;
  /** Set when the server stopped serving the room to us. */
  readonly closed: RoomClosedMessage | null;
  /** serverTime − Date.now() at the last snapshot (to count down the turn timer). */
  readonly clockOffset: number;
  /** No open room has this code (checked before the join form asks for a nickname). */
  readonly missing: boolean;
}

const clients = new Map<string, RoomClient>();

/** The client of room `code` (one per code per page). */
export function roomClient(code: string): RoomClient {
  const key = code.toUpperCase();
  let client = clients.get(key);
  if (!client) {
    client = new RoomClient(key);
    clients.set(key, client);
  }
  return client;
}

/** A room client's state before its first snapshot (also what the server renders). */
export const INITIAL_ROOM_STATE: RoomClientState = {
  connection: "connecting",
  snapshot: null,
  attached: false,
  ready: false,
  error: null,
  closed: null,
  clockOffset: 0,
  missing: false,
};

export class RoomClient extends SnapshotStore<RoomClientState> {
  private stopFns: (() => void)[] = [];

  constructor(readonly code: string) {
    super(INITIAL_ROOM_STATE);
  }

  protected start(): void {
    const socket = getSocket();
    const onState = (snapshot: RoomSnapshot) => {
      if (snapshot.code !== this.code) return;
      const current = this.state.snapshot;
      if (current && current.rev > snapshot.rev) return;
      this.set({ snapshot, attached: true, clockOffset: snapshot.serverTime - Date.now() });
    };
    // `room:progress`: who has moved this turn, as a patch of the newest snapshot (stale or
    // mismatched patches leave it unchanged; a full snapshot follows).
    const onProgress = (progress: ProgressMessage) => {
      const current = this.state.snapshot;
      if (!current || progress.code !== this.code) return;
      const next = applyProgress(current, progress);
      if (next !== current) this.set({ snapshot: next });
    };
    const onClosed = (message: RoomClosedMessage) => {
      if (message.code !== this.code) return;
      this.set({ closed: message, attached: false });
    };
    const onConnect = () => {
      this.set({ connection: "connected" });
      void this.attach();
    };
    const onDisconnect = (reason: string) => {
      this.set({ connection: "reconnecting" });
      // The server dropped us on purpose (e.g. a restart): Socket.IO does not retry by itself.
      if (reason === "io server disconnect") socket.connect();
    };
    const onConnectError = (err: Error) => {
      this.set({
        connection: "reconnecting",
        error: err.message.includes("PROTOCOL")
          ? "This page is out of date: reload it to play."
          : this.state.error,
      });
    };
    const onProtocolError = (m: { event: string; error: { message: string } }) =>
      this.set({ error: m.error.message });
    socket.on("room:state", onState);
    socket.on("room:progress", onProgress);
    socket.on("room:closed", onClosed);
    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    socket.on("connect_error", onConnectError);
    socket.on("protocol:error", onProtocolError);
    this.stopFns.push(() => {
      socket.off("room:state", onState);
      socket.off("room:progress", onProgress);
      socket.off("room:closed", onClosed);
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      socket.off("connect_error", onConnectError);
      socket.off("protocol:error", onProtocolError);
    });
    if (socket.connected) onConnect();
  }

  /** (Re)attach with the saved tokens: the seat first, then the host role. */
  private async attach(): Promise<void> {
    const tokens = loadTokens(this.code);
    let attached = false;
    let error: string | null = null;
    try {
      if (tokens.seatToken) {
        try {
          await request("room:resume", { code: this.code, seatToken: tokens.seatToken });
          attached = true;
        } catch (e) {
          if (e instanceof RequestError && e.code === "SEAT_NOT_FOUND") {
            saveTokens(this.code, { seatToken: undefined });
            error = "Your seat in this room has expired: join again.";
          } else throw e;
        }
      }
      if (tokens.hostToken) {
        await request("room:host", { code: this.code, hostToken: tokens.hostToken });
        attached = true;
      }
      if (!attached && !this.state.attached) {
        // No seat here yet: does the room exist? Watch it for a moment (the only question the
        // server answers without a seat), then let go, so an unknown code says so before the
        // join form asks for a nickname.
        const missing = await this.probe();
        if (missing) {
          this.set({ missing: true, ready: true, error: null });
          return;
        }
      }
    } catch (e) {
      error = messageOf(e);
      // R46: the room is moving to another server node, or this one cannot reach Redis or the
      // database for a moment: nothing changed, so ask again shortly.
      if (e instanceof RequestError && e.code === "UNAVAILABLE") this.attachLater();
    }
    this.set({ attached: attached || this.state.attached, ready: true, error, missing: false });
    if (attached) {
      try {
        const { state } = await request("room:sync", {});
        if (state.code === this.code)
          this.set({ snapshot: state, clockOffset: state.serverTime - Date.now() });
      } catch {
        // The next room:state will do.
      }
    }
  }

  private attachLater(): void {
    const timer = setTimeout(() => {
      if (getSocket().connected) void this.attach();
    }, 2_000);
    this.stopFns.push(() => clearTimeout(timer));
  }

  /** True when no open room has this code; watching it to find out, then leaving at once. */
  private async probe(): Promise<boolean> {
    try {
      await request("room:watch", { code: this.code });
    } catch (e) {
      if (e instanceof RequestError && e.code === "ROOM_NOT_FOUND") return true;
      return false;
    }
    try {
      await request("room:leave", {});
    } catch {
      // Already detached: nothing to let go of.
    }
    this.set({ snapshot: null });
    return false;
  }

  /** Run an action, showing its failure as the error line; resolves true on success. */
  private async run(action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action();
      if (this.state.error) this.set({ error: null });
      return true;
    } catch (e) {
      this.set({ error: messageOf(e) });
      // The server no longer holds this connection in the room (it moved between server nodes
      // and could not be attached again, R43): take the seat back with the tokens kept here.
      if (e instanceof RequestError && e.code === "NOT_IN_ROOM" && getSocket().connected)
        void this.attach();
      return false;
    }
  }

  /** Take a seat with a nickname. */
  join(nickname: string): Promise<boolean> {
    return this.run(async () => {
      const result = await request("room:join", {
        code: this.code,
        nickname,
        ...deviceToken(),
      });
      saveTokens(this.code, { seatToken: result.seatToken, nickname });
      rememberNickname(nickname);
      this.set({ attached: true, closed: null });
    });
  }

  /** The host replaces the lobby settings. */
  updateSettings(settings: RoomSettingsInput): Promise<boolean> {
    const hostToken = loadTokens(this.code).hostToken;
    if (!hostToken) return Promise.resolve(false);
    return this.run(() => request("room:settings", { code: this.code, hostToken, settings }));
  }

  /**
   * The host sends settings whose surface is a formula (SPEC F7–F8): the server's refusal comes
   * back for the formula box to show inline (not on the error line), an acceptance with the
   * host's difficulty read-out.
   */
  async updateFormulaSettings(
    settings: RoomSettingsInput,
  ): Promise<{ ok: true; preview: FormulaPreview | null } | { ok: false; message: string }> {
    const hostToken = loadTokens(this.code).hostToken;
    if (!hostToken) return { ok: false, message: "Only the room's host can change the settings." };
    try {
      const result = await request("room:settings", { code: this.code, hostToken, settings });
      if (this.state.error) this.set({ error: null });
      return { ok: true, preview: result.formula ?? null };
    } catch (e) {
      return { ok: false, message: messageOf(e) };
    }
  }

  /** The host starts a round. */
  startRound(): Promise<boolean> {
    const hostToken = loadTokens(this.code).hostToken;
    if (!hostToken) return Promise.resolve(false);
    return this.run(() => request("round:start", { code: this.code, hostToken }));
  }

  /**
   * The host adds a ghost (docs/SPEC.md G1): a one-click choice or a replay id. A refusal (no
   * such round, nobody to race yet) comes back as a sentence for the ghost panel to show.
   */
  async addGhost(from: GhostChoice): Promise<{ ok: true } | { ok: false; message: string }> {
    const hostToken = loadTokens(this.code).hostToken;
    if (!hostToken) return { ok: false, message: "Only the room's host can add a ghost." };
    try {
      await request("ghost:add", { code: this.code, hostToken, from });
      return { ok: true };
    } catch (e) {
      return { ok: false, message: messageOf(e) };
    }
  }

  /** The host takes the ghost out. */
  removeGhost(): Promise<boolean> {
    const hostToken = loadTokens(this.code).hostToken;
    if (!hostToken) return Promise.resolve(false);
    return this.run(() => request("ghost:remove", { code: this.code, hostToken }));
  }

  /** Send this turn's move. */
  move(turn: number, angle: number, eta: number): Promise<boolean> {
    return this.run(() => request("round:move", { turn, angle, eta }));
  }

  /** Give up the seat and leave the room. */
  leave(): Promise<boolean> {
    return this.run(async () => {
      await request("room:leave", {});
      saveTokens(this.code, { seatToken: undefined });
      this.set({ attached: false, snapshot: null });
    });
  }

  /** Dismiss the error line. */
  clearError(): void {
    this.set({ error: null });
  }
}

/** A sentence for people from anything thrown. */
export function messageOf(e: unknown): string {
  if (e instanceof RequestError) return sentence(e.message);
  if (e instanceof Error) return sentence(e.message);
  return "Something went wrong. Try again.";
}

/** Create a room (or a solo practice) and keep its tokens; resolves with its code. */
export async function createRoom(options: {
  mode: "room" | "solo";
  nickname?: string;
  hostPlays: boolean;
  settings?: RoomSettingsInput;
  /** A solo practice only: its first round starts at once. */
  start?: boolean;
}): Promise<string> {
  const result = await request("room:create", {
    mode: options.mode,
    hostPlays: options.hostPlays,
    ...(options.start ? { start: true } : {}),
    ...(options.hostPlays && options.nickname ? { nickname: options.nickname } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  saveTokens(result.code, {
    hostToken: result.hostToken,
    ...(result.seatToken ? { seatToken: result.seatToken } : {}),
    ...(options.nickname ? { nickname: options.nickname } : {}),
  });
  if (options.nickname) rememberNickname(options.nickname);
  return result.code;
}

/** Where a ghost comes from (G1), as `ghost:add` takes it. */
export type GhostChoice = ClientPayloadInput<"ghost:add">["from"];

/**
 * G1: a new solo practice that races the winner (or `seat`) of a stored round: the room plays
 * that round's surface and settings. Resolves with the room code; its round is not started.
 */
export async function raceReplay(roundId: string, nickname: string, seat?: number) {
  const code = await createRoom({ mode: "solo", nickname, hostPlays: true });
  const hostToken = loadTokens(code).hostToken!;
  await request("ghost:add", {
    code,
    hostToken,
    from: { kind: "round", roundId, ...(seat !== undefined && { seat }) },
  });
  return code;
}

/** C5: open a solo round on a challenge (its round starts at once); resolves with the room code. */
export async function playChallenge(id: string, nickname: string): Promise<string> {
  const result = await request("challenge:play", { id, nickname });
  saveTokens(result.code, {
    hostToken: result.hostToken,
    ...(result.seatToken ? { seatToken: result.seatToken } : {}),
    nickname,
    context: { kind: "challenge", id: result.challengeId },
  });
  rememberNickname(nickname);
  return result.code;
}

/** The error of a daily request without a player token (no storage in this browser). */
function noPlayerToken(): RequestError {
  return new RequestError(
    "BAD_REQUEST",
    "This browser keeps no storage (private mode?), so the daily cannot be scored here.",
  );
}

/** D5: open today's daily descent (its round starts at once); resolves with the room code. */
export async function playDaily(nickname: string): Promise<string> {
  const token = playerToken();
  if (!token) throw noPlayerToken();
  const result = await request("daily:play", { playerToken: token, nickname });
  saveTokens(result.code, {
    hostToken: result.hostToken,
    ...(result.seatToken ? { seatToken: result.seatToken } : {}),
    nickname,
    context: { kind: "daily", day: result.day, dayKey: result.dayKey, scored: result.scored },
  });
  rememberNickname(nickname);
  return result.code;
}

/** D5: today's daily for this browser: its scored round (null: not played yet) and streak. */
export function dailyStatus(): Promise<DailyStatusResult> {
  const token = playerToken();
  if (!token) return Promise.reject(noPlayerToken());
  return request("daily:status", { playerToken: token });
}

/** C4: share the revealed round of room `code` as a challenge. */
export function shareRound(code: string): Promise<CreateChallengeResult> {
  return request("challenge:create", { code });
}
