/**
 * server/snapshot-json.ts writes exactly JSON.stringify(snapshot) for every viewer of a broadcast
 * (players, host, spectators; playing and revealed), while serialising the shared arrays once.
 */
import { describe, expect, it } from "vitest";
import { createRound, reduce, viewMaker } from "../../lib/game";
import type { RoundState, Viewer } from "../../lib/game";
import { bowl, testEnv, testRef } from "../../lib/game/test-utils";
import { roomSettingsSchema } from "../../lib/protocol";
import type { RoomSnapshot } from "../../lib/protocol";
import { DEFAULT_LIMITS, reduceRoom, roomViewMaker } from "../../lib/room";
import type { RoomAction, RoomEnv, RoomState } from "../../lib/room";
import { SnapshotJson } from "../../server/snapshot-json";

function play(turns: number, stopBefore: number): RoundState {
  const players = Array.from({ length: 12 }, (_, i) => ({
    id: `p${i}`,
    nickname: i === 3 ? 'Q"uote\\ \u00e9 "\\u0001race\\u0001"' : `Player ${i}`,
  }));
  const created = createRound({
    surface: { kind: "catalog", id: "himmelblau" },
    settings: { turns, secondsPerTurn: 30 },
    seed: 7,
    players,
    startedAt: 1e12,
  });
  if (!created.ok) throw new Error(created.error.message);
  let state = created.state;
  for (let t = 0; t < Math.min(turns, stopBefore); t++) {
    for (const [i, p] of players.entries()) {
      if (i % 5 === 4) continue;
      const moved = reduce(state, {
        type: "move",
        playerId: p.id,
        angle: i * 0.7 + t,
        eta: 0.1 + (i % 3) * 0.1,
        at: 1e12 + t * 1000 + i,
      });
      if (moved.ok) state = moved.state;
    }
    const resolved = reduce(state, { type: "resolve", at: 1e12 + t * 1000 + 900 });
    if (resolved.ok) state = resolved.state;
  }
  return state;
}

function snapshot(round: RoomSnapshot["round"], you: string | null): RoomSnapshot {
  return {
    protocolVersion: 1,
    code: "ABCDEF",
    mode: "room",
    rev: 3,
    serverTime: 1e12,
    phase: round?.phase === "playing" ? "playing" : "revealed",
    roundNumber: 1,
    you: {
      role: you ? "player" : "spectator",
      isHost: false,
      playerId: you,
      nickname: null,
      inRound: true,
    },
    hostConnected: true,
    members: [],
    settings: {
      turns: 3,
      secondsPerTurn: 30,
      hint: "gradient",
      bot: { optimizer: "gd" },
      surface: null,
    },
    turnDeadline: null,
    round,
  };
}

describe("SnapshotJson", () => {
  for (const [label, state] of [
    ["playing", play(3, 2)],
    ["revealed", play(3, 3)],
  ] as const) {
    it(`equals JSON.stringify for every viewer (${label})`, () => {
      const make = viewMaker(state);
      const json = new SnapshotJson(make({ role: "spectator" }));
      const viewers: Viewer[] = [
        { role: "spectator" },
        { role: "host" },
        ...state.players.map((p) => ({ role: "player" as const, playerId: p.id })),
        { role: "player", playerId: "not-in-round" },
      ];
      for (const viewer of viewers) {
        const snap = snapshot(make(viewer), viewer.role === "player" ? viewer.playerId : null);
        expect(json.stringify(snap)).toBe(JSON.stringify(snap));
      }
      // A view from another maker (no shared arrays) is serialised correctly too.
      const other = snapshot(viewMaker(state)({ role: "player", playerId: "p2" }), "p2");
      expect(json.stringify(other)).toBe(JSON.stringify(other));
    });
  }
});

describe("SnapshotJson on a room's snapshots (members and settings shared too)", () => {
  const env: RoomEnv = {
    ...testEnv,
    catalog: [{ id: bowl.id, difficulty: "easy" }],
    limits: DEFAULT_LIMITS,
  };
  const T0 = 1_700_000_000_000;
  const ids = Array.from({ length: 10 }, (_, i) => `player-${i}`);

  /** A room of ten (a classroom without rankings when `noRankings`), `turns` turns played. */
  function room(turns: number, noRankings: boolean | null): RoomState {
    let state: RoomState | null = null;
    const apply = (action: RoomAction) => {
      const out = reduceRoom(state, action, env);
      if (!out.ack.ok || !out.state) throw new Error(JSON.stringify(out.ack));
      state = out.state;
    };
    const settings = roomSettingsSchema.parse({
      surface: { kind: "catalog", id: bowl.id },
      turns: 3,
    });
    apply({
      type: "create",
      at: T0,
      code: "JSON01",
      mode: noRankings === null ? "room" : "classroom",
      hostTokenHash: "host",
      settings,
      ...(noRankings !== null && {
        classroom: { id: "c", name: "Class", plan: [settings], noRankings },
      }),
    });
    for (const [i, playerId] of ids.entries()) {
      // The fourth name would break a careless marker search.
      const nickname = i === 3 ? 'Q"\\u0001members\\u0001' : `Player ${i}`;
      apply({ type: "join", at: T0, seat: { playerId, nickname, seatTokenHash: `s${i}` } });
    }
    apply({
      type: "start",
      at: T0 + 1000,
      hostTokenHash: "host",
      surface: testRef(bowl),
      seed: 3,
      roundId: "r1",
    });
    for (let t = 0; t < turns; t++) {
      for (const [i, playerId] of ids.entries()) {
        if (t === turns - 1 && i % 3 === 0) continue; // some have not moved yet
        apply({
          type: "move",
          at: T0 + 2000 + t * 1000 + i,
          playerId,
          asHost: false,
          turn: t,
          angle: i + t,
          eta: 0.1,
        });
      }
      // A turn everyone moved in has closed already; the others close on their timer.
      const open = (state as RoomState | null)?.round?.turn === t;
      if (t < turns - 1 && open) apply({ type: "timer", at: T0 + 2900 + t * 1000, id: "turn" });
    }
    if (turns === 3) {
      // The last turn closes on its timer; the reveal comes when the save's wait runs out.
      if ((state as RoomState | null)?.round?.turn === 2) {
        apply({ type: "timer", at: T0 + 4900, id: "turn" });
      }
      apply({ type: "timer", at: T0 + 20_000, id: "persist" });
    }
    return state!;
  }

  for (const [label, turns, noRankings] of [
    ["a room, playing", 2, null],
    ["a room, revealed", 3, null],
    ["a classroom with rankings", 2, false],
    ["a classroom without rankings (peers hidden or anonymous)", 2, true],
  ] as const) {
    it(`equals JSON.stringify for every viewer: ${label}`, () => {
      const state = room(turns, noRankings);
      const make = roomViewMaker(state, env, { now: T0 + 99_999 });
      const json = new SnapshotJson(make.base, make.members);
      const viewers = [
        ...ids.map((playerId) => ({ isHost: false, playerId })),
        { isHost: true, playerId: null },
        { isHost: false, playerId: null },
        { isHost: false, playerId: "nobody" },
      ];
      for (const viewer of viewers) {
        const snap = make(viewer);
        expect(snap.members.length).toBeGreaterThan(0);
        expect(snap.round?.phase).toBe(turns === 3 ? "revealed" : "playing");
        expect(json.stringify(snap)).toBe(JSON.stringify(snap));
      }
    });
  }
});
