import { progressFor, roomViewMaker, sharedRevealFor } from "../lib/room";
import type { RoomEnv, RoomLimits, RoomState, Urgency } from "../lib/room";
import type { Clock, TimerHandle } from "./clock";
import type { Logger } from "./logger";
import type { Session } from "./room";
import type { RevealShare } from "./room-deps";
import { SnapshotJson } from "./snapshot-json";
import { newToken, tokensEqual } from "./tokens";

/**
 * How one room's changes reach its connections: batching and throttling of snapshots and
 * `room:progress` patches, and a big reveal's shared entries (R11a). What each connection sees is
 * lib/room's view function's; this class only decides when to send it, and to whom.
 */
export class RoomSender {
  private revealShare: (RevealShare & { readonly round: RoomState["round"] }) | null = null;
  private flushPending = false;
  private progressTimer: TimerHandle | null = null;
  private presenceTimer: TimerHandle | null = null;
  private lastProgressAt = -Infinity;
  private lastFullAt = -Infinity;
  private dirtyAll = false;
  private progressDirty = false;
  private readonly dirtySessions = new Set<Session>();
  /** The room's `rev` in the last full snapshot each connection was sent. */
  private readonly sentRev = new WeakMap<Session, number>();
  private stopped = false;

  constructor(
    private readonly deps: {
      readonly clock: Clock;
      readonly logger: Logger;
      readonly limits: RoomLimits;
      readonly env: RoomEnv;
      /** The room's state now. */
      readonly state: () => RoomState;
      /** The connections attached now. */
      readonly sessions: () => Iterable<Session>;
    },
  ) {}

  /**
   * Schedule what to send after a change (the rules say how urgent it is):
   * - `now`: a full snapshot to every connection at the next turn of the event loop (changes in
   *   the same tick are coalesced);
   * - `presence`: a full snapshot at once to the connection that attached, and to everyone at
   *   most every `presenceIntervalMs` (a wave of reconnections costs one broadcast, not sixty);
   * - `progress`: a full snapshot to the mover only, and a small `room:progress` patch to
   *   everyone at most every `progressIntervalMs` (a turn's moves cost O(players) messages).
   */
  broadcast(urgency: Urgency, actor: Session | undefined): void {
    if (this.stopped) return;
    const { clock, limits } = this.deps;
    if (urgency === "now") {
      this.dirtyAll = true;
      this.scheduleFlush();
      return;
    }
    if (actor) {
      this.dirtySessions.add(actor);
      this.scheduleFlush();
    }
    if (urgency === "presence") {
      if (this.presenceTimer) return;
      const wait = this.lastFullAt + limits.presenceIntervalMs - clock.now();
      this.presenceTimer = clock.setTimeout(
        () => {
          this.presenceTimer = null;
          this.dirtyAll = true;
          this.flush();
        },
        Math.max(0, wait),
      );
      return;
    }
    this.progressDirty = true;
    if (this.progressTimer) return;
    const wait = this.lastProgressAt + limits.progressIntervalMs - clock.now();
    this.progressTimer = clock.setTimeout(() => this.flushProgress(), Math.max(0, wait));
  }

  /** A connection left: nothing more is sent to it. */
  forget(session: Session): void {
    this.dirtySessions.delete(session);
  }

  /** The room closed: cancel everything pending. */
  stop(): void {
    this.stopped = true;
    this.cancelThrottles();
    this.dirtySessions.clear();
  }

  /** The `revealPlayers.href` of the current reveal when it is shared by reference (R11a). */
  shareHref(): string | null {
    const state = this.deps.state();
    if (state.gate !== "revealed" || !state.round) return null;
    if (this.revealShare?.round !== state.round) {
      const body = sharedRevealFor(state, this.deps.env);
      this.revealShare = body && {
        round: state.round,
        key: newToken(),
        roundNumber: body.roundNumber,
        players: body.players.length,
        json: JSON.stringify(body),
      };
    }
    return this.revealShare ? `/api/rooms/${state.code}/reveals/${this.revealShare.key}` : null;
  }

  /** The current reveal's shared entries when `key` is theirs, else null. */
  revealPlayers(key: string): RevealShare | null {
    const share = this.revealShare;
    if (this.stopped || !share || share.round !== this.deps.state().round) return null;
    return tokensEqual(share.key, key) ? share : null;
  }

  private cancelThrottles(): void {
    for (const timer of [this.presenceTimer, this.progressTimer]) {
      if (timer) this.deps.clock.clearTimeout(timer);
    }
    this.presenceTimer = this.progressTimer = null;
  }

  private scheduleFlush(): void {
    if (this.flushPending) return;
    this.flushPending = true;
    this.deps.clock.defer(() => {
      if (this.flushPending) this.flush();
    });
  }

  /** Send the pending full snapshots (views shared between equal viewers). */
  private flush(): void {
    this.flushPending = false;
    if (this.stopped) return;
    const state = this.deps.state();
    const all = this.dirtyAll;
    const targets = all
      ? [...this.deps.sessions()]
      : [...this.dirtySessions].filter((s) => s.room !== null);
    this.dirtyAll = false;
    this.dirtySessions.clear();
    if (all) {
      // A full snapshot to everyone supersedes pending presence and progress messages.
      const now = this.deps.clock.now();
      this.lastFullAt = now;
      this.lastProgressAt = now;
      this.progressDirty = false;
      this.cancelThrottles();
    }
    if (targets.length === 0) return;
    const make = roomViewMaker(state, this.deps.env, {
      now: this.deps.clock.now(),
      revealHref: this.shareHref(),
    });
    const json = new SnapshotJson(make.base, make.members);
    for (const session of targets) {
      try {
        const snapshot = make({ isHost: session.isHost, playerId: session.playerId });
        if (session.conn.sendJson) {
          // Serialised here (shared arrays once per broadcast); written as a pre-encoded packet.
          session.conn.sendJson("room:state", json.stringify(snapshot));
        } else {
          session.conn.send("room:state", snapshot);
        }
        this.sentRev.set(session, state.rev);
      } catch (error) {
        this.deps.logger.error("snapshot failed", { room: state.code, error: String(error) });
      }
    }
  }

  /**
   * Send everyone who has moved in the current turn (`room:progress`), except the connections
   * whose last full snapshot is of the room as it is now (a mover's, since nobody else moved):
   * the patch would change nothing there (lib/protocol `applyProgress` ignores a patch that is
   * not newer), and a frame less is a write less.
   */
  private flushProgress(): void {
    if (this.progressTimer) this.deps.clock.clearTimeout(this.progressTimer);
    this.progressTimer = null;
    if (this.stopped || !this.progressDirty) return;
    this.progressDirty = false;
    const state = this.deps.state();
    const progress = progressFor(state);
    if (!progress) return;
    this.lastProgressAt = this.deps.clock.now();
    const json = JSON.stringify(progress);
    for (const session of this.deps.sessions()) {
      if (this.sentRev.get(session) === state.rev) continue;
      if (session.conn.sendJson) session.conn.sendJson("room:progress", json);
      else session.conn.send("room:progress", progress);
    }
  }
}
