/**
 * server/snapshot-json.ts writes exactly JSON.stringify(snapshot) for every viewer of a broadcast
 * (players, host, spectators; playing and revealed), while serialising the shared arrays once.
 */
import { describe, expect, it } from "vitest";
import { createRound, reduce, viewMaker } from "../../lib/game";
import type { RoundState, Viewer } from "../../lib/game";
import type { RoomSnapshot } from "../../lib/protocol";
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
