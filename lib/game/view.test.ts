import { describe, expect, it } from "vitest";
import { createRound, reduce } from "./rules";
import type { RoundSettingsInput } from "./settings";
import type { RoundAction, RoundState } from "./state";
import { BOWL_MIN, bowl, deepFreeze, testEnv, testRef } from "./test-utils";
import { withoutPeerReveal, withPeerReveal } from "./reveal-share";
import { viewFor } from "./view";
import type { PeerVisibility, RoundView, Viewer } from "./view";
import type { Vec2 } from "../types";

const SEED = 987654321;
const players = [
  { id: "secret-id-ana", nickname: "Ana" },
  { id: "secret-id-bo", nickname: "Bo" },
  { id: "secret-id-cy", nickname: "Cy" },
];

function played(settings: RoundSettingsInput, turnsPlayed: number): RoundState {
  const created = createRound(
    { surface: testRef(bowl), seed: SEED, players, settings, startedAt: 0 },
    testEnv,
  );
  if (!created.ok) throw new Error(created.error.message);
  let state = deepFreeze(created.state);
  const step = (action: RoundAction) => {
    const next = reduce(state, action, testEnv);
    if (!next.ok) throw new Error(next.error.message);
    state = deepFreeze(next.state);
  };
  for (let k = 0; k < turnsPlayed; k++) {
    step({ type: "move", playerId: "secret-id-ana", angle: 0.3 + k, eta: 0.81, at: 1000 * k + 1 });
    step({ type: "move", playerId: "secret-id-bo", angle: -2.2 + k, eta: 0.67, at: 1000 * k + 2 });
    step({ type: "resolve", at: 1000 * k + 500 });
  }
  return state;
}

const ana: Viewer = { role: "player", playerId: "secret-id-ana" };
const json = (view: RoundView) => JSON.stringify(view);

/** The distinctive coordinates of a path after θ₀ (edge values like 3 are public: the box). */
function coordinates(path: readonly Vec2[]): string[] {
  return path
    .slice(1)
    .flatMap((p) => [JSON.stringify(p[0]), JSON.stringify(p[1])])
    .filter((text) => text.length >= 8);
}

function secretsBeforeReveal(state: RoundState): string[] {
  return [
    bowl.id,
    bowl.name,
    bowl.description,
    bowl.formula,
    String(BOWL_MIN[0]),
    String(BOWL_MIN[1]),
    String(SEED),
    "minima",
    "secret-id-bo",
    "secret-id-cy",
    ...coordinates(state.players[1]?.path ?? []),
    ...coordinates(state.bot?.path ?? []),
  ];
}

describe("viewFor before the reveal", () => {
  it("R10: a player's view leaks no surface, no one else's position or id, no bot position", () => {
    for (const hint of ["gradient", "taylor", "blind"] as const) {
      const state = played({ hint, turns: 5 }, 3);
      // Bo's pending move of turn 3 must not leak either.
      const withPending = reduce(
        state,
        { type: "move", playerId: "secret-id-bo", angle: 1.2345678, eta: 0.4321987, at: 3001 },
        testEnv,
      );
      if (!withPending.ok) throw new Error(withPending.error.message);
      const text = json(viewFor(withPending.state, ana, testEnv));
      expect(coordinates(state.players[1]?.path ?? []).length).toBeGreaterThan(3);
      expect(coordinates(state.bot?.path ?? []).length).toBeGreaterThan(3);
      const secrets = [...secretsBeforeReveal(state), "1.2345678", "0.4321987"];
      for (const secret of secrets) expect(text, `${hint}: ${secret}`).not.toContain(secret);
      // Ana's own path is there.
      for (const c of coordinates(state.players[0]?.path ?? [])) expect(text).toContain(c);
    }
  });

  it("R10: host and spectators see the race but no positions at all", () => {
    const state = played({ turns: 5 }, 3);
    for (const viewer of [{ role: "host" }, { role: "spectator" }] as const) {
      const view = viewFor(state, viewer, testEnv);
      expect(view.role).toBe(viewer.role);
      expect(view.you).toBeNull();
      expect(view.reveal).toBeNull();
      const text = json(view);
      for (const secret of [
        ...secretsBeforeReveal(state),
        "secret-id-ana",
        ...coordinates(state.players[0]?.path ?? []),
      ]) {
        expect(text).not.toContain(secret);
      }
      expect(view.race.players.map((p) => p.losses)).toEqual(state.players.map((p) => p.losses));
    }
  });

  it("R10: the player sees their own history, the field, the public settings and the race", () => {
    const state = played({ turns: 5, secondsPerTurn: 20 }, 2);
    const view = viewFor(state, ana, testEnv);
    const me = state.players[0];
    expect(view.role).toBe("player");
    expect(view.phase).toBe("playing");
    expect(view.turn).toBe(2);
    expect(view.settings).toEqual({
      turns: 5,
      secondsPerTurn: 20,
      etaMax: bowl.etaMax,
      hint: "gradient",
      bot: "gd",
    });
    expect(view.deadline).toBe(1500 + 20_000);
    expect(view.field).toEqual({ domain: bowl.domain, start: bowl.start });
    expect(view.you?.seat).toBe(0);
    expect(view.you?.path).toEqual(me?.path);
    expect(view.you?.losses).toEqual(me?.losses);
    expect(view.you?.feedback).toEqual(me?.feedback);
    expect(view.you?.gradient).toEqual(bowl.gradient(me?.path[2] ?? [0, 0]));
    expect(view.you?.pendingMove).toBeNull();
    expect(view.race.players).toEqual([
      { seat: 0, nickname: "Ana", you: true, losses: me?.losses, moved: false },
      { seat: 1, nickname: "Bo", you: false, losses: state.players[1]?.losses, moved: false },
      { seat: 2, nickname: "Cy", you: false, losses: state.players[2]?.losses, moved: false },
    ]);
    expect(view.race.bot).toEqual({ optimizer: "gd", losses: state.bot?.losses });
    expect(view.reveal).toBeNull();
    expect(JSON.parse(json(view))).toEqual(view);
  });

  it("R10: who has moved is shown, the move only to its author", () => {
    const state = played({ turns: 5 }, 1);
    const next = reduce(
      state,
      { type: "move", playerId: "secret-id-cy", angle: 2, eta: 0.5, at: 1200 },
      testEnv,
    );
    if (!next.ok) throw new Error(next.error.message);
    const view = viewFor(next.state, ana, testEnv);
    expect(view.race.players.map((p) => p.moved)).toEqual([false, false, true]);
    expect(view.you?.pendingMove).toBeNull();
    const cy = viewFor(next.state, { role: "player", playerId: "secret-id-cy" }, testEnv);
    expect(cy.you?.pendingMove).toEqual({ angle: 2, eta: 0.5, at: 1200 });
  });

  it("R10: gradient and taylor hints send the gradient; blind sends none and hides prediction and β", () => {
    for (const hint of ["gradient", "taylor"] as const) {
      const view = viewFor(played({ hint, turns: 5 }, 2), ana, testEnv);
      expect(view.you?.gradient).not.toBeNull();
      expect(view.you?.feedback.every((f) => f.predicted !== null && f.beta !== null)).toBe(true);
    }
    const state = played({ hint: "blind", turns: 5 }, 2);
    const view = viewFor(state, ana, testEnv);
    expect(view.you?.gradient).toBeNull();
    expect(view.you?.feedback.every((f) => f.predicted === null && f.beta === null)).toBe(true);
    expect(view.you?.feedback.map((f) => [f.loss, f.deltaLoss])).toEqual(
      state.players[0]?.feedback.map((f) => [f.loss, f.deltaLoss]),
    );
    const text = json(view);
    for (const f of state.players[0]?.feedback ?? []) {
      expect(text).not.toContain(String(f.predicted));
      expect(text).not.toContain(String(f.beta));
    }
  });

  it("R10: an unknown player id is served the spectator view", () => {
    const state = played({ turns: 5 }, 1);
    const view = viewFor(state, { role: "player", playerId: "nobody" }, testEnv);
    expect(view).toEqual(viewFor(state, { role: "spectator" }, testEnv));
    expect(view.role).toBe("spectator");
  });
});

describe("viewFor after the reveal", () => {
  it("R11: everyone sees the surface, every path, the bot's and the results", () => {
    const state = played({ turns: 3, hint: "blind" }, 3);
    expect(state.phase).toBe("revealed");
    for (const viewer of [ana, { role: "host" }, { role: "spectator" }] as const) {
      const view = viewFor(state, viewer, testEnv);
      const reveal = view.reveal;
      expect(reveal).not.toBeNull();
      expect(reveal?.surface).toEqual({
        ref: testRef(bowl),
        id: bowl.id,
        name: bowl.name,
        description: bowl.description,
        formula: bowl.formula,
        difficulty: bowl.difficulty,
        domain: bowl.domain,
        start: bowl.start,
        minima: bowl.minima,
      });
      expect(reveal?.settings).toEqual(state.settings);
      expect(reveal?.seed).toBe(SEED);
      expect(reveal?.players.map((p) => p.path)).toEqual(state.players.map((p) => p.path));
      expect(reveal?.players.map((p) => p.feedback)).toEqual(state.players.map((p) => p.feedback));
      expect(reveal?.bot).toEqual({
        optimizer: "gd",
        path: state.bot?.path,
        losses: state.bot?.losses,
      });
      expect(reveal?.results.ranking.map((r) => [r.seat, r.rank, r.score])).toEqual(
        state.results?.ranking.map((r) => [r.seat, r.rank, r.score]),
      );
      expect(reveal?.results.bot).toEqual(state.results?.bot);
      expect(reveal?.results.scale).toEqual(state.results?.scale);
      expect(view.you?.gradient ?? null).toBeNull();
      const text = json(view);
      for (const secret of secretsBeforeReveal(state).filter((s) => !s.startsWith("secret-id"))) {
        expect(text).toContain(secret);
      }
      // Ids stay private even after the reveal.
      expect(text).not.toContain("secret-id");
    }
    const mine = viewFor(state, ana, testEnv);
    expect(mine.reveal?.players.map((p) => p.you)).toEqual([true, false, false]);
    expect(mine.reveal?.results.ranking.find((r) => r.you)?.seat).toBe(0);
    // After the reveal the blind player's own feedback carries prediction and β again.
    expect(mine.you?.feedback).toEqual(state.players[0]?.feedback);
  });
});

describe("R11a: a big reveal's shared entries travel once", () => {
  const state = played({ turns: 2 }, 2);
  const viewers: Viewer[] = [
    ana,
    { role: "player", playerId: "secret-id-bo" },
    { role: "player", playerId: "secret-id-cy" },
    { role: "host" },
    { role: "spectator" },
  ];

  it("withPeerReveal(withoutPeerReveal(view), the spectator's entries) gives the view back", () => {
    for (const peers of ["named", "anonymous"] as const satisfies readonly PeerVisibility[]) {
      const shared = viewFor(state, { role: "spectator" }, testEnv, { peers }).reveal?.players;
      expect(shared).toHaveLength(3);
      for (const viewer of viewers) {
        const view = viewFor(state, viewer, testEnv, { peers });
        const light = withoutPeerReveal(view);
        // Only the viewer's own entry stays (none for host and spectators).
        expect(light.reveal?.players.map((p) => p.seat)).toEqual(view.you ? [view.you.seat] : []);
        expect(light.reveal?.results).toEqual(view.reveal?.results);
        expect(withPeerReveal(light, shared ?? [])).toEqual(view);
      }
    }
  });

  it("leaves views without a reveal alone, and keeps an own entry the shared list lacks", () => {
    const playing = played({ turns: 3 }, 1);
    const view = viewFor(playing, ana, testEnv);
    expect(withoutPeerReveal(view)).toBe(view);
    expect(withPeerReveal(view, [])).toBe(view);
    const revealed = viewFor(state, ana, testEnv);
    const merged = withPeerReveal(withoutPeerReveal(revealed), []);
    expect(merged.reveal?.players.map((p) => [p.seat, p.you])).toEqual([[0, true]]);
  });
});

describe("R11b: a finished round sealed until it is stored", () => {
  it("shows the last turn's result under R10's rules: nothing of the surface, no reveal", () => {
    const state = played({ turns: 3, hint: "blind" }, 3);
    expect(state.phase).toBe("revealed");
    for (const viewer of [ana, { role: "host" }, { role: "spectator" }] as const) {
      const view = viewFor(state, viewer, testEnv, { sealed: true });
      expect(view.phase).toBe("playing");
      expect(view.turn).toBe(3);
      expect(view.reveal).toBeNull();
      expect(view.deadline).toBeNull();
      expect(view.race.players.map((p) => p.losses)).toEqual(state.players.map((p) => p.losses));
      expect(view.race.players.every((p) => !p.moved)).toBe(true);
      const text = json(view);
      for (const secret of secretsBeforeReveal(state)) expect(text).not.toContain(secret);
    }
    const mine = viewFor(state, ana, testEnv, { sealed: true });
    // The last turn's result is there; blind stays blind until the reveal; no more gradient.
    expect(mine.you?.path).toEqual(state.players[0]?.path);
    expect(mine.you?.feedback).toHaveLength(3);
    expect(mine.you?.feedback.every((f) => f.predicted === null && f.beta === null)).toBe(true);
    expect(mine.you?.gradient).toBeNull();
    // Unsealed, the same state is the reveal.
    expect(viewFor(state, ana, testEnv).reveal).not.toBeNull();
  });

  it("does not change a round still being played", () => {
    const state = played({ turns: 3 }, 1);
    expect(viewFor(state, ana, testEnv, { sealed: true })).toEqual(viewFor(state, ana, testEnv));
  });
});
