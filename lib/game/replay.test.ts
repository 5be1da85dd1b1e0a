import { describe, expect, it } from "vitest";
import { inBox } from "../geometry";
import { createRng } from "../random";
import type { Rng } from "../random";
import { resolveSurface } from "../surface-ref";
import type { SurfaceRef } from "../surface-ref";
import type { RoundEnv } from "./env";
import { RoundErrorCode } from "./errors";
import { recordOf, replayRound } from "./replay";
import { createRound, reduce, waitingFor } from "./rules";
import type { RoundSettingsInput } from "./settings";
import type { RoundAction, RoundState } from "./state";
import { bowl, deepFreeze, plane, testEnv, testRef } from "./test-utils";
import { viewFor } from "./view";

function mustCreate(
  surface: SurfaceRef,
  settings: RoundSettingsInput,
  playerCount: number,
  env?: RoundEnv,
): RoundState {
  const created = createRound(
    {
      surface,
      settings,
      seed: 31337,
      startedAt: 0,
      players: Array.from({ length: playerCount }, (_, i) => ({
        id: `id-${i}`,
        nickname: `P${i}`,
      })),
    },
    env,
  );
  if (!created.ok) throw new Error(created.error.message);
  return deepFreeze(created.state);
}

function step(state: RoundState, action: RoundAction, env?: RoundEnv): RoundState {
  const next = reduce(state, action, env);
  if (!next.ok) throw new Error(`${next.error.code}: ${next.error.message}`);
  return deepFreeze(next.state);
}

/** A player who reads the gradient from their own view and steps against it (hint "gradient"). */
function descend(state: RoundState, playerId: string, eta: number, at: number, env?: RoundEnv) {
  const view = viewFor(state, { role: "player", playerId }, env);
  const g = view.you?.gradient;
  if (!g) throw new Error("no gradient in the view");
  return step(state, { type: "move", playerId, angle: Math.atan2(-g[1], -g[0]), eta, at }, env);
}

describe("replay", () => {
  it("R16: replaying the record rebuilds the state bit for bit, mid-round and at the end", () => {
    let state = mustCreate(testRef(bowl), { turns: 3, bot: { optimizer: "adam" } }, 3, testEnv);
    const actions: RoundAction[] = [
      { type: "move", playerId: "id-1", angle: 0.5, eta: 0.7, at: 10 },
      { type: "move", playerId: "id-0", angle: -1, eta: 1, at: 12 },
      { type: "resolve", at: 100 },
      { type: "move", playerId: "id-2", angle: 3, eta: 0.2, at: 110 },
    ];
    for (const action of actions) state = step(state, action, testEnv);
    const mid = replayRound(recordOf(state), testEnv);
    expect(mid.ok && mid.state).toEqual(state);
    state = step(state, { type: "resolve", at: 200 }, testEnv);
    state = step(state, { type: "resolve", at: 300 }, testEnv);
    expect(state.phase).toBe("revealed");
    const record = JSON.parse(JSON.stringify(recordOf(state)));
    const replayed = replayRound(record, testEnv);
    expect(replayed.ok).toBe(true);
    if (!replayed.ok) return;
    expect(replayed.state).toEqual(state);
    expect(JSON.stringify(replayed.state)).toBe(JSON.stringify(state));
    expect(replayed.state.results).toEqual(state.results);
  });

  it("R16: the record is the creation input plus the accepted actions only", () => {
    let state = mustCreate(testRef(plane), { turns: 2 }, 2, testEnv);
    state = step(state, { type: "move", playerId: "id-0", angle: 1, eta: 1, at: 5 }, testEnv);
    // Refused actions leave no trace.
    expect(
      reduce(state, { type: "move", playerId: "id-0", angle: 1, eta: 1, at: 6 }, testEnv).ok,
    ).toBe(false);
    const record = recordOf(state);
    expect(record).toEqual({
      surface: testRef(plane),
      settings: state.settings,
      seed: 31337,
      players: [
        { id: "id-0", nickname: "P0" },
        { id: "id-1", nickname: "P1" },
      ],
      startedAt: 0,
      actions: [{ type: "move", playerId: "id-0", angle: 1, eta: 1, at: 5, turn: 0 }],
    });
  });

  it("R16: a record that does not replay gives INVALID_RECORD naming the action", () => {
    const state = mustCreate(testRef(bowl), { turns: 2 }, 1, testEnv);
    const record = recordOf(state);
    const bad = replayRound(
      {
        ...record,
        actions: [
          { type: "move", playerId: "id-0", angle: 1, eta: 0.5, at: 5 },
          { type: "move", playerId: "id-0", angle: 1, eta: 0.5, at: 6 },
        ],
      },
      testEnv,
    );
    expect(!bad.ok && bad.error).toEqual({
      code: RoundErrorCode.INVALID_RECORD,
      message:
        'action 1 is refused (ALREADY_MOVED): player "id-0" has already moved in turn 0; the first move stands',
    });
    const noSurface = replayRound({ ...record, surface: { kind: "catalog", id: "gone" } }, testEnv);
    expect(!noSurface.ok && noSurface.error.code).toBe(RoundErrorCode.INVALID_RECORD);
  });
});

describe("rounds on real surfaces (production path: the surface is resolved from its ref)", () => {
  const cases: [string, SurfaceRef][] = [
    ["catalog rosenbrock", { kind: "catalog", id: "rosenbrock" }],
    ["catalog himmelblau", { kind: "catalog", id: "himmelblau" }],
    ["procedural 42 medium", { kind: "procedural", seed: 42, difficulty: "medium" }],
    ["procedural 7 hard", { kind: "procedural", seed: 7, difficulty: "hard" }],
  ];
  it.each(cases)("R1–R16: a full round on %s", (_, ref) => {
    const surface = resolveSurface(ref);
    let state = mustCreate(ref, { turns: 12, bot: { optimizer: "momentum" } }, 3);
    const eta = surface.etaMax / 4;
    for (let turn = 0; turn < 12; turn++) {
      // P0 descends along −∇L, P1 moves up the gradient every other turn, P2 never moves.
      state = descend(state, "id-0", eta, 1000 * turn + 1);
      if (turn % 2 === 0) {
        const view = viewFor(state, { role: "player", playerId: "id-1" });
        const g = view.you?.gradient ?? [1, 0];
        state = step(state, {
          type: "move",
          playerId: "id-1",
          angle: Math.atan2(g[1], g[0]),
          eta,
          at: 1000 * turn + 2,
        });
      }
      expect(waitingFor(state)).toEqual(turn % 2 === 0 ? ["id-2"] : ["id-1", "id-2"]);
      state = step(state, { type: "resolve", at: 1000 * turn + 500 });
    }
    expect(state.phase).toBe("revealed");
    const results = state.results;
    if (!results) throw new Error("no results");
    const [p0, p1, p2] = state.players;
    for (const player of state.players) {
      expect(player.path.every((theta) => inBox(theta, surface.domain))).toBe(true);
    }
    expect(state.bot?.path.every((theta) => inBox(theta, surface.domain))).toBe(true);
    expect(p0?.losses.at(-1)).toBeLessThan(p0?.losses[0] ?? -Infinity);
    expect(p1?.feedback.every((f) => f.move === null || (f.beta ?? 0) < Math.PI / 2)).toBe(true);
    expect(p0?.feedback.every((f) => f.beta === null || f.beta > Math.PI / 2)).toBe(true);
    expect(
      p2?.path.every((theta) => theta[0] === surface.start[0] && theta[1] === surface.start[1]),
    ).toBe(true);
    expect(results.scale).toEqual({
      startLoss: surface.loss(surface.start),
      minLoss: surface.minima[0]?.loss,
    });
    expect(results.ranking[0]?.playerId).toBe("id-0");
    expect(results.ranking.find((r) => r.playerId === "id-2")?.score).toBe(0);
    expect(results.bot?.optimizer).toBe("momentum");
    const replayed = replayRound(JSON.parse(JSON.stringify(recordOf(state))));
    expect(replayed.ok && replayed.state).toEqual(state);
    const reveal = viewFor(state, { role: "spectator" }).reveal;
    expect(reveal?.surface.id).toBe(surface.id);
    expect(reveal?.surface.minima).toEqual(surface.minima);
  });
});

/** A random (often invalid) action, biased towards valid moves. */
function randomAction(rng: Rng, state: RoundState, at: number): RoundAction {
  const ids = [...state.players.map((p) => p.id), "intruder"];
  const r = rng.next();
  if (r < 0.2) return { type: "resolve", at };
  if (r < 0.25) return { type: "resolve", at, turn: state.turn + rng.int(3) - 1 };
  const playerId = ids[rng.int(ids.length)] ?? "intruder";
  const weird = [0, -0.5, Number.NaN, Infinity, 1e9, 2 * state.settings.etaMax];
  const eta =
    rng.next() < 0.85
      ? state.settings.etaMax * (rng.next() < 0.1 ? 1 : rng.next())
      : (weird[rng.int(weird.length)] ?? 0);
  const angle = rng.next() < 0.95 ? rng.uniform(-10, 10) : Number.NaN;
  return { type: "move", playerId, angle, eta, at };
}

describe("seeded fuzzing", () => {
  const refs: SurfaceRef[] = [
    testRef(bowl),
    testRef(plane),
    { kind: "catalog", id: "rosenbrock" },
    { kind: "catalog", id: "booth" },
    { kind: "catalog", id: "rastrigin" },
    { kind: "procedural", seed: 3, difficulty: "easy" },
    { kind: "procedural", seed: 11, difficulty: "expert" },
  ];
  const env: RoundEnv = {
    resolveSurface: (ref) =>
      ref.kind === "catalog" && ref.id.startsWith("test-")
        ? testEnv.resolveSurface(ref)
        : resolveSurface(ref),
  };
  const bots = ["none", "gd", "momentum", "nesterov", "rmsprop", "adam", "newton"] as const;
  const hints = ["gradient", "taylor", "blind"] as const;

  it("R3–R17: random rounds keep every invariant and replay bit for bit (200 seeds)", () => {
    for (let seed = 1; seed <= 200; seed++) {
      try {
        const rng = createRng(seed);
        const ref = refs[rng.int(refs.length)] ?? testRef(bowl);
        const settings: RoundSettingsInput = {
          turns: 1 + rng.int(8),
          secondsPerTurn: rng.int(3) * 5,
          hint: hints[rng.int(hints.length)],
          bot: { optimizer: bots[rng.int(bots.length)] },
        };
        let state = mustCreate(ref, settings, 1 + rng.int(4), env);
        const surface = env.resolveSurface(ref);
        let at = 0;
        for (let i = 0; i < 200 && state.phase === "playing"; i++) {
          at += rng.int(4000);
          const action = randomAction(rng, state, at);
          const before = JSON.stringify(state);
          const next = reduce(state, action, env);
          if (!next.ok) {
            expect(JSON.stringify(state)).toBe(before);
            expect(Object.values(RoundErrorCode)).toContain(next.error.code);
            continue;
          }
          state = deepFreeze(next.state);
          for (const player of state.players) {
            expect(player.path).toHaveLength(state.turn + 1);
            expect(player.losses).toHaveLength(state.turn + 1);
            expect(player.feedback).toHaveLength(state.turn);
            expect(player.path.every((theta) => inBox(theta, surface.domain))).toBe(true);
            expect(player.losses.every(Number.isFinite)).toBe(true);
          }
          expect(new Set(state.pending.map((m) => m.playerId)).size).toBe(state.pending.length);
          for (const player of state.players) {
            const text = JSON.stringify(
              viewFor(state, { role: "player", playerId: player.id }, env),
            );
            for (const other of state.players) {
              if (other.id !== player.id) expect(text).not.toContain(`"${other.id}"`);
            }
            if (state.phase === "playing") expect(text).not.toContain(surface.formula);
          }
        }
        if (state.phase === "playing") {
          for (let k = state.turn; k < state.settings.turns; k++) {
            at += 1000;
            state = step(state, { type: "resolve", at }, env);
          }
        }
        expect(state.phase).toBe("revealed");
        const ranks = state.results?.ranking.map((r) => r.rank);
        expect(ranks).toEqual(state.players.map((_, i) => i + 1));
        for (const r of state.results?.ranking ?? []) {
          expect(r.score).toBeGreaterThanOrEqual(0);
          expect(r.score).toBeLessThanOrEqual(1000);
        }
        const replayed = replayRound(JSON.parse(JSON.stringify(recordOf(state))), env);
        expect(replayed.ok).toBe(true);
        if (replayed.ok) expect(JSON.stringify(replayed.state)).toBe(JSON.stringify(state));
      } catch (error) {
        throw new Error(
          `fuzz seed ${seed} failed (pin it as a named test): ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    }
  });
});
