import { describe, expect, it } from "vitest";
import { deadlineOf, replayRound } from "../game";
import { bowl, deepFreeze, testEnv, testRef } from "../game/test-utils";
import { roomSettingsSchema } from "../protocol";
import type { RoomMode, RoomSettingsInput } from "../protocol";
import { competitionSnapshot } from "./classroom";
import { policyFor, reduceRoom, startSettings, upcomingChoice } from "./reduce";
import { DEFAULT_LIMITS, gameClock, roomPhase } from "./state";
import type { RoomAction, RoomEffect, RoomEnv, RoomState } from "./state";

/** Room rules (docs/SPEC.md R22, R24–R33), driven through `reduceRoom` alone: no clock, no sockets. */

const env: RoomEnv = {
  ...testEnv,
  catalog: [{ id: bowl.id, difficulty: "easy" }],
  limits: DEFAULT_LIMITS,
};
const T0 = 1_700_000_000_000;
const HOST = "host-hash";

function settings(input: RoomSettingsInput = {}) {
  return roomSettingsSchema.parse({ surface: { kind: "catalog", id: bowl.id }, ...input });
}

type Outcome = { state: RoomState; effects: readonly RoomEffect[] };

/** Apply an action that must be accepted (the state is frozen: the rules never mutate). */
function step(state: RoomState | null, action: RoomAction): Outcome & { ack: object } {
  const out = reduceRoom(state, action, env);
  if (!out.ack.ok) throw new Error(`${out.ack.error.code}: ${out.ack.error.message}`);
  if (!out.state) throw new Error("no state");
  return { state: deepFreeze(out.state), effects: out.effects, ack: out.ack };
}

/** Apply an action that must be refused: the state stays the same object, no effects. */
function refused(state: RoomState | null, action: RoomAction): { code: string; message: string } {
  const out = reduceRoom(state, action, env);
  if (out.ack.ok) throw new Error(`${action.type} was accepted`);
  expect(out.state).toBe(state);
  expect(out.effects).toEqual([]);
  return out.ack.error;
}

function create(
  mode: RoomMode = "room",
  input: RoomSettingsInput = {},
  extra: Partial<Extract<RoomAction, { type: "create" }>> = {},
): RoomState {
  return step(null, {
    type: "create",
    at: T0,
    code: "ABCDEF",
    mode,
    hostTokenHash: HOST,
    settings: settings(input),
    ...extra,
  }).state;
}

function join(state: RoomState, nickname: string, at = T0): RoomState {
  return step(state, {
    type: "join",
    at,
    seat: { playerId: `p-${nickname}`, nickname, seatTokenHash: `seat-${nickname}` },
  }).state;
}

function start(state: RoomState, at = T0 + 1000, extra: Partial<RoomAction> = {}): Outcome {
  return step(state, {
    type: "start",
    at,
    hostTokenHash: HOST,
    surface: testRef(bowl),
    seed: 7,
    roundId: "round-1",
    ...extra,
  } as RoomAction);
}

function move(state: RoomState, nickname: string, turn: number, at: number): Outcome {
  return step(state, {
    type: "move",
    at,
    playerId: `p-${nickname}`,
    asHost: false,
    turn,
    angle: 0,
    eta: 0.1,
  });
}

function classroom(plan: RoomSettingsInput[] = [{}, {}], noRankings = false): RoomState {
  const rounds = plan.map((p) => settings(p));
  return step(null, {
    type: "create",
    at: T0,
    code: "CLASS1",
    mode: "classroom",
    hostTokenHash: HOST,
    settings: rounds[0]!,
    classroom: { id: "c-1", name: "Year 9", plan: rounds, noRankings },
  }).state;
}

const timers = (effects: readonly RoomEffect[]) =>
  effects.filter((e) => e.type === "setTimer" || e.type === "clearTimer");

describe("R24 policies: a room's kind is data", () => {
  it("solo seats one and is untimed; classroom seats never expire; only a classroom competes", () => {
    expect(policyFor("solo", DEFAULT_LIMITS)).toEqual({
      capacity: 1,
      untimed: true,
      seatsExpire: true,
      competition: false,
    });
    expect(policyFor("room", DEFAULT_LIMITS)).toMatchObject({ capacity: 100, untimed: false });
    expect(policyFor("classroom", DEFAULT_LIMITS)).toMatchObject({
      seatsExpire: false,
      competition: true,
    });
  });

  it("solo settings are stored untimed, whatever the host sent", () => {
    const solo = create("solo", { secondsPerTurn: 45 });
    expect(solo.settings.secondsPerTurn).toBe(0);
    const changed = step(solo, {
      type: "settings",
      at: T0,
      hostTokenHash: HOST,
      settings: settings({ secondsPerTurn: 20 }),
    });
    expect(changed.state.settings.secondsPerTurn).toBe(0);
  });

  it("a solo practice has one seat: a second join is refused with ROOM_FULL", () => {
    const solo = step(null, {
      type: "create",
      at: T0,
      code: "SOLO01",
      mode: "solo",
      hostTokenHash: HOST,
      settings: settings(),
      seat: { playerId: "p-me", nickname: "Me", seatTokenHash: "s-me" },
    }).state;
    expect(
      refused(solo, {
        type: "join",
        at: T0,
        seat: { playerId: "p-x", nickname: "X", seatTokenHash: "s-x" },
      }),
    ).toEqual({
      code: "ROOM_FULL",
      message: "room SOLO01 is a solo practice: it has one player (you may watch it)",
    });
  });

  it("classroom controls refuse other rooms with NOT_A_CLASSROOM", () => {
    const room = create();
    for (const type of ["pause", "unpause", "end"] as const) {
      expect(refused(room, { type, at: T0, hostTokenHash: HOST })).toEqual({
        code: "NOT_A_CLASSROOM",
        message: "room ABCDEF is not a classroom competition: create one with classroom:create",
      });
    }
  });
});

describe("R22 host token", () => {
  it("every host action with a wrong token hash is refused with NOT_HOST and changes nothing", () => {
    const room = join(create(), "Ann");
    const actions: RoomAction[] = [
      { type: "settings", at: T0, hostTokenHash: "wrong", settings: settings() },
      { type: "kick", at: T0, hostTokenHash: "wrong", nickname: "Ann" },
      {
        type: "start",
        at: T0,
        hostTokenHash: "wrong",
        surface: testRef(bowl),
        seed: 1,
        roundId: "r",
      },
      { type: "close", at: T0, reason: "closed-by-host", hostTokenHash: "wrong" },
      { type: "attach", at: T0, as: "host", hostTokenHash: "wrong", fresh: true, wasHost: false },
    ];
    for (const action of actions) {
      expect(refused(room, action)).toEqual({
        code: "NOT_HOST",
        message: "only the host of room ABCDEF may do this: the host token is wrong",
      });
    }
  });
});

describe("R25 seats", () => {
  it("a join keeps the seat token's hash, in join order, and counts the connection", () => {
    const room = join(join(create(), "Ann"), "Bob");
    expect(room.members.map((m) => [m.nickname, m.seatTokenHash, m.connected])).toEqual([
      ["Ann", "seat-Ann", true],
      ["Bob", "seat-Bob", true],
    ]);
    expect(room.connections).toBe(3);
  });

  it("a nickname is taken when it folds to the same key (case, width)", () => {
    const room = join(create(), "Ann");
    expect(
      refused(room, {
        type: "join",
        at: T0,
        seat: { playerId: "p-2", nickname: "ＡＮＮ", seatTokenHash: "s" },
      }),
    ).toEqual({
      code: "NICKNAME_TAKEN",
      message: 'the nickname "ＡＮＮ" is taken in room ABCDEF: choose another one',
    });
  });

  it("a room is full at its capacity", () => {
    // A room whose policy seats two (the policy is data: R24).
    let room: RoomState = {
      ...create(),
      policy: policyFor("room", { ...DEFAULT_LIMITS, maxPlayers: 2 }),
    };
    room = join(join(room, "A"), "B");
    expect(
      refused(room, {
        type: "join",
        at: T0,
        seat: { playerId: "c", nickname: "C", seatTokenHash: "c" },
      }).code,
    ).toBe("ROOM_FULL");
  });
});

describe("R27 connections", () => {
  it("a dropped seat keeps its place for the grace period, then expires", () => {
    const room = join(create(), "Ann");
    const dropped = step(room, {
      type: "detach",
      at: T0 + 10,
      playerId: "p-Ann",
      host: false,
      leave: false,
    });
    expect(dropped.state.members[0]).toMatchObject({
      connected: false,
      graceUntil: T0 + 10 + DEFAULT_LIMITS.seatGraceMs,
    });
    expect(timers(dropped.effects)).toEqual([
      { type: "setTimer", id: "grace:p-Ann", at: T0 + 10 + DEFAULT_LIMITS.seatGraceMs },
    ]);
    // Early (a stale timer) does nothing; at the deadline the seat goes.
    const early = step(dropped.state, { type: "timer", at: T0 + 11, id: "grace:p-Ann" });
    expect(early.state).toBe(dropped.state);
    const expired = step(dropped.state, {
      type: "timer",
      at: T0 + 10 + DEFAULT_LIMITS.seatGraceMs,
      id: "grace:p-Ann",
    });
    expect(expired.state.members).toEqual([]);
  });

  it("resume finds the seat by its token hash; the newest connection takes it over", () => {
    const room = join(create(), "Ann");
    const again = step(room, {
      type: "resume",
      at: T0,
      seatTokenHash: "seat-Ann",
      holder: null,
      fresh: true,
    });
    expect(again.ack).toEqual({ ok: true, playerId: "p-Ann" });
    expect(again.effects).toContainEqual({
      type: "evict",
      playerId: "p-Ann",
      reason: "seat-taken",
    });
    expect(
      refused(room, { type: "resume", at: T0, seatTokenHash: "nope", holder: null, fresh: true }),
    ).toEqual({
      code: "SEAT_NOT_FOUND",
      message:
        "no seat in room ABCDEF has this seat token: it expired (away longer than the grace period) or was given up; join again with room:join",
    });
  });

  it("a connection holding one seat cannot resume another", () => {
    const room = join(join(create(), "Ann"), "Bob");
    expect(
      refused(room, {
        type: "resume",
        at: T0,
        seatTokenHash: "seat-Bob",
        holder: "p-Ann",
        fresh: false,
      }),
    ).toEqual({
      code: "ALREADY_IN_ROOM",
      message: "this connection already holds another seat in room ABCDEF; leave first",
    });
  });

  it("a classroom seat never expires; leaving gives a seat up at once", () => {
    const room = join(classroom(), "Ann");
    const dropped = step(room, {
      type: "detach",
      at: T0,
      playerId: "p-Ann",
      host: false,
      leave: false,
    });
    expect(dropped.state.members[0]).toMatchObject({ connected: false, graceUntil: null });
    expect(timers(dropped.effects)).toEqual([]);
    const left = step(room, {
      type: "detach",
      at: T0,
      playerId: "p-Ann",
      host: false,
      leave: true,
    });
    expect(left.state.members).toEqual([]);
    expect(left.state.classroom?.entrants[0]?.left).toBe(true);
  });
});

describe("R28 empty rooms", () => {
  it("the last connection leaving arms the empty timer; it closes the room only if still empty", () => {
    const room = create();
    const gone = step(room, {
      type: "detach",
      at: T0 + 5,
      playerId: null,
      host: true,
      leave: false,
    });
    expect(gone.state).toMatchObject({ connections: 0, hosts: 0, emptySince: T0 + 5 });
    expect(timers(gone.effects)).toEqual([
      { type: "setTimer", id: "empty", at: T0 + 5 + DEFAULT_LIMITS.emptyRoomMs },
    ]);
    const back = step(gone.state, {
      type: "attach",
      at: T0 + 6,
      as: "spectator",
      fresh: true,
      wasHost: false,
    });
    expect(timers(back.effects)).toEqual([{ type: "clearTimer", id: "empty" }]);
    expect(step(back.state, { type: "timer", at: T0 + 9e6, id: "empty" }).state.closed).toBeNull();
    const closed = step(gone.state, { type: "timer", at: T0 + 9e6, id: "empty" });
    expect(closed.state.closed).toBe("empty");
    expect(closed.effects).toContainEqual({ type: "closed", reason: "empty" });
    expect(
      refused(closed.state, {
        type: "join",
        at: T0,
        seat: { playerId: "x", nickname: "X", seatTokenHash: "x" },
      }),
    ).toEqual({
      code: "ROOM_NOT_FOUND",
      message: "no open room has the code ABCDEF: check the code (the room may have closed)",
    });
  });
});

describe("R26 and R31 settings and the start of a round", () => {
  it("an unknown catalog surface is refused with the valid ids", () => {
    const room = create();
    expect(
      refused(room, {
        type: "settings",
        at: T0,
        hostTokenHash: HOST,
        settings: settings({ surface: { kind: "catalog", id: "nowhere" } }),
      }),
    ).toEqual({
      code: "UNKNOWN_SURFACE",
      message: 'no catalog surface is called "nowhere"; valid ids: test-bowl',
    });
  });

  it("a round needs a player; every seated member plays, in join order", () => {
    const empty = create();
    expect(startSettings(empty, undefined, env)).toEqual({
      ok: false,
      error: {
        code: "NO_PLAYERS",
        message: "room ABCDEF has no player yet: share the code and wait for someone to join",
      },
    });
    const started = start(join(join(empty, "Ann"), "Bob"));
    expect(started.state.round?.players.map((p) => p.nickname)).toEqual(["Ann", "Bob"]);
    expect(started.state).toMatchObject({ roundNumber: 1, gate: "playing", roundId: "round-1" });
    expect(roomPhase(started.state)).toBe("playing");
    const deadline = deadlineOf(started.state.round!);
    expect(timers(started.effects)).toEqual([{ type: "setTimer", id: "turn", at: deadline }]);
  });

  it("settings and a new round wait for the reveal (ROUND_IN_PROGRESS)", () => {
    const playing = start(join(create(), "Ann")).state;
    expect(
      refused(playing, { type: "settings", at: T0, hostTokenHash: HOST, settings: settings() }),
    ).toEqual({
      code: "ROUND_IN_PROGRESS",
      message: "a round is being played: change the settings after the reveal",
    });
  });

  it("a classroom plays its plan: settings are refused, then NO_MORE_ROUNDS", () => {
    let room = join(classroom([{ turns: 1, secondsPerTurn: 0 }]), "Ann");
    expect(
      refused(room, {
        type: "start",
        at: T0,
        hostTokenHash: HOST,
        settings: settings(),
        surface: testRef(bowl),
        seed: 1,
        roundId: "r",
      }),
    ).toEqual({
      code: "INVALID_SETTINGS",
      message:
        "a classroom competition plays its planned rounds: send round:start without settings",
    });
    room = start(room).state;
    room = move(room, "Ann", 0, T0 + 2000).state; // the only turn closes: sealed
    room = step(room, { type: "saveFinished", at: T0 + 2001, roundNumber: 1 }).state;
    expect(
      refused(room, {
        type: "start",
        at: T0,
        hostTokenHash: HOST,
        surface: testRef(bowl),
        seed: 1,
        roundId: "r2",
      }),
    ).toEqual({
      code: "NO_MORE_ROUNDS",
      message: "all 1 planned rounds have been played: end the competition",
    });
  });

  it("a plan with a bad round is refused at creation, naming the round", () => {
    expect(
      refused(null, {
        type: "create",
        at: T0,
        code: "CLASS2",
        mode: "classroom",
        hostTokenHash: HOST,
        settings: settings(),
        classroom: {
          id: "c",
          name: "n",
          plan: [settings(), settings({ etaMax: 1000 })],
          noRankings: false,
        },
      }),
    ).toMatchObject({ code: "INVALID_SETTINGS", message: expect.stringMatching(/^round 2: /) });
  });
});

describe("R32 closing a turn", () => {
  it("closes when every connected player has moved; a dropped player is not waited for", () => {
    let room = start(join(join(create(), "Ann"), "Bob")).state;
    room = move(room, "Ann", 0, T0 + 2000).state;
    expect(room.round?.turn).toBe(0);
    const dropped = step(room, {
      type: "detach",
      at: T0 + 2100,
      playerId: "p-Bob",
      host: false,
      leave: false,
    });
    expect(dropped.state.round?.turn).toBe(1);
    expect(dropped.effects).toContainEqual({ type: "count", counter: "turnsResolved" });
  });

  it("a move is refused for a seat outside the round, while paused, and for spectators", () => {
    let room = start(join(classroom(), "Ann")).state;
    room = join(room, "Late");
    expect(
      refused(room, {
        type: "move",
        at: T0,
        playerId: "p-Late",
        asHost: false,
        turn: 0,
        angle: 0,
        eta: 0.1,
      }),
    ).toEqual({
      code: "NOT_A_PLAYER",
      message: "you joined during this round: you play from the next one",
    });
    expect(
      refused(room, {
        type: "move",
        at: T0,
        playerId: null,
        asHost: true,
        turn: 0,
        angle: 0,
        eta: 0.1,
      }),
    ).toEqual({
      code: "NOT_A_PLAYER",
      message: "you host this room without a seat: only players move",
    });
    const paused = step(room, { type: "pause", at: T0 + 1500, hostTokenHash: HOST }).state;
    expect(
      refused(paused, {
        type: "move",
        at: T0,
        playerId: "p-Ann",
        asHost: false,
        turn: 0,
        angle: 0,
        eta: 0.1,
      }),
    ).toEqual({
      code: "PAUSED",
      message: "the teacher paused the game: send your move when it resumes",
    });
  });

  it("when nobody of the round holds a seat any more, the remaining turns resolve at once", () => {
    let room = start(join(create("room", { turns: 4 }), "Ann")).state;
    room = step(room, {
      type: "detach",
      at: T0 + 2000,
      playerId: "p-Ann",
      host: false,
      leave: true,
    }).state;
    expect(room.gate).toBe("sealed");
    expect(room.round?.turn).toBe(4);
  });

  it("the turn timer resolves the turn; one while paused, or of an untimed room, does nothing", () => {
    const room = start(join(create(), "Ann")).state;
    const closed = step(room, { type: "timer", at: T0 + 31_000, id: "turn" });
    expect(closed.state.round?.turn).toBe(1);
    const solo = start(join(create("solo"), "Ann")).state;
    expect(step(solo, { type: "timer", at: T0 + 31_000, id: "turn" }).state).toBe(solo);
  });
});

describe("R29 the pause clock", () => {
  it("a pause freezes the round's clock; resuming re-arms the timer shifted by the pause", () => {
    let room = start(join(classroom(), "Ann"), T0).state;
    const deadline = deadlineOf(room.round!)!;
    const paused = step(room, { type: "pause", at: T0 + 5_000, hostTokenHash: HOST });
    expect(timers(paused.effects)).toEqual([{ type: "clearTimer", id: "turn" }]);
    expect(gameClock(paused.state, T0 + 65_000)).toBe(T0 + 5_000);
    room = paused.state;
    const resumed = step(room, { type: "unpause", at: T0 + 65_000, hostTokenHash: HOST });
    expect(resumed.state.pausedTotal).toBe(60_000);
    expect(timers(resumed.effects)).toEqual([
      { type: "setTimer", id: "turn", at: deadline + 60_000 },
    ]);
    expect(gameClock(resumed.state, T0 + 70_000)).toBe(T0 + 10_000);
  });

  it("there is no timer to pause outside a round", () => {
    expect(refused(classroom(), { type: "pause", at: T0, hostTokenHash: HOST })).toEqual({
      code: "NO_ROUND",
      message: "no round is being played: there is no timer to pause",
    });
  });
});

describe("R30 the reveal gate", () => {
  function finished(): Outcome {
    const room = start(join(create("room", { turns: 1 }), "Ann")).state;
    return move(room, "Ann", 0, T0 + 2000);
  }

  it("the last turn seals the round and asks for the save, with a bounded wait", () => {
    const sealed = finished();
    expect(sealed.state.gate).toBe("sealed");
    expect(roomPhase(sealed.state)).toBe("playing");
    const save = sealed.effects.find((e) => e.type === "saveRound");
    expect(save).toMatchObject({
      round: { id: "round-1", roomCode: "ABCDEF", roundNumber: 1, finishedAt: T0 + 2000 },
    });
    // The stored record replays to the same results (R16).
    if (save?.type !== "saveRound") throw new Error("no save");
    const replayed = replayRound(save.round.record, testEnv);
    expect(replayed.ok && replayed.state.results).toEqual(save.round.results);
    expect(sealed.effects).toContainEqual({
      type: "setTimer",
      id: "persist",
      at: T0 + 2000 + DEFAULT_LIMITS.persistWaitMs,
    });
    expect(
      refused(sealed.state, {
        type: "move",
        at: T0,
        playerId: "p-Ann",
        asHost: false,
        turn: 1,
        angle: 0,
        eta: 0.1,
      }),
    ).toEqual({ code: "NO_ROUND", message: "the round is over: wait for the reveal" });
  });

  it("the reveal follows the first save attempt; the replay link comes with it", () => {
    const sealed = finished().state;
    const stored = step(sealed, { type: "stored", at: T0, roundNumber: 1, id: "round-1" });
    expect(stored.effects).toEqual([]); // sent with the reveal, not before
    const revealed = step(stored.state, { type: "saveFinished", at: T0, roundNumber: 1 });
    expect(revealed.state).toMatchObject({
      gate: "revealed",
      stored: { roundNumber: 1, id: "round-1" },
    });
    expect(roomPhase(revealed.state)).toBe("revealed");
    // Once per round: a second report reveals nothing again.
    expect(step(revealed.state, { type: "saveFinished", at: T0, roundNumber: 1 }).state).toBe(
      revealed.state,
    );
  });

  it("a slow save reveals at the wait's end; a link landing later is sent at once", () => {
    const sealed = finished().state;
    const late = step(sealed, { type: "timer", at: T0 + 7000, id: "persist" });
    expect(late.state.gate).toBe("revealed");
    expect(late.effects).toContainEqual(expect.objectContaining({ type: "log", level: "warn" }));
    const linked = step(late.state, { type: "stored", at: T0, roundNumber: 1, id: "round-1" });
    expect(linked.effects).toEqual([{ type: "broadcast", urgency: "now" }]);
  });

  it("a classroom's standings take the round in with the reveal, not before (R18)", () => {
    let room = join(classroom([{ turns: 1 }]), "Ann");
    room = start(room).state;
    room = move(room, "Ann", 0, T0 + 2000).state;
    expect(room.classroom?.results).toEqual([]);
    const revealed = step(room, { type: "saveFinished", at: T0, roundNumber: 1 });
    expect(revealed.state.classroom?.results).toHaveLength(1);
    expect(revealed.effects).toContainEqual(
      expect.objectContaining({
        type: "storeCompetition",
        competition: expect.objectContaining({ roundsPlayed: 1, hostTokenHash: HOST }),
      }),
    );
  });

  it("R31a: the next start's surface choice is known ahead: the lobby's, or the plan's next round", () => {
    const lobby = join(
      create("room", { surface: { kind: "procedural", difficulty: "hard" } }),
      "Ann",
    );
    expect(upcomingChoice(lobby)).toEqual({ kind: "procedural", difficulty: "hard" });
    expect(startSettings(lobby, undefined, env)).toMatchObject({
      ok: true,
      settings: { surface: upcomingChoice(lobby) },
    });
    const plan: RoomSettingsInput[] = [
      { turns: 1, surface: { kind: "catalog", id: bowl.id } },
      { turns: 1, surface: { kind: "procedural", difficulty: "easy" } },
    ];
    let room = join(classroom(plan), "Ann");
    // Before round 1: round 1's; while it plays, sealed and revealed: round 2's (what the next
    // start plays, as startSettings says once it may start).
    expect(upcomingChoice(room)).toEqual({ kind: "catalog", id: bowl.id });
    room = start(room).state;
    expect(upcomingChoice(room)).toEqual({ kind: "procedural", difficulty: "easy" });
    room = move(room, "Ann", 0, T0 + 2000).state;
    expect(room.gate).toBe("sealed");
    expect(upcomingChoice(room)).toEqual({ kind: "procedural", difficulty: "easy" });
    room = step(room, { type: "saveFinished", at: T0 + 2001, roundNumber: 1 }).state;
    expect(upcomingChoice(room)).toEqual({ kind: "procedural", difficulty: "easy" });
    expect(startSettings(room, undefined, env)).toMatchObject({
      ok: true,
      settings: { surface: { kind: "procedural", difficulty: "easy" } },
    });
    // After the last planned round, and for an ended competition: nothing to prepare.
    room = start(room, T0 + 3000, { roundId: "round-2" }).state;
    expect(upcomingChoice(room)).toBeNull();
    const ended = step(join(classroom(plan), "Bo"), { type: "end", at: T0, hostTokenHash: HOST });
    expect(upcomingChoice(ended.state)).toBeNull();
  });

  it("a rename waits while the round is being saved", () => {
    let room = join(classroom([{ turns: 1 }]), "Ann");
    room = move(start(room).state, "Ann", 0, T0 + 2000).state;
    expect(
      refused(room, {
        type: "rename",
        at: T0,
        hostTokenHash: HOST,
        nickname: "Ann",
        newNickname: "Bea",
      }),
    ).toEqual({
      code: "ROUND_IN_PROGRESS",
      message: "the round is being saved: rename a player after the reveal",
    });
  });
});

describe("R22 classroom controls", () => {
  it("a kicked student is removed, their connection evicted, and the nickname banned", () => {
    const room = join(classroom(), "Ann");
    const kicked = step(room, { type: "kick", at: T0, hostTokenHash: HOST, nickname: "ann" });
    expect(kicked.effects).toContainEqual({ type: "evict", playerId: "p-Ann", reason: "kicked" });
    expect(kicked.state.members).toEqual([]);
    expect(
      refused(kicked.state, {
        type: "join",
        at: T0,
        seat: { playerId: "p-2", nickname: "ANN", seatTokenHash: "s" },
      }),
    ).toEqual({
      code: "NICKNAME_BANNED",
      message: 'the host removed "ANN" from this competition: it cannot rejoin',
    });
    // Out of the standings, but kept (for the CSV) with the rounds they played.
    expect(kicked.state.classroom!.standings).toEqual([]);
    const snapshot = competitionSnapshot(kicked.state.classroom!, "CLASS1", HOST);
    expect(snapshot.standings).toEqual([]);
    expect(snapshot.kicked.map((s) => [s.nickname, s.total])).toEqual([["Ann", 0]]);
  });

  it("locked joining refuses newcomers; ended competitions refuse everyone", () => {
    const locked = step(classroom(), { type: "lock", at: T0, hostTokenHash: HOST, locked: true });
    expect(locked.ack).toEqual({ ok: true, locked: true });
    expect(
      refused(locked.state, {
        type: "join",
        at: T0,
        seat: { playerId: "x", nickname: "Xi", seatTokenHash: "x" },
      }),
    ).toEqual({
      code: "JOINING_LOCKED",
      message: "the teacher has locked joining: ask them to unlock it",
    });
    const ended = step(classroom(), { type: "end", at: T0 + 9, hostTokenHash: HOST });
    expect(ended.state.classroom).toMatchObject({ status: "ended", endedAt: T0 + 9 });
    expect(
      refused(ended.state, {
        type: "join",
        at: T0,
        seat: { playerId: "x", nickname: "Xi", seatTokenHash: "x" },
      }),
    ).toEqual({
      code: "COMPETITION_ENDED",
      message: "this competition has ended: it takes no more players",
    });
  });

  it("a rename relabels the seat, the round and the standings; a taken name is refused", () => {
    let room = join(join(classroom(), "Ann"), "Bob");
    room = start(room).state;
    const renamed = step(room, {
      type: "rename",
      at: T0,
      hostTokenHash: HOST,
      nickname: "Ann",
      newNickname: "Bea",
    }).state;
    expect(renamed.members[0]?.nickname).toBe("Bea");
    expect(renamed.round?.players[0]?.nickname).toBe("Bea");
    expect(renamed.classroom?.entrants[0]?.nickname).toBe("Bea");
    expect(
      refused(renamed, {
        type: "rename",
        at: T0,
        hostTokenHash: HOST,
        nickname: "Bea",
        newNickname: "bob",
      }),
    ).toEqual({
      code: "NICKNAME_TAKEN",
      message: 'the nickname "bob" is taken in room CLASS1: choose another one',
    });
  });
});

describe("R33 determinism", () => {
  it("the same actions give the same states: a log of accepted actions rebuilds the room", () => {
    const actions: RoomAction[] = [
      {
        type: "create",
        at: T0,
        code: "LOGGED",
        mode: "room",
        hostTokenHash: HOST,
        settings: settings({ turns: 2 }),
      },
      { type: "join", at: T0 + 1, seat: { playerId: "p-a", nickname: "A", seatTokenHash: "a" } },
      { type: "join", at: T0 + 2, seat: { playerId: "p-b", nickname: "B", seatTokenHash: "b" } },
      {
        type: "start",
        at: T0 + 3,
        hostTokenHash: HOST,
        surface: testRef(bowl),
        seed: 9,
        roundId: "r",
      },
      { type: "move", at: T0 + 4, playerId: "p-a", asHost: false, turn: 0, angle: 1, eta: 0.2 },
      { type: "move", at: T0 + 5, playerId: "p-b", asHost: false, turn: 0, angle: 2, eta: 0.3 },
      { type: "timer", at: T0 + 40_000, id: "turn" },
      { type: "saveFinished", at: T0 + 40_001, roundNumber: 1 },
    ];
    const run = () => {
      let state: RoomState | null = null;
      const effects: RoomEffect[] = [];
      for (const action of actions) {
        const out = step(state, action);
        state = out.state;
        effects.push(...out.effects);
      }
      return { state, effects };
    };
    const first = run();
    expect(JSON.parse(JSON.stringify(first))).toEqual(run());
    expect(first.state?.gate).toBe("revealed");
  });
});

describe("R37 restart: a room rebuilt from its log", () => {
  it("frees every seat with a whole grace period, waits for a first connection, and gives the turn its whole time again", () => {
    let room = start(join(join(create("room", { secondsPerTurn: 30 }), "Ann"), "Ben")).state;
    room = move(room, "Ann", 0, T0 + 11_000).state; // Ann moved; Ben has not, 20 s left
    const deadline = deadlineOf(room.round!)!;
    const at = T0 + 600_000; // the server was down for almost ten minutes
    const restarted = step(room, { type: "restart", at });
    const s = restarted.state;
    expect(s.connections).toBe(0);
    expect(s.hosts).toBe(0);
    expect(s.emptySince).toBe(at);
    expect(s.members.map((m) => [m.nickname, m.connected, m.graceUntil])).toEqual([
      ["Ann", false, at + DEFAULT_LIMITS.seatGraceMs],
      ["Ben", false, at + DEFAULT_LIMITS.seatGraceMs],
    ]);
    // The game clock stands at the turn's start again: 30 s from the restart.
    expect(gameClock(s, at)).toBe(deadline - 30_000);
    expect(timers(restarted.effects)).toEqual(
      expect.arrayContaining([
        { type: "setTimer", id: "turn", at: at + 30_000 },
        { type: "setTimer", id: "empty", at: at + DEFAULT_LIMITS.emptyRoomMs },
        { type: "setTimer", id: "grace:p-Ann", at: at + DEFAULT_LIMITS.seatGraceMs },
      ]),
    );
    // Ann's move is still there; the turn closes when Ben, back with his token, moves too.
    expect(s.round!.pending.map((m) => m.playerId)).toEqual(["p-Ann"]);
    const back = step(s, {
      type: "resume",
      at: at + 1000,
      seatTokenHash: "seat-Ben",
      holder: null,
      fresh: true,
    }).state;
    expect(back.round!.turn).toBe(0);
    expect(move(back, "Ben", 0, at + 2000).state.round!.turn).toBe(1);
  });

  it("a classroom keeps its seats (they never expire), a pause stays a pause, and a sealed round waits for its save again", () => {
    let room = start(join(classroom(), "Ann"), T0).state;
    room = step(room, { type: "pause", at: T0 + 5_000, hostTokenHash: HOST }).state;
    const restarted = step(room, { type: "restart", at: T0 + 100_000 });
    expect(restarted.state.members[0]).toMatchObject({ connected: false, graceUntil: null });
    expect(restarted.state.pausedAt).toBe(T0 + 5_000);
    expect(timers(restarted.effects).map((t) => t.id)).toEqual(["empty"]);

    const sealed = move(
      start(join(create("room", { turns: 1 }), "Ann")).state,
      "Ann",
      0,
      T0 + 2000,
    );
    expect(sealed.state.gate).toBe("sealed");
    const again = step(sealed.state, { type: "restart", at: T0 + 50_000 });
    expect(timers(again.effects)).toContainEqual({
      type: "setTimer",
      id: "persist",
      at: T0 + 50_000 + DEFAULT_LIMITS.persistWaitMs,
    });
  });
});

describe("C5, D5: a room that plays a fixed surface (a challenge, the daily)", () => {
  const fixedRef = { ...testRef(bowl), transform: { seed: 4242 } };
  const daily = {
    surface: fixedRef,
    tag: { kind: "daily", dayKey: "2026-12-03", playerKey: "ab".repeat(32) },
  } as const;

  it("refuses settings, plays its own surface whatever the start names, and tags its rounds", () => {
    let room = create(
      "solo",
      { turns: 1 },
      { fixed: daily, seat: { playerId: "p-Fay", nickname: "Fay", seatTokenHash: "s" } },
    );
    expect(room.fixed).toEqual(daily);
    expect(
      refused(room, {
        type: "settings",
        at: T0,
        hostTokenHash: HOST,
        settings: settings({ turns: 5 }),
      }),
    ).toEqual({
      code: "INVALID_SETTINGS",
      message: "the daily descent plays its own settings: they cannot be changed",
    });
    expect(
      refused(room, {
        type: "start",
        at: T0,
        hostTokenHash: HOST,
        surface: testRef(bowl),
        seed: 1,
        roundId: "r",
        settings: settings({ turns: 5 }),
      } as RoomAction).code,
    ).toBe("INVALID_SETTINGS");
    room = start(room, T0 + 1000, { surface: testRef(bowl) }).state;
    expect(room.round!.surface).toEqual(fixedRef);
    const done = move(room, "Fay", 0, T0 + 2000);
    const save = done.effects.find((e) => e.type === "saveRound");
    expect(save?.type === "saveRound" && save.round.tag).toEqual(daily.tag);
  });
});
