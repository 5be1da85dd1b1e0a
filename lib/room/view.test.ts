import { describe, expect, it } from "vitest";
import { deadlineOf } from "../game";
import { bowl, deepFreeze, testEnv, testRef } from "../game/test-utils";
import { roomSettingsSchema } from "../protocol";
import type { RoomSettingsInput } from "../protocol";
import { reduceRoom } from "./reduce";
import { DEFAULT_LIMITS } from "./state";
import type { RoomAction, RoomEnv, RoomState } from "./state";
import { replayRecordFor, roomViewFor, sharedRevealFor, startRefusalFor } from "./view";

/**
 * R34: every redaction the room's view function makes. Each test fails when its redaction is
 * removed from lib/room/view.ts (tests/server/hidden-info.test.ts checks the raw frames too).
 */

const env: RoomEnv = {
  ...testEnv,
  catalog: [{ id: bowl.id, difficulty: "easy" }],
  limits: DEFAULT_LIMITS,
};
const T0 = 1_700_000_000_000;
const HOST = "host-hash";
const host = { isHost: true, playerId: null };
const spectator = { isHost: false, playerId: null };

function apply(state: RoomState | null, ...actions: RoomAction[]): RoomState {
  let current = state;
  for (const action of actions) {
    const out = reduceRoom(current, action, env);
    if (!out.ack.ok || !out.state) throw new Error(JSON.stringify(out.ack));
    current = deepFreeze(out.state);
  }
  return current as RoomState;
}

function room(input: RoomSettingsInput, mode: "room" | "classroom" = "room", noRankings = false) {
  const settings = roomSettingsSchema.parse({
    surface: { kind: "catalog", id: bowl.id },
    ...input,
  });
  return apply(null, {
    type: "create",
    at: T0,
    code: "VIEW01",
    mode,
    hostTokenHash: HOST,
    settings,
    ...(mode === "classroom" && {
      classroom: { id: "c", name: "Class", plan: [settings], noRankings },
    }),
  });
}

function join(state: RoomState, ...nicknames: string[]): RoomState {
  return apply(
    state,
    ...nicknames.map((n): RoomAction => ({
      type: "join",
      at: T0,
      seat: { playerId: `p-${n}`, nickname: n, seatTokenHash: `s-${n}` },
    })),
  );
}

const start: RoomAction = {
  type: "start",
  at: T0 + 1000,
  hostTokenHash: HOST,
  surface: testRef(bowl),
  seed: 3,
  roundId: "r1",
};

describe("R34 settings", () => {
  const bot = { optimizer: "momentum" as const, params: { eta: 0.001234, beta: 0.8765 } };

  it("the bot's hyper-parameters reach only the host before and during play (R10)", () => {
    const state = apply(join(room({ bot }), "Ann"), start);
    const text = JSON.stringify(
      roomViewFor(state, { isHost: false, playerId: "p-Ann" }, env, { now: T0 }),
    );
    expect(text).not.toContain("0.001234");
    expect(text).not.toContain("0.8765");
    expect(roomViewFor(state, spectator, env, { now: T0 }).settings.bot).toEqual({
      optimizer: "momentum",
    });
    expect(roomViewFor(state, host, env, { now: T0 }).settings.bot).toEqual(bot);
  });

  it("the host's named surface reaches only the host", () => {
    const state = join(room({}), "Ann");
    expect(
      roomViewFor(state, { isHost: false, playerId: "p-Ann" }, env, { now: T0 }).settings.surface,
    ).toBeNull();
    expect(JSON.stringify(roomViewFor(state, spectator, env, { now: T0 }))).not.toContain(bowl.id);
    expect(roomViewFor(state, host, env, { now: T0 }).settings.surface).toEqual({
      kind: "catalog",
      id: bowl.id,
    });
  });
});

describe("R34 refusals", () => {
  it("a surface the host did not name is not quoted back in a refusal (its η_max)", () => {
    const refusal = startRefusalFor(
      { kind: "surprise" },
      {
        code: "INVALID_SETTINGS",
        message: "etaMax must be at most 12.5 (10 × the surface's 1.25)",
      },
    );
    expect(refusal.error.message).toBe(
      "etaMax is too large for the surface picked for this round: leave etaMax out to use the surface's own",
    );
    expect(refusal.error.message).not.toMatch(/\d/);
    // A named catalog surface is the host's own choice: the message stands.
    expect(
      startRefusalFor(
        { kind: "catalog", id: bowl.id },
        { code: "INVALID_SETTINGS", message: "etaMax must be at most 10" },
      ).error.message,
    ).toBe("etaMax must be at most 10");
  });
});

describe("R34 the deadline on the server's clock", () => {
  it("is shifted by the time spent paused, and null while paused (R29)", () => {
    let state = apply(join(room({}, "classroom"), "Ann"), { ...start, at: T0 });
    const deadline = deadlineOf(state.round!)!;
    state = apply(state, { type: "pause", at: T0 + 1000, hostTokenHash: HOST });
    const paused = roomViewFor(state, { isHost: false, playerId: "p-Ann" }, env, {
      now: T0 + 2000,
    });
    expect(paused.turnDeadline).toBeNull();
    expect(paused.classroom?.pausedRemainingMs).toBe(deadline - (T0 + 1000));
    state = apply(state, { type: "unpause", at: T0 + 61_000, hostTokenHash: HOST });
    const resumed = roomViewFor(state, host, env, { now: T0 + 61_000 });
    expect(resumed.turnDeadline).toBe(deadline + 60_000);
    expect(resumed.round?.deadline).toBe(deadline + 60_000);
  });
});

describe("R21 and R11a who sees the other players", () => {
  function noRankingsRoom(): RoomState {
    return apply(join(room({ turns: 1 }, "classroom", true), "Ann", "Bob"), start);
  }

  it("without rankings a student sees only themselves; the projector sees no seats", () => {
    const state = noRankingsRoom();
    const ann = roomViewFor(state, { isHost: false, playerId: "p-Ann" }, env, { now: T0 });
    expect(ann.members.map((m) => m.nickname)).toEqual(["Ann"]);
    expect(ann.round?.race.players.map((p) => p.nickname)).toEqual(["Ann"]);
    expect(ann.classroom?.standings).toBeNull();
    const projector = roomViewFor(state, spectator, env, { now: T0 });
    expect(projector.members.map((m) => m.seat)).toEqual([null, null]);
    expect(projector.round?.race.players.map((p) => p.nickname)).toEqual(["", ""]);
    const teacher = roomViewFor(state, host, env, { now: T0 });
    expect(teacher.round?.race.players.map((p) => p.nickname)).toEqual(["Ann", "Bob"]);
  });

  it("a big reveal's shared entries go by reference to public viewers only, the host inline", () => {
    const names = Array.from({ length: 18 }, (_, i) => `P${i}`);
    let state = apply(join(room({ turns: 1 }, "classroom", true), ...names), start);
    for (const n of names) {
      state = apply(state, {
        type: "move",
        at: T0 + 2000,
        playerId: `p-${n}`,
        asHost: false,
        turn: 0,
        angle: 0,
        eta: 0.1,
      });
    }
    state = apply(state, { type: "saveFinished", at: T0 + 3000, roundNumber: 1 });
    const body = sharedRevealFor(state, env);
    expect(body?.players).toHaveLength(18);
    // The shared body is the projector's level: no names without rankings.
    expect(body?.players.every((p) => p.nickname === "")).toBe(true);
    const ctx = { now: T0, revealHref: "/api/rooms/VIEW01/reveals/k" };
    const projector = roomViewFor(state, spectator, env, ctx);
    expect(projector.revealPlayers).toEqual({ href: ctx.revealHref, players: 18 });
    expect(projector.round?.reveal?.players).toEqual([]);
    const teacher = roomViewFor(state, host, env, ctx);
    expect(teacher.revealPlayers).toBeUndefined();
    expect(teacher.round?.reveal?.players).toHaveLength(18);
  });
});

describe("R21 stored rounds", () => {
  it("a replay of a competition without rankings names nobody; other replays keep the names", () => {
    const state = apply(join(room({ turns: 1 }), "Ann", "Bob"), start);
    const record = {
      surface: testRef(bowl),
      settings: state.round!.settings,
      seed: 3,
      players: state.round!.players.map((p, i) => ({ id: `p${i}`, nickname: p.nickname })),
      startedAt: T0,
      actions: [],
    } as unknown as Parameters<typeof replayRecordFor>[0];
    expect(replayRecordFor(record, true).players.map((p) => p.nickname)).toEqual([
      "Student 1",
      "Student 2",
    ]);
    expect(JSON.stringify(replayRecordFor(record, true))).not.toMatch(/Ann|Bob/);
    expect(replayRecordFor(record, false)).toBe(record);
  });
});
