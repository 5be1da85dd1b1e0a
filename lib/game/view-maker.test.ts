/**
 * viewMaker: one state's views for many viewers with the shared parts built once; each view equals
 * viewFor's.
 */
import { describe, expect, it } from "vitest";
import { createRound, reduce, viewFor, viewMaker } from "./index";
import type { RoundState } from "./index";

describe("viewMaker (R10, R11)", () => {
  it("gives every player the view viewFor gives, sharing the other players' entries", () => {
    const players = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, nickname: `P${i}` }));
    const created = createRound({
      surface: { kind: "catalog", id: "himmelblau" },
      settings: { turns: 2, secondsPerTurn: 0 },
      seed: 1,
      players,
    });
    if (!created.ok) throw new Error(created.error.message);
    let state: RoundState = created.state;
    for (let turn = 0; turn < 2; turn++) {
      for (const [i, p] of players.entries()) {
        const moved = reduce(state, { type: "move", playerId: p.id, angle: i, eta: 0.2, at: turn });
        if (moved.ok) state = moved.state;
      }
      const resolved = reduce(state, { type: "resolve", at: turn + 0.5 });
      if (resolved.ok) state = resolved.state;
    }
    expect(state.phase).toBe("revealed");
    const make = viewMaker(state);
    for (const p of players) {
      const view = make({ role: "player", playerId: p.id });
      expect(view).toEqual(viewFor(state, { role: "player", playerId: p.id }));
      expect(view.reveal?.players.filter((x) => x.you).map((x) => x.seat)).toEqual([
        view.you?.seat,
      ]);
    }
    expect(make({ role: "host" })).toEqual(viewFor(state, { role: "host" }));
    expect(make({ role: "spectator" }).role).toBe("spectator");
    // The other players' revealed paths are the same objects in every player's view.
    const a = make({ role: "player", playerId: "p0" });
    const b = make({ role: "player", playerId: "p1" });
    expect(a.reveal?.players[2]).toBe(b.reveal?.players[2]);
    expect(a.reveal?.players[0]?.you).toBe(true);
    expect(b.reveal?.players[0]?.you).toBe(false);
  });
});
