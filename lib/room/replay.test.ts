import { describe, expect, it } from "vitest";
import { bowl, testEnv, testRef } from "../game/test-utils";
import { roomSettingsSchema } from "../protocol";
import { reduceRoom } from "./reduce";
import type { RoomOutcome } from "./reduce";
import { replayRoomLog } from "./replay";
import { DEFAULT_LIMITS } from "./state";
import type { RoomAction, RoomEnv, RoomState } from "./state";

/** R37: a room's log folded through the same reducer gives back the room that wrote it. */

const env: RoomEnv = {
  ...testEnv,
  catalog: [{ id: bowl.id, difficulty: "easy" }],
  limits: DEFAULT_LIMITS,
};
const T0 = 1_700_000_000_000;

const create: RoomAction = {
  type: "create",
  at: T0,
  code: "ABCDEF",
  mode: "room",
  hostTokenHash: "host",
  settings: roomSettingsSchema.parse({ surface: { kind: "catalog", id: bowl.id }, turns: 1 }),
};
const join = (nickname: string, at: number): RoomAction => ({
  type: "join",
  at,
  seat: { playerId: `p-${nickname}`, nickname, seatTokenHash: `seat-${nickname}` },
});
const start: RoomAction = {
  type: "start",
  at: T0 + 1000,
  hostTokenHash: "host",
  surface: testRef(bowl),
  seed: 7,
  roundId: "round-1",
};
const move = (nickname: string, at: number): RoomAction => ({
  type: "move",
  at,
  playerId: `p-${nickname}`,
  asHost: false,
  turn: 0,
  angle: 0,
  eta: 0.1,
});

/** Run `actions` live (each must be accepted and change the room), as a room's runtime logs them. */
function live(actions: readonly RoomAction[]): RoomState {
  let state: RoomState | null = null;
  for (const action of actions) {
    const out: RoomOutcome = reduceRoom(state, action, env);
    if (!out.ack.ok || !out.state || out.state === state) throw new Error(`${action.type} refused`);
    state = out.state;
  }
  return state!;
}

/** The log as it is stored: JSON text, parsed back. */
const stored = (actions: readonly RoomAction[]) =>
  actions.map((a) => JSON.parse(JSON.stringify(a)) as unknown);

describe("R37 replayRoomLog", () => {
  it("rebuilds exactly the state the live room had, and lists the round handed to the save", () => {
    const actions = [
      create,
      join("Ann", T0 + 10),
      join("Bo", T0 + 20),
      start,
      move("Ann", T0 + 2000),
    ];
    const replayed = replayRoomLog(stored(actions), env);
    if ("error" in replayed) throw new Error(replayed.error);
    expect(replayed.state).toEqual(live(actions));
    // Bo has not moved: the one turn is still open, nothing to save yet.
    expect(replayed.unsaved).toEqual([]);
    const finished = replayRoomLog(stored([...actions, move("Bo", T0 + 2100)]), env);
    if ("error" in finished) throw new Error(finished.error);
    expect(finished.state.gate).toBe("sealed");
    expect(finished.unsaved.map((r) => [r.roundNumber, r.id])).toEqual([[1, "round-1"]]);
  });

  it("a round whose `stored` is in the log is not saved again", () => {
    const actions = [
      create,
      join("Ann", T0 + 10),
      start,
      move("Ann", T0 + 2000),
      { type: "stored", at: T0 + 2500, roundNumber: 1, id: "round-1" } as RoomAction,
    ];
    const replayed = replayRoomLog(stored(actions), env);
    if ("error" in replayed) throw new Error(replayed.error);
    expect(replayed.unsaved).toEqual([]);
    expect(replayed.state.stored).toEqual({ roundNumber: 1, id: "round-1" });
  });

  it("names the entry the rules refuse, one that changes nothing, and an empty log", () => {
    expect(replayRoomLog([], env)).toEqual({ error: "the log is empty" });
    const twice = replayRoomLog(stored([create, join("Ann", T0 + 10), join("Ann", T0 + 20)]), env);
    expect(twice).toMatchObject({
      error: expect.stringMatching(/^entry 2 \(join\) does not replay: /),
    });
    const noCreate = replayRoomLog(stored([join("Ann", T0)]), env);
    expect(noCreate).toMatchObject({
      error: expect.stringMatching(/^entry 0 \(join\) does not replay/),
    });
    expect(replayRoomLog([create, 42], env)).toMatchObject({
      error: expect.stringMatching(/^entry 1 \(number\) does not replay/),
    });
  });
});
