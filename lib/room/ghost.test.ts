import { describe, expect, it } from "vitest";
import { createRound, recordOf, reduce, replayRound } from "../game";
import { participantResults } from "../game/replay-check";
import type { RoundRecord, RoundState } from "../game";
import { bowl, deepFreeze, plane, testEnv, testRef } from "../game/test-utils";
import { ErrorCode, roomSettingsSchema } from "../protocol";
import { GHOST_PLAYER_ID, ghostOfRecord, ghostQueryFor } from "./ghost";
import type { RoomGhost } from "./ghost";
import { reduceRoom } from "./reduce";
import { replayRoomLog } from "./replay";
import { DEFAULT_LIMITS } from "./state";
import type { RoomAction, RoomEnv, RoomState } from "./state";
import { roomViewFor } from "./view";

/** Ghosts (docs/SPEC.md G1–G5), driven through lib/room's reducer and view alone. */

const env: RoomEnv = {
  ...testEnv,
  catalog: [
    { id: bowl.id, difficulty: "easy" },
    { id: plane.id, difficulty: "easy" },
  ],
  limits: DEFAULT_LIMITS,
};
const T0 = 1_700_000_000_000;
const HOST = "host-hash";
const TURNS = 4;
const ANGLES = [-0.7, -0.6, -0.75, -0.65];

/** A finished stored round on the bowl: Ann moves every turn but the third, Bob never. */
function sourceRecord(): RoundRecord {
  let round = createRound(
    {
      surface: testRef(bowl),
      settings: { turns: TURNS, secondsPerTurn: 10, etaMax: 0.5 },
      seed: 3,
      players: [
        { id: "p0", nickname: "Ann" },
        { id: "p1", nickname: "Bob" },
      ],
      startedAt: 1000,
    },
    testEnv,
  );
  if (!round.ok) throw new Error(round.error.message);
  let state: RoundState = round.state;
  for (let turn = 0; turn < TURNS; turn++) {
    const at = 1000 + 10_000 * turn;
    if (turn !== 2) {
      const moved = reduce(
        state,
        { type: "move", playerId: "p0", angle: ANGLES[turn]!, eta: 0.3, at: at + 500, turn },
        testEnv,
      );
      if (!moved.ok) throw new Error(moved.error.message);
      state = moved.state;
    }
    round = reduce(state, { type: "resolve", at: at + 10_000, turn }, testEnv);
    if (!round.ok) throw new Error(round.error.message);
    state = round.state;
  }
  return recordOf(state);
}

function ghostOf(record = sourceRecord()): RoomGhost {
  const made = ghostOfRecord(record, { roundId: "stored-1", source: "best" }, testEnv);
  if (!made.ok) throw new Error(made.error.message);
  return made.ghost;
}

function apply(state: RoomState | null, ...actions: RoomAction[]): RoomState {
  let current = state;
  for (const action of actions) {
    const out = reduceRoom(current, action, env);
    if (!out.ack.ok || !out.state) throw new Error(JSON.stringify(out.ack));
    current = deepFreeze(out.state);
  }
  return current as RoomState;
}

function refusal(state: RoomState, action: RoomAction) {
  const out = reduceRoom(state, action, env);
  expect(out.ack.ok).toBe(false);
  expect(out.state).toBe(state);
  return out.ack.ok ? null : out.ack.error;
}

/** A timed room (the plane surface in its lobby) with Cy seated; `log` collects its actions. */
function lobby(log: RoomAction[] = []): RoomState {
  const actions: RoomAction[] = [
    {
      type: "create",
      at: T0,
      code: "GHOSTS",
      mode: "room",
      hostTokenHash: HOST,
      settings: roomSettingsSchema.parse({
        surface: { kind: "catalog", id: plane.id },
        turns: 9,
        secondsPerTurn: 20,
      }),
    },
    { type: "join", at: T0, seat: { playerId: "cy", nickname: "Cy", seatTokenHash: "seat-cy" } },
  ];
  log.push(...actions);
  return apply(null, ...actions);
}

const startAction = (at: number): RoomAction => ({
  type: "start",
  at,
  hostTokenHash: HOST,
  surface: testRef(plane),
  seed: 11,
  roundId: "round-1",
});

describe("G1 a ghost is a stored round's player, made from its record", () => {
  it("G1: its moves are the record's, a stay where the player stayed; the winner by default", () => {
    const ghost = ghostOf();
    expect(ghost.seat).toBe(0);
    expect(ghost.nickname).toBe("Ghost: Ann");
    expect(ghost.surface).toEqual(testRef(bowl));
    expect(ghost.settings.turns).toBe(TURNS);
    expect(ghost.moves).toEqual([
      { angle: ANGLES[0], eta: 0.3 },
      { angle: ANGLES[1], eta: 0.3 },
      null,
      { angle: ANGLES[3], eta: 0.3 },
    ]);
  });

  it("G1: a round that is not finished is GHOST_NOT_FINISHED; a seat it does not have GHOST_NOT_FOUND", () => {
    const record = sourceRecord();
    const unfinished = { ...record, actions: record.actions.slice(0, -1) };
    const a = ghostOfRecord(unfinished, { roundId: "r", source: "round" }, testEnv);
    expect(a).toMatchObject({ ok: false, error: { code: ErrorCode.GHOST_NOT_FINISHED } });
    const b = ghostOfRecord(record, { roundId: "r", source: "round", seat: 5 }, testEnv);
    expect(b).toMatchObject({ ok: false, error: { code: ErrorCode.GHOST_NOT_FOUND } });
  });

  it("G1: `best` needs a surface; `last` needs the host's own stored round", () => {
    const room = lobby();
    expect(ghostQueryFor(room, { kind: "best" })).toEqual({
      ok: true,
      query: { kind: "best", surfaceKey: `catalog:${plane.id}` },
    });
    expect(ghostQueryFor(room, { kind: "last" })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.GHOST_NOT_FOUND },
    });
  });
});

describe("G2–G3 a ghost races in the room's rounds", () => {
  /** Play a round with the ghost in which Cy copies Ann's moves, each 300 ms into the turn. */
  function race(): { state: RoomState; log: RoomAction[] } {
    const log: RoomAction[] = [];
    let state = lobby(log);
    const add: RoomAction = {
      type: "ghostAdd",
      at: T0 + 10,
      hostTokenHash: HOST,
      ghost: ghostOf(),
    };
    log.push(add);
    state = apply(state, add);
    const start = startAction(T0 + 1000);
    log.push(start);
    state = apply(state, start);
    for (let turn = 0; turn < TURNS; turn++) {
      const opened = state.round!.turnStartedAt! + state.pausedTotal;
      const acts: RoomAction[] = [];
      if (turn !== 2) {
        acts.push({
          type: "move",
          at: opened + 300,
          playerId: "cy",
          asHost: false,
          turn,
          angle: ANGLES[turn]!,
          eta: 0.3,
        });
      } else {
        acts.push({ type: "timer", at: opened + 20_000, id: "turn" });
      }
      log.push(...acts);
      state = apply(state, ...acts);
    }
    return { state, log };
  }

  it("G2: the round plays the ghost's surface and settings (timed as the room is), the ghost seated last", () => {
    const { state } = race();
    const round = state.round!;
    expect(round.surface).toEqual(testRef(bowl));
    expect(round.settings.turns).toBe(TURNS);
    expect(round.settings.etaMax).toBe(0.5);
    expect(round.settings.secondsPerTurn).toBe(20);
    expect(round.players.map((p) => [p.id, p.nickname, p.ghost])).toEqual([
      ["cy", "Cy", undefined],
      [GHOST_PLAYER_ID, "Ghost: Ann", true],
    ]);
  });

  it("G3: the ghost's path is computed again from its moves and equals the stored player's", () => {
    const { state } = race();
    const source = replayRound(sourceRecord(), testEnv);
    if (!source.ok) throw new Error("source");
    const ghost = state.round!.players[1]!;
    expect(ghost.path).toEqual(source.state.players[0]!.path);
    expect(ghost.losses).toEqual(source.state.players[0]!.losses);
    // Its moves went through the reducer: they are in the round's log, as moves.
    const ghostMoves = state.round!.log.filter(
      (a) => a.type === "move" && a.playerId === GHOST_PLAYER_ID,
    );
    expect(ghostMoves).toHaveLength(3);
  });

  it("G3: the ghost moves at the turn's close, so a player who ties it ranks first (R14)", () => {
    const { state } = race();
    const round = state.round!;
    const ranking = round.results!.ranking;
    expect(ranking[0]!.finalLoss).toBe(ranking[1]!.finalLoss);
    expect(ranking.map((r) => r.playerId)).toEqual(["cy", GHOST_PLAYER_ID]);
    const ghostMove = round.log.find((a) => a.type === "move" && a.playerId === GHOST_PLAYER_ID);
    const cyMove = round.log.find((a) => a.type === "move" && a.playerId === "cy");
    expect(ghostMove!.at).toBeGreaterThanOrEqual(cyMove!.at);
  });

  it("G2: with a ghost, settings cannot change and it cannot be added or removed mid-round", () => {
    let state = apply(lobby(), {
      type: "ghostAdd",
      at: T0 + 10,
      hostTokenHash: HOST,
      ghost: ghostOf(),
    });
    const settings = roomSettingsSchema.parse({ surface: { kind: "catalog", id: bowl.id } });
    expect(
      refusal(state, { type: "settings", at: T0 + 20, hostTokenHash: HOST, settings })?.code,
    ).toBe(ErrorCode.INVALID_SETTINGS);
    state = apply(state, startAction(T0 + 1000));
    expect(refusal(state, { type: "ghostRemove", at: T0 + 1100, hostTokenHash: HOST })?.code).toBe(
      ErrorCode.ROUND_IN_PROGRESS,
    );
    expect(
      refusal(state, { type: "ghostAdd", at: T0 + 1100, hostTokenHash: "nope", ghost: ghostOf() })
        ?.code,
    ).toBe(ErrorCode.NOT_HOST);
  });

  it("G5: the ghost is stored with the bot flag", () => {
    const { state } = race();
    const rows = participantResults(state.round!);
    expect(rows.find((r) => r.seat === 1)).toMatchObject({ isBot: true, rank: 2 });
    expect(rows.find((r) => r.seat === 0)).toMatchObject({ isBot: false, rank: 1 });
    expect(recordOf(state.round!).players[1]).toEqual({
      id: GHOST_PLAYER_ID,
      nickname: "Ghost: Ann",
      ghost: true,
    });
  });

  it("R37: a room log holding a ghost rebuilds the same room", () => {
    const { state, log } = race();
    const replayed = replayRoomLog(JSON.parse(JSON.stringify(log)) as unknown[], env);
    if ("error" in replayed) throw new Error(replayed.error);
    expect(replayed.state).toEqual(state);
  });
});

describe("G4 a ghost is hidden like every entrant before the reveal", () => {
  it("G4: players see the ghost's name, not its stored round, until the reveal; the host sees both", () => {
    let state = apply(
      lobby(),
      { type: "ghostAdd", at: T0 + 10, hostTokenHash: HOST, ghost: ghostOf() },
      startAction(T0 + 1000),
    );
    const cy = { isHost: false, playerId: "cy" };
    const seen = roomViewFor(state, cy, env, { now: T0 + 1001 });
    expect(seen.ghost).toEqual({ nickname: "Ghost: Ann", source: "best", turns: TURNS });
    expect(JSON.stringify(seen)).not.toContain("stored-1");
    expect(seen.round!.race.players[1]).toMatchObject({ nickname: "Ghost: Ann", ghost: true });
    expect(
      roomViewFor(state, { isHost: true, playerId: null }, env, { now: T0 + 1001 }).ghost,
    ).toMatchObject({ roundId: "stored-1" });
    for (let turn = 0; turn < TURNS; turn++) {
      const at = state.round!.turnStartedAt! + 20_000;
      state = apply(state, { type: "timer", at, id: "turn" });
    }
    state = apply(state, { type: "saveFinished", at: T0 + 90_000, roundNumber: 1 });
    const revealed = roomViewFor(state, cy, env, { now: T0 + 90_001 });
    expect(revealed.ghost?.roundId).toBe("stored-1");
    expect(revealed.round!.reveal!.players[1]).toMatchObject({
      ghost: true,
      nickname: "Ghost: Ann",
    });
  });
});
