import { describe, expect, it } from "vitest";
import { optimizers, runOptimizer } from "../optimizers";
import type { OptimizerId } from "../optimizers/types";
import { RoundErrorCode } from "./errors";
import type { RoundErrorCode as ErrorCode } from "./errors";
import { recordOf, replayRound } from "./replay";
import {
  createRound,
  deadlineOf,
  hasEveryoneMoved,
  reduce,
  renamePlayer,
  waitingFor,
} from "./rules";
import type { CreateRoundInput } from "./rules";
import type { RoundAction, RoundState } from "./state";
import { atMinimum, bowl, deepFreeze, plane, testEnv, testRef } from "./test-utils";
import type { Surface } from "../types";

const players = [
  { id: "p-ana", nickname: "Ana" },
  { id: "p-bo", nickname: "Bo" },
  { id: "p-cy", nickname: "Cy" },
];

function round(overrides: Partial<CreateRoundInput> = {}, surface: Surface = bowl): RoundState {
  const created = createRound(
    { surface: testRef(surface), seed: 7, players, settings: {}, ...overrides },
    testEnv,
  );
  if (!created.ok) throw new Error(created.error.message);
  return deepFreeze(created.state);
}

function apply(state: RoundState, ...actions: RoundAction[]): RoundState {
  let current = state;
  for (const action of actions) {
    const next = reduce(current, action, testEnv);
    if (!next.ok) throw new Error(`${next.error.code}: ${next.error.message}`);
    current = deepFreeze(next.state);
  }
  return current;
}

function move(playerId: string, angle: number, eta: number, at = 1000): RoundAction {
  return { type: "move", playerId, angle, eta, at };
}

function resolve(at = 2000): RoundAction {
  return { type: "resolve", at };
}

function expectRefused(state: RoundState, action: unknown, code: ErrorCode): void {
  const snapshot = JSON.stringify(state);
  const result = reduce(state, action as RoundAction, testEnv);
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.code).toBe(code);
    expect(result.error.message.length).toBeGreaterThan(0);
  }
  expect(JSON.stringify(state)).toBe(snapshot);
}

function last<T>(items: readonly T[]): T {
  const item = items[items.length - 1];
  if (item === undefined) throw new Error("empty");
  return item;
}

describe("createRound", () => {
  it("R1: seats the players in order and starts everyone, the bot included, at θ₀", () => {
    const state = round();
    expect(state.phase).toBe("playing");
    expect(state.turn).toBe(0);
    expect(state.players.map((p) => p.id)).toEqual(["p-ana", "p-bo", "p-cy"]);
    for (const player of state.players) {
      expect(player.path).toEqual([bowl.start]);
      expect(player.losses).toEqual([bowl.loss(bowl.start)]);
      expect(player.feedback).toEqual([]);
    }
    expect(state.bot?.path).toEqual([bowl.start]);
    expect(state.bot?.state.theta).toEqual(bowl.start);
    expect(state.pending).toEqual([]);
    expect(state.results).toBeNull();
    expect(state.log).toEqual([]);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it("R1: refuses an empty player list, duplicate or empty ids", () => {
    const base = { surface: testRef(bowl), seed: 1 };
    const cases: [unknown, string][] = [
      [[], "a round needs at least one player"],
      [
        [
          { id: "a", nickname: "A" },
          { id: "a", nickname: "B" },
        ],
        'duplicate player id "a"',
      ],
      [[{ id: "", nickname: "A" }], "players[0].id must be a non-empty string"],
      [[{ id: "a" }], "players[0].nickname must be a string"],
      ["nope", "a round needs at least one player"],
    ];
    for (const [list, message] of cases) {
      const result = createRound(
        { ...base, players: list as CreateRoundInput["players"] },
        testEnv,
      );
      expect(result).toEqual({
        ok: false,
        error: { code: RoundErrorCode.INVALID_PLAYERS, message },
      });
    }
  });

  it("R1: refuses a non-finite seed or startedAt, and an unknown surface", () => {
    const base = { surface: testRef(bowl), seed: 1, players };
    const seed = createRound({ ...base, seed: Number.NaN }, testEnv);
    expect(!seed.ok && seed.error).toEqual({
      code: RoundErrorCode.INVALID_ROUND,
      message: "seed must be a finite number, got NaN",
    });
    const startedAt = createRound({ ...base, startedAt: Infinity }, testEnv);
    expect(!startedAt.ok && startedAt.error.code).toBe(RoundErrorCode.INVALID_ROUND);
    const surface = createRound({ ...base, surface: { kind: "catalog", id: "nope" } }, testEnv);
    expect(!surface.ok && surface.error.code).toBe(RoundErrorCode.UNKNOWN_SURFACE);
    expect(!surface.ok && surface.error.message).toContain("nope");
  });

  it("R2: refuses bad settings with INVALID_SETTINGS", () => {
    const result = createRound(
      { surface: testRef(bowl), seed: 1, players, settings: { turns: 0 } },
      testEnv,
    );
    expect(!result.ok && result.error).toEqual({
      code: RoundErrorCode.INVALID_SETTINGS,
      message: "turns must be an integer from 1 to 100, got 0",
    });
  });

  it("R8: a round without a bot has bot null", () => {
    expect(round({ settings: { bot: { optimizer: "none" } } }).bot).toBeNull();
  });
});

describe("moves", () => {
  it("R3: every invalid move is refused with its code and changes nothing", () => {
    const state = round({ startedAt: 0, settings: { secondsPerTurn: 10 } });
    const ok = { type: "move", playerId: "p-ana", angle: 0, eta: 0.5, at: 100 };
    const cases: [unknown, ErrorCode][] = [
      [null, RoundErrorCode.INVALID_ACTION],
      ["move", RoundErrorCode.INVALID_ACTION],
      [{ ...ok, type: "jump" }, RoundErrorCode.INVALID_ACTION],
      [{ ...ok, playerId: 42 }, RoundErrorCode.INVALID_ACTION],
      [{ ...ok, at: Number.NaN }, RoundErrorCode.INVALID_ACTION],
      [{ ...ok, at: undefined }, RoundErrorCode.INVALID_ACTION],
      [{ ...ok, turn: 0.5 }, RoundErrorCode.INVALID_ACTION],
      [{ ...ok, turn: 1 }, RoundErrorCode.WRONG_TURN],
      [{ ...ok, playerId: "p-zed" }, RoundErrorCode.UNKNOWN_PLAYER],
      [{ ...ok, at: 10_001 }, RoundErrorCode.TURN_OVER],
      [{ ...ok, angle: Number.NaN }, RoundErrorCode.INVALID_MOVE],
      [{ ...ok, angle: Infinity }, RoundErrorCode.INVALID_MOVE],
      [{ ...ok, angle: "0" }, RoundErrorCode.INVALID_MOVE],
      [{ ...ok, eta: 0 }, RoundErrorCode.INVALID_MOVE],
      [{ ...ok, eta: -0.1 }, RoundErrorCode.INVALID_MOVE],
      [{ ...ok, eta: 1.000001 }, RoundErrorCode.INVALID_MOVE],
      [{ ...ok, eta: Number.NaN }, RoundErrorCode.INVALID_MOVE],
      [{ ...ok, eta: Infinity }, RoundErrorCode.INVALID_MOVE],
      [{ ...ok, eta: null }, RoundErrorCode.INVALID_MOVE],
    ];
    for (const [action, code] of cases) expectRefused(state, action, code);
    // The valid move itself is accepted, η = η_max included, at the deadline exactly.
    expect(reduce(state, { ...ok, eta: 1, at: 10_000 } as RoundAction, testEnv).ok).toBe(true);
  });

  it("R3: the error messages say what is wrong", () => {
    const state = round();
    const result = reduce(state, move("p-ana", 0, 2), testEnv);
    expect(!result.ok && result.error.message).toBe("eta must be in (0, 1], got 2");
    const unknown = reduce(state, move("p-zed", 0, 0.5), testEnv);
    expect(!unknown.ok && unknown.error.message).toBe('no player "p-zed" in this round');
  });

  it("R3: an untimed round, or one without a known start, has no deadline", () => {
    expect(deadlineOf(round({ startedAt: 0, settings: { secondsPerTurn: 0 } }))).toBeNull();
    expect(deadlineOf(round({ settings: { secondsPerTurn: 10 } }))).toBeNull();
    const timed = round({ startedAt: 500, settings: { secondsPerTurn: 10 } });
    expect(deadlineOf(timed)).toBe(10_500);
    const next = apply(timed, resolve(4000));
    expect(deadlineOf(next)).toBe(14_000);
    expect(reduce(next, move("p-ana", 0, 0.5, 14_001), testEnv).ok).toBe(false);
    expect(
      reduce(round({ settings: { secondsPerTurn: 10 } }), move("p-ana", 0, 0.5, 1e12), testEnv).ok,
    ).toBe(true);
  });

  it("R3: a move with the current turn is accepted and logged with its turn", () => {
    const state = apply(round(), { ...move("p-ana", 0, 0.5), turn: 0 } as RoundAction);
    expect(state.pending).toEqual([{ playerId: "p-ana", angle: 0, eta: 0.5, at: 1000 }]);
    expect(state.log).toEqual([
      { type: "move", playerId: "p-ana", angle: 0, eta: 0.5, at: 1000, turn: 0 },
    ]);
  });

  it("R4: a second move in the same turn is refused and the first one stands", () => {
    const first = apply(round(), move("p-ana", 0, 0.5, 1000));
    expectRefused(first, move("p-ana", Math.PI, 0.9, 1001), RoundErrorCode.ALREADY_MOVED);
    const after = apply(first, resolve());
    const ana = after.players[0];
    expect(ana?.feedback[0]?.move).toEqual({ angle: 0, eta: 0.5, at: 1000 });
    expect(ana?.path[1]?.[0]).toBeCloseTo(bowl.start[0] + 0.5, 12);
    // A new turn accepts a new move.
    expect(reduce(after, move("p-ana", Math.PI, 0.9, 3000), testEnv).ok).toBe(true);
  });

  it("waitingFor and hasEveryoneMoved follow the pending moves", () => {
    const state = round();
    expect(waitingFor(state)).toEqual(["p-ana", "p-bo", "p-cy"]);
    const two = apply(state, move("p-cy", 0, 0.5), move("p-ana", 0, 0.5));
    expect(waitingFor(two)).toEqual(["p-bo"]);
    expect(hasEveryoneMoved(two, ["p-ana", "p-bo", "p-cy"])).toBe(false);
    expect(hasEveryoneMoved(two, ["p-ana", "p-cy"])).toBe(true);
    expect(hasEveryoneMoved(two, new Set(["p-ana", "p-cy", "ghost"]))).toBe(true);
    // Nobody (of the round) connected: never "everyone moved".
    expect(hasEveryoneMoved(two, [])).toBe(false);
    expect(hasEveryoneMoved(two, ["ghost"])).toBe(false);
    const resolved = apply(two, resolve());
    expect(waitingFor(resolved)).toEqual(["p-ana", "p-bo", "p-cy"]);
    const over = apply(round({ settings: { turns: 1 } }), resolve());
    expect(waitingFor(over)).toEqual([]);
    expect(hasEveryoneMoved(over, [])).toBe(false);
  });
});

describe("resolve", () => {
  it("R5: all moves of a turn resolve together, whatever order they arrived in", () => {
    const moves = [
      move("p-ana", 0.3, 0.8, 1100),
      move("p-bo", -2.1, 0.4, 1200),
      move("p-cy", 1.9, 1, 1300),
    ];
    const forward = apply(round(), ...moves, resolve());
    const backward = apply(round(), ...[...moves].reverse(), resolve());
    for (let seat = 0; seat < 3; seat++) {
      expect(backward.players[seat]?.path).toEqual(forward.players[seat]?.path);
      expect(backward.players[seat]?.feedback).toEqual(forward.players[seat]?.feedback);
    }
    // Each step depends only on the player's own position and move.
    const alone = apply(round(), moves[1] as RoundAction, resolve());
    expect(alone.players[1]?.path).toEqual(forward.players[1]?.path);
    expect(forward.turn).toBe(1);
    expect(forward.pending).toEqual([]);
    expect(forward.turnStartedAt).toBe(2000);
  });

  it("R5: a resolve naming another turn is refused (a late timer cannot close the next turn)", () => {
    const state = apply(round(), resolve());
    expectRefused(state, { type: "resolve", at: 3000, turn: 0 }, RoundErrorCode.WRONG_TURN);
    expectRefused(state, { type: "resolve", at: Number.NaN }, RoundErrorCode.INVALID_ACTION);
    expect(apply(state, { type: "resolve", at: 3000, turn: 1 }).turn).toBe(2);
  });

  it("R6: a player who did not move stays put", () => {
    const state = apply(round(), move("p-ana", 0, 0.5), resolve());
    const bo = state.players[1];
    expect(bo?.path).toEqual([bowl.start, bowl.start]);
    expect(bo?.losses).toEqual([bowl.loss(bowl.start), bowl.loss(bowl.start)]);
    expect(bo?.feedback).toEqual([
      {
        move: null,
        loss: bowl.loss(bowl.start),
        deltaLoss: 0,
        stepLength: 0,
        predicted: null,
        beta: null,
        clamped: false,
      },
    ]);
  });

  it("R7: a step that would leave the box stops at its edge", () => {
    // Plane box [−5, 5]², start [0, 0]; steps of 2 along +w: 2, 4, then the edge 5.
    let state = round({ settings: { turns: 5 } }, plane);
    for (let k = 0; k < 4; k++) state = apply(state, move("p-ana", 0, 2), resolve());
    const ana = state.players[0];
    expect(ana?.path.map((p) => p[0])).toEqual([0, 2, 4, 5, 5]);
    expect(ana?.path.every((p) => p[1] === 0)).toBe(true);
    expect(ana?.feedback.map((f) => f.clamped)).toEqual([false, false, true, true]);
    expect(ana?.feedback.map((f) => f.stepLength)).toEqual([2, 2, 1, 0]);
    // The prediction uses the step actually taken: s·uᵀ∇L with s = 1, then 0.
    expect(ana?.feedback[2]?.predicted).toBe(1);
    expect(ana?.feedback[3]?.predicted).toBe(0);
    expect(ana?.feedback[3]?.deltaLoss).toBe(0);
  });

  it("R7: landing exactly on the edge is no clamp; pushing out from the edge stays put", () => {
    const state = apply(
      round({ settings: { etaMax: 10 } }, plane),
      move("p-ana", Math.atan2(3, 1), 2),
      move("p-bo", Math.PI / 2, 5),
      resolve(),
    );
    expect(state.players[0]?.feedback[0]?.clamped).toBe(false);
    const bo = state.players[1];
    expect(bo?.path[1]?.[1]).toBe(5);
    expect(bo?.feedback[0]?.clamped).toBe(false);
    // From the edge b = 5, a step heading further up (45°) cannot go anywhere.
    const pushed = apply(state, move("p-bo", Math.PI / 4, 2), resolve());
    const feedback = pushed.players[1]?.feedback[1];
    expect(feedback?.clamped).toBe(true);
    expect(feedback?.stepLength).toBe(0);
    expect(pushed.players[1]?.path[2]).toEqual(bo?.path[1]);
  });

  it("R7: a step partly inside the box stops on the segment, not at the projection", () => {
    // From [4, 0] with u at 30°, η = 2: the w-edge 5 is met at t = 1/(2 cos 30°).
    let state = round({ settings: { turns: 3 } }, plane);
    state = apply(state, move("p-ana", 0, 2), resolve(), move("p-ana", 0, 2), resolve());
    state = apply(state, move("p-ana", Math.PI / 6, 2), resolve());
    const end = state.players[0]?.path[3];
    expect(end?.[0]).toBe(5);
    expect(end?.[1]).toBeCloseTo(Math.tan(Math.PI / 6), 12);
  });

  const botCases: OptimizerId[] = ["gd", "momentum", "nesterov", "rmsprop", "adam", "newton"];
  it.each(botCases)("R8: the %s bot takes one optimizer step per turn", (id) => {
    let state = round({ settings: { turns: 6, bot: { optimizer: id } } });
    const expected = runOptimizer(optimizers[id], bowl, { eta: bowl.botEta }, 6);
    for (let turn = 1; turn <= 6; turn++) {
      state = apply(state, resolve(1000 * turn));
      expect(state.bot?.state).toEqual(expected[turn]);
      expect(state.bot?.state.t).toBe(turn);
      expect(state.bot?.path).toHaveLength(turn + 1);
    }
    expect(state.bot?.path).toEqual(expected.map((s) => s.theta));
    expect(state.bot?.losses).toEqual(expected.map((s) => bowl.loss(s.theta)));
  });

  it("R8: the bot uses the host's hyper-parameters", () => {
    let state = round({
      settings: { turns: 3, bot: { optimizer: "momentum", params: { eta: 0.05, beta: 0.5 } } },
    });
    for (let k = 0; k < 3; k++) state = apply(state, resolve());
    const expected = runOptimizer(optimizers.momentum, bowl, { eta: 0.05, beta: 0.5 }, 3);
    expect(state.bot?.path).toEqual(expected.map((s) => s.theta));
  });

  it("R9: feedback on a plane: prediction η uᵀ∇L, ΔL, and β = π against the gradient", () => {
    const against = Math.atan2(-2, -1);
    const along = Math.atan2(2, 1);
    const state = apply(
      round({}, plane),
      move("p-ana", against, 1.5),
      move("p-bo", along, 1),
      move("p-cy", against + Math.PI / 2, 1),
      resolve(),
    );
    const [ana, bo, cy] = state.players.map((p) => p.feedback[0]);
    expect(ana?.predicted).toBeCloseTo(-1.5 * Math.sqrt(5), 12);
    expect(ana?.deltaLoss).toBeCloseTo(-1.5 * Math.sqrt(5), 12);
    expect(ana?.loss).toBeCloseTo(20 - 1.5 * Math.sqrt(5), 12);
    expect(ana?.beta).toBeCloseTo(Math.PI, 6);
    expect(ana?.clamped).toBe(false);
    expect(ana?.stepLength).toBe(1.5);
    expect(bo?.beta).toBeCloseTo(0, 6);
    expect(bo?.predicted).toBeCloseTo(Math.sqrt(5), 12);
    expect(cy?.beta).toBeCloseTo(Math.PI / 2, 12);
    expect(cy?.predicted).toBeCloseTo(0, 12);
  });

  it("R9: the prediction uses the gradient at the previous position", () => {
    const state = apply(round(), move("p-ana", 0.4, 0.9), resolve());
    const before = bowl.start;
    const g = bowl.gradient(before);
    const u = [Math.cos(0.4), Math.sin(0.4)] as const;
    const f = state.players[0]?.feedback[0];
    expect(f?.predicted).toBe(0.9 * (u[0] * g[0] + u[1] * g[1]));
    const after = state.players[0]?.path[1];
    expect(f?.loss).toBe(bowl.loss(after ?? [0, 0]));
    expect(f?.deltaLoss).toBe((f?.loss ?? 0) - bowl.loss(before));
  });

  it("R9: β is null at a stationary point", () => {
    const state = apply(round({}, atMinimum), move("p-ana", 1, 0.5), resolve());
    const f = state.players[0]?.feedback[0];
    expect(f?.beta).toBeNull();
    expect(f?.predicted).toBe(0);
    expect(f?.deltaLoss).toBeCloseTo(0.25, 12);
  });

  it("R12: the last resolve reveals the round; later actions are refused", () => {
    let state = round({ settings: { turns: 2 } });
    state = apply(state, move("p-ana", 0, 0.5), resolve());
    expect(state.phase).toBe("playing");
    expect(state.results).toBeNull();
    state = apply(state, resolve(3000));
    expect(state.phase).toBe("revealed");
    expect(state.turn).toBe(2);
    expect(state.results?.ranking).toHaveLength(3);
    expect(deadlineOf(state)).toBeNull();
    expectRefused(state, move("p-ana", 0, 0.5), RoundErrorCode.NOT_PLAYING);
    expectRefused(state, resolve(), RoundErrorCode.NOT_PLAYING);
  });

  it("R17: a whole round runs on deep-frozen states and stays JSON data", () => {
    let state = round({ settings: { turns: 4, bot: { optimizer: "adam" } } });
    for (let k = 0; k < 4; k++) {
      state = apply(state, move("p-bo", k, 0.7, 10 * k), resolve(10 * k + 5));
    }
    expect(state.phase).toBe("revealed");
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(last(state.players[1]?.losses ?? [])).toBe(
      state.results?.ranking.find((r) => r.seat === 1)?.finalLoss,
    );
  });
});

describe("renamePlayer (R23)", () => {
  it("relabels the player's entry and result line; nothing else changes; the record replays", () => {
    const playing = apply(round({ settings: { turns: 2 } }), move("p-bo", 1, 0.5), resolve());
    const renamed = renamePlayer(playing, "p-bo", "Bob");
    expect(renamed.players.map((p) => p.nickname)).toEqual(["Ana", "Bob", "Cy"]);
    expect({ ...renamed, players: playing.players }).toEqual(playing);
    const done = apply(playing, move("p-ana", 2, 0.4, 3000), resolve(4000));
    expect(done.phase).toBe("revealed");
    const after = renamePlayer(done, "p-bo", "Bob");
    expect(after.results?.ranking.find((r) => r.seat === 1)?.nickname).toBe("Bob");
    expect(after.results?.ranking.map((r) => [r.seat, r.rank, r.score])).toEqual(
      done.results?.ranking.map((r) => [r.seat, r.rank, r.score]),
    );
    const replayed = replayRound(recordOf(after), testEnv);
    expect(replayed.ok && replayed.state.results).toEqual(after.results);
    // Someone not in the round: the very same state.
    expect(renamePlayer(done, "p-nobody", "X")).toBe(done);
  });
});
