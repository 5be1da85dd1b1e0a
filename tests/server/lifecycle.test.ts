import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCode } from "../../lib/protocol";
import type { FinishedRound } from "../../server/room";
import { connect, ok, openRoom, playRoom, startServer, TestClient } from "./harness";
import type { TestServer } from "./harness";
import { ManualClock } from "./manual-clock";

/** Rooms over real sockets: timers, reconnection, second tabs, host rights, late joins, closing. */

let server: TestServer;
const saved: FinishedRound[] = [];
/** The rooms' clock: turn deadlines, grace periods and empty rooms pass when a test says so. */
const clock = new ManualClock({ runDue: true });
beforeAll(async () => {
  server = await startServer({
    clock,
    // Throttles always free: snapshots go out at the next turn of the event loop.
    limits: { seatGraceMs: 400, emptyRoomMs: 300, progressIntervalMs: 0, presenceIntervalMs: 0 },
    onRoundFinished: (round) => {
      saved.push(round);
    },
  });
});
afterAll(async () => {
  await server.close();
});

async function roomWith(names: string[], settings: Record<string, unknown> = {}) {
  const host = await connect(server.url, "host");
  const created = ok(
    await host.request("room:create", {
      mode: "room",
      settings: {
        surface: { kind: "catalog", id: "booth" },
        turns: 3,
        secondsPerTurn: 30,
        ...settings,
      },
    }),
  );
  const players: TestClient[] = [];
  const seats: { playerId: string; seatToken: string }[] = [];
  for (const name of names) {
    const client = await connect(server.url, name);
    seats.push(ok(await client.request("room:join", { code: created.code, nickname: name })));
    players.push(client);
  }
  return { host, code: created.code, hostToken: created.hostToken, players, seats };
}

/** Yield to the event loop until a server-side fact holds (no timer, no sleep). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; !check(); i++) {
    if (i > 100_000) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function errorCode(response: { ok: boolean; error?: { code: string } }): string | undefined {
  return response.ok ? undefined : response.error?.code;
}

describe("turn timer", () => {
  it("closes a turn when the timer expires; a player who did not move stays put", async () => {
    const { host, code, hostToken, players } = await roomWith(["Ann", "Bob"], {
      secondsPerTurn: 1,
      turns: 2,
    });
    const [ann, bob] = players as [TestClient, TestClient];
    ok(await host.request("round:start", { code, hostToken }));
    const first = await ann.waitFor((s) => s.phase === "playing", "playing");
    expect(first.turnDeadline).toBeGreaterThan(first.serverTime);
    expect(first.turnDeadline! - first.serverTime).toBeLessThanOrEqual(1000);
    ok(await ann.request("round:move", { turn: 0, angle: 1, eta: 0.5 }));
    // Bob never moves: the server closes each turn at its deadline.
    clock.advance(1_000);
    const after = await bob.waitFor((s) => s.round?.turn === 1, "turn 1");
    expect(after.round?.you?.feedback[0]?.move).toBeNull();
    expect(after.round?.you?.path[1]).toEqual(after.round?.you?.path[0]);
    clock.advance(1_000);
    const revealed = await ann.waitFor((s) => s.phase === "revealed", "reveal");
    const annReveal = revealed.round!.reveal!.players[0]!;
    expect(annReveal.feedback[0]!.move).not.toBeNull();
    expect(annReveal.feedback[1]!.move).toBeNull();
    for (const c of [host, ...players]) c.close();
  });

  it("late moves are refused once the turn has closed", async () => {
    const { host, code, hostToken, players } = await roomWith(["Late"], {
      secondsPerTurn: 1,
      turns: 2,
    });
    const [late] = players as [TestClient];
    ok(await host.request("round:start", { code, hostToken }));
    clock.advance(1_000);
    await late.waitFor((s) => s.round?.turn === 1, "turn 1");
    const res = await late.request("round:move", { turn: 0, angle: 0, eta: 0.1 });
    expect(errorCode(res)).toBe(ErrorCode.WRONG_TURN);
    for (const c of [host, ...players]) c.close();
  });
});

describe("reconnection", () => {
  it("a refresh mid-round returns the player to their seat with their history", async () => {
    const { host, code, hostToken, players, seats } = await roomWith(["Rae", "Sol"]);
    const [rae, sol] = players as [TestClient, TestClient];
    ok(await host.request("round:start", { code, hostToken }));
    await rae.waitFor((s) => s.phase === "playing", "playing");
    ok(await rae.request("round:move", { turn: 0, angle: 2, eta: 0.7 }));
    ok(await sol.request("round:move", { turn: 0, angle: 1, eta: 0.3 }));
    const before = await rae.waitFor((s) => s.round?.turn === 1, "turn 1");
    rae.close();
    await host.waitFor(
      (s) => s.members.some((m) => m.nickname === "Rae" && !m.connected),
      "Rae dropped",
    );
    // The turn must not close because Rae is away: Sol moves, Rae is not connected, so it closes.
    const back = await connect(server.url, "Rae again");
    const resumed = ok(await back.request("room:resume", { code, seatToken: seats[0]!.seatToken }));
    expect(resumed.playerId).toBe(seats[0]!.playerId);
    const snapshot = await back.waitFor((s) => s.you.role === "player", "seat back");
    expect(snapshot.round?.you?.path).toEqual(before.round?.you?.path);
    expect(snapshot.round?.you?.feedback).toEqual(before.round?.you?.feedback);
    expect(snapshot.members.find((m) => m.nickname === "Rae")?.connected).toBe(true);
    ok(await back.request("round:move", { turn: 1, angle: 0, eta: 0.1 }));
    for (const c of [host, back, sol]) c.close();
  });

  it("a dropped player does not hold up the turn; the others' moves close it", async () => {
    const { host, code, hostToken, players } = await roomWith(["Ulf", "Vic"]);
    const [ulf, vic] = players as [TestClient, TestClient];
    ok(await host.request("round:start", { code, hostToken }));
    await vic.waitFor((s) => s.phase === "playing", "playing");
    ok(await vic.request("round:move", { turn: 0, angle: 0, eta: 0.2 }));
    ulf.close();
    await vic.waitFor((s) => s.round?.turn === 1, "turn closed after Ulf dropped");
    for (const c of [host, vic]) c.close();
  });

  it("a second tab with the same seat takes it; the first is told and detached, state intact", async () => {
    const { host, code, hostToken, players, seats } = await roomWith(["Tab"]);
    const [tab1] = players as [TestClient];
    ok(await host.request("round:start", { code, hostToken }));
    await tab1.waitFor((s) => s.phase === "playing", "playing");
    const tab2 = await connect(server.url, "tab2");
    ok(await tab2.request("room:resume", { code, seatToken: seats[0]!.seatToken }));
    await tab1.until(() => tab1.closedMessages.length > 0, "room:closed on the old tab");
    expect(tab1.closedMessages[0]!.reason).toBe("seat-taken");
    expect(errorCode(await tab1.request("round:move", { turn: 0, angle: 0, eta: 0.1 }))).toBe(
      ErrorCode.NOT_IN_ROOM,
    );
    ok(await tab2.request("round:move", { turn: 0, angle: 0, eta: 0.1 }));
    const next = await tab2.waitFor((s) => s.round?.turn === 1, "turn 1");
    expect(next.members).toHaveLength(1);
    expect(next.round?.race.players).toHaveLength(1);
    for (const c of [host, tab1, tab2]) c.close();
  });

  it("a seat expires after the grace period; its token no longer works", async () => {
    const { host, code, players, seats } = await roomWith(["Gone"]);
    await host.waitFor((s) => s.members.length === 1, "Gone seated");
    players[0]!.close();
    await host.waitFor((s) => s.members[0]?.connected === false, "Gone dropped");
    clock.advance(399);
    expect(server.game.hub.room(code)?.state.members).toHaveLength(1);
    clock.advance(1);
    await host.waitFor((s) => s.members.length === 0, "seat expired");
    const back = await connect(server.url, "back");
    expect(
      errorCode(await back.request("room:resume", { code, seatToken: seats[0]!.seatToken })),
    ).toBe(ErrorCode.SEAT_NOT_FOUND);
    // The nickname is free again.
    ok(await back.request("room:join", { code, nickname: "Gone" }));
    for (const c of [host, back]) c.close();
  });

  it("the host reattaches after a reload with room:host", async () => {
    const { host, code, hostToken, players } = await roomWith(["Hal"]);
    host.close();
    await players[0]!.waitFor((s) => !s.hostConnected, "host gone");
    const again = await connect(server.url, "host again");
    ok(await again.request("room:host", { code, hostToken }));
    const s = await again.waitFor((x) => x.you.isHost, "host view");
    expect(s.you.role).toBe("host");
    expect(s.settings.surface).toEqual({ kind: "catalog", id: "booth" });
    expect(
      (await players[0]!.waitFor((x) => x.hostConnected, "host back")).settings.surface,
    ).toBeNull();
    for (const c of [again, ...players]) c.close();
  });
});

describe("host rights", () => {
  it("refuses host-only actions without the token or with a wrong one, and changes nothing", async () => {
    const { host, code, hostToken, players } = await roomWith(["Mal"]);
    const mal = players[0]!;
    const before = (await mal.waitFor(() => true)).rev;
    const wrong = hostToken.replace(/^./, (c) => (c === "A" ? "B" : "A"));
    const cases = [
      ["round:start", { code }],
      ["round:start", { code, hostToken: wrong }],
      ["room:settings", { code, hostToken: wrong, settings: { turns: 5 } }],
      ["room:settings", { code, settings: { turns: 5 } }],
      ["room:kick", { code, hostToken: wrong, nickname: "Mal" }],
      ["room:close", { code, hostToken: wrong }],
      ["room:host", { code, hostToken: wrong }],
    ] as const;
    for (const [event, payload] of cases) {
      const res = (await mal.raw(event, [payload])) as {
        ok: boolean;
        error?: { code: string; message: string };
      };
      expect(res.ok, `${event} ${JSON.stringify(payload)}`).toBe(false);
      expect(res.error?.code).toBe(ErrorCode.NOT_HOST);
      expect(res.error?.message).toMatch(/host/);
    }
    const after = ok(await mal.request("room:sync", {})).state;
    expect(after.rev).toBe(before);
    expect(after.phase).toBe("lobby");
    expect(after.you.isHost).toBe(false);
    for (const c of [host, ...players]) c.close();
  });

  it("the host changes the settings in the lobby, kicks a player and closes the room", async () => {
    const { host, code, hostToken, players } = await roomWith(["Kim", "Lou"]);
    const res = ok(
      await host.request("room:settings", {
        code,
        hostToken,
        settings: {
          surface: { kind: "procedural", difficulty: "easy", seed: 7 },
          turns: 5,
          hint: "blind",
        },
      }),
    );
    expect(res.settings.turns).toBe(5);
    expect(res.settings.secondsPerTurn).toBe(30);
    const kim = await players[0]!.waitFor((s) => s.settings.turns === 5, "settings");
    expect(kim.settings.surface).toBeNull();
    expect(kim.settings.hint).toBe("blind");
    ok(await host.request("room:kick", { code, hostToken, nickname: "kim" }));
    await players[0]!.until(() => players[0]!.closedMessages.length === 1, "kicked");
    expect(players[0]!.closedMessages[0]!.reason).toBe("kicked");
    await host.waitFor((s) => s.members.length === 1, "one member left");
    ok(await host.request("room:close", { code, hostToken }));
    await players[1]!.until(() => players[1]!.closedMessages.length === 1, "closed");
    expect(players[1]!.closedMessages[0]!.reason).toBe("closed-by-host");
    const watcher = await connect(server.url, "watcher");
    expect(errorCode(await watcher.request("room:watch", { code }))).toBe(ErrorCode.ROOM_NOT_FOUND);
    for (const c of [host, watcher, ...players]) c.close();
  });
});

describe("late join, next round, solo, closing", () => {
  it("a player joining mid-round watches, then plays from the next round", async () => {
    const { host, code, hostToken, players } = await roomWith(["Ida"], { turns: 1 });
    ok(await host.request("round:start", { code, hostToken }));
    await players[0]!.waitFor((s) => s.phase === "playing", "playing");
    const jon = await connect(server.url, "Jon");
    ok(await jon.request("room:join", { code, nickname: "Jon" }));
    const watching = await jon.waitFor((s) => s.you.nickname === "Jon", "Jon seated");
    expect(watching.you.inRound).toBe(false);
    expect(watching.round?.role).toBe("spectator");
    expect(watching.round?.you).toBeNull();
    expect(errorCode(await jon.request("round:move", { turn: 0, angle: 0, eta: 0.1 }))).toBe(
      ErrorCode.NOT_A_PLAYER,
    );
    expect(errorCode(await host.request("round:start", { code, hostToken }))).toBe(
      ErrorCode.ROUND_IN_PROGRESS,
    );
    ok(await players[0]!.request("round:move", { turn: 0, angle: 0, eta: 0.1 }));
    await jon.waitFor((s) => s.phase === "revealed", "reveal");
    expect(ok(await host.request("round:start", { code, hostToken })).roundNumber).toBe(2);
    const second = await jon.waitFor((s) => s.roundNumber === 2, "round 2");
    expect(second.you.inRound).toBe(true);
    expect(second.round?.race.players.map((p) => p.nickname)).toEqual(["Ida", "Jon"]);
    ok(await jon.request("round:move", { turn: 0, angle: 0, eta: 0.1 }));
    for (const c of [host, jon, ...players]) c.close();
  });

  it("solo practice: one player (the host) against the bot, untimed; nobody else may sit", async () => {
    const me = await connect(server.url, "solo");
    const created = ok(
      await me.request("room:create", {
        mode: "solo",
        nickname: "Solo",
        settings: { secondsPerTurn: 20, turns: 2 },
      }),
    );
    expect(created.seatToken).toBeTruthy();
    const other = await connect(server.url, "other");
    expect(
      errorCode(await other.request("room:join", { code: created.code, nickname: "Other" })),
    ).toBe(ErrorCode.ROOM_FULL);
    ok(await me.request("round:start", { code: created.code, hostToken: created.hostToken }));
    const s = await me.waitFor((x) => x.phase === "playing", "playing");
    expect(s.round?.settings.secondsPerTurn).toBe(0);
    expect(s.turnDeadline).toBeNull();
    expect(s.you).toMatchObject({ role: "player", isHost: true, inRound: true });
    for (let turn = 0; turn < 2; turn++) {
      await me.waitFor((x) => x.round?.turn === turn, `turn ${turn}`);
      ok(await me.request("round:move", { turn, angle: 3, eta: s.round!.settings.etaMax / 2 }));
    }
    const end = await me.waitFor((x) => x.phase === "revealed", "reveal");
    expect(end.round?.reveal?.bot).not.toBeNull();
    for (const c of [me, other]) c.close();
  });

  it("R24: a solo practice created with start: true is acknowledged with its first round started", async () => {
    const me = await connect(server.url, "one-click");
    const created = ok(
      await me.request("room:create", {
        mode: "solo",
        nickname: "Quick",
        settings: { turns: 1 },
        start: true,
      }),
    );
    const s = await me.waitFor((x) => x.phase === "playing", "playing");
    expect(s.code).toBe(created.code);
    expect(s.roundNumber).toBe(1);
    expect(s.you).toMatchObject({ role: "player", isHost: true, inRound: true });
    // Started once: a second start is refused as for any round in play.
    expect(
      errorCode(
        await me.request("round:start", { code: created.code, hostToken: created.hostToken }),
      ),
    ).toBe(ErrorCode.ROUND_IN_PROGRESS);
    me.close();
  });

  it("calls onRoundFinished with a replayable record before the reveal", async () => {
    const count = saved.length;
    const { host, code, hostToken, players } = await roomWith(["Pat"], { turns: 1 });
    ok(await host.request("round:start", { code, hostToken }));
    await players[0]!.waitFor((s) => s.phase === "playing", "playing");
    ok(await players[0]!.request("round:move", { turn: 0, angle: 0, eta: 0.1 }));
    await players[0]!.waitFor((s) => s.phase === "revealed", "reveal");
    expect(saved.length).toBe(count + 1);
    const record = saved[saved.length - 1]!;
    expect(record.roomCode).toBe(code);
    expect(record.record.actions.map((a) => a.type)).toEqual(["move", "resolve"]);
    const { replayRound } = await import("../../lib/game");
    const replay = replayRound(record.record);
    expect(replay.ok && replay.state.results).toEqual(record.results);
    // The stored round's id reaches everyone with the reveal (the replay link), never before.
    expect(record.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    for (const c of [host, ...players]) {
      await c.waitFor((s) => s.replayId !== undefined, "replay id");
      expect(c.latest!.phase).toBe("revealed");
      expect(c.latest!.replayId).toBe(record.id);
      const early = c.frames.filter(
        (f) =>
          f.event === "room:state" &&
          (f.payload as { replayId?: string; phase: string }).phase !== "revealed" &&
          (f.payload as { replayId?: string }).replayId !== undefined,
      );
      expect(early).toEqual([]);
    }
    for (const c of [host, ...players]) c.close();
  });

  it("closes a room that stays empty, and clears its timers", async () => {
    const { host, code, players } = await roomWith(["Zed"], { secondsPerTurn: 5 });
    for (const c of [host, ...players]) c.close();
    const probe = await connect(server.url, "probe");
    await until(() => server.game.hub.room(code)?.connectionCount === 0, "everyone gone");
    clock.advance(299);
    expect(server.game.hub.room(code)).toBeDefined();
    clock.advance(1);
    expect(errorCode(await probe.request("room:watch", { code }))).toBe(ErrorCode.ROOM_NOT_FOUND);
    expect(server.game.hub.room(code)).toBeUndefined();
    probe.close();
  });
});

describe("persistence failures", () => {
  it("a failing onRoundFinished is retried and the reveal is still sent", async () => {
    let calls = 0;
    const flakyClock = new ManualClock({ runDue: true });
    const flaky = await startServer({
      clock: flakyClock,
      limits: { presenceIntervalMs: 0, progressIntervalMs: 0 },
      persistRetryMs: 10,
      onRoundFinished: () => {
        calls += 1;
        if (calls < 3) throw new Error("database down");
      },
    });
    try {
      const me = await connect(flaky.url, "me");
      const created = ok(
        await me.request("room:create", { mode: "solo", nickname: "Me", settings: { turns: 1 } }),
      );
      ok(await me.request("round:start", { code: created.code, hostToken: created.hostToken }));
      await me.waitFor((s) => s.phase === "playing", "playing");
      ok(await me.request("round:move", { turn: 0, angle: 0, eta: 0.1 }));
      const revealed = await me.waitFor((s) => s.phase === "revealed", "reveal");
      // The first attempt failed: revealed without a replay to link to...
      expect(revealed.replayId).toBeUndefined();
      // The retries wait 10 ms, then 20 ms, on the server's clock.
      await until(() => calls === 1, "the first attempt");
      flakyClock.advance(10);
      await until(() => calls === 2, "the first retry");
      flakyClock.advance(20);
      await until(() => calls >= 3 && flaky.game.stats().pendingSaves === 0, "retries");
      expect(calls).toBe(3);
      expect(flaky.game.stats().pendingSaves).toBe(0);
      // One round stored (timed from its end to the retry that stored it).
      const saves = flaky.game.stats().roundSaves;
      expect(saves.count).toBe(1);
      // ...and the link follows once a retry has stored it.
      const linked = await me.waitFor((s) => s.replayId !== undefined, "the replay link");
      expect(linked.phase).toBe("revealed");
      expect(linked.replayId).toMatch(/^[A-Za-z0-9_-]{16}$/);
      me.close();
    } finally {
      await flaky.close();
    }
  });
});

describe("R11b: the last turn's result at once, the reveal once stored", () => {
  it("sends the sealed result while the round is being saved, then the reveal with its replay", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let saving = 0;
    const slow = await startServer({
      onRoundFinished: async () => {
        saving += 1;
        await held;
      },
    });
    try {
      const room = await openRoom(
        slow.url,
        { surface: { kind: "catalog", id: "booth" }, turns: 2, secondsPerTurn: 30, hint: "blind" },
        ["Ann"],
      );
      const { host, players } = room;
      const ann = players[0]!;
      ok(await host.request("round:start", { code: room.code, hostToken: room.hostToken }));
      for (let turn = 0; turn < 2; turn++) {
        await ann.waitFor((s) => s.phase === "playing" && s.round?.turn === turn, `turn ${turn}`);
        ok(await ann.request("round:move", { turn, angle: 1, eta: 0.5 }));
      }
      const sealed = await ann.waitFor((s) => s.round?.turn === 2, "the last turn's result");
      await until(() => saving === 1, "the save started");
      expect(sealed.phase).toBe("playing");
      expect(sealed.round?.phase).toBe("playing");
      expect(sealed.round?.reveal).toBeNull();
      expect(sealed.round?.you?.path).toHaveLength(3);
      expect(sealed.round?.you?.feedback.map((f) => f.beta)).toEqual([null, null]);
      expect(sealed.round?.you?.gradient).toBeNull();
      expect(sealed.turnDeadline).toBeNull();
      expect(JSON.stringify(sealed)).not.toContain("booth");
      // No more moves: the round is over.
      const late = await ann.request("round:move", { turn: 2, angle: 0, eta: 0.1 });
      expect(late.ok).toBe(false);
      // Still sealed while the save is pending: the reveal waits for it.
      expect(slow.game.hub.room(room.code)?.state.gate).toBe("sealed");
      expect(ann.latest?.phase).toBe("playing");
      release();
      const revealed = await ann.waitFor((s) => s.phase === "revealed", "the reveal");
      expect(revealed.round?.reveal?.surface.id).toBe("booth");
      expect(revealed.replayId).toMatch(/^[A-Za-z0-9_-]{16}$/);
      for (const c of [host, ann]) c.close();
    } finally {
      release();
      await slow.close();
    }
  });
});

describe("saves that end late", () => {
  it("a first save that ends after its round was revealed anyway reveals nothing else", async () => {
    const releases: (() => void)[] = [];
    const slowClock = new ManualClock({ runDue: true });
    const slow = await startServer({
      clock: slowClock,
      limits: { persistWaitMs: 400, presenceIntervalMs: 0, progressIntervalMs: 0 },
      onRoundFinished: () => new Promise<void>((resolve) => releases.push(resolve)),
    });
    try {
      const room = await openRoom(
        slow.url,
        { surface: { kind: "catalog", id: "booth" }, turns: 1, secondsPerTurn: 30 },
        ["Ann"],
      );
      const ann = room.players[0]!;
      // Round 1's save hangs: revealed after the 400 ms wait, without a replay link.
      const played = playRoom(room, 1, () => ({ angle: 1, eta: 0.5 }));
      await until(() => releases.length === 1, "round 1's save started");
      slowClock.advance(400);
      const [first] = await played;
      expect(first?.replayId).toBeUndefined();
      // Round 2 ends and is sealed; its save waits behind round 1's.
      ok(await room.host.request("round:start", { code: room.code, hostToken: room.hostToken }));
      await ann.waitFor((s) => s.roundNumber === 2 && s.phase === "playing", "round 2");
      ok(await ann.request("round:move", { turn: 0, angle: 2, eta: 0.5 }));
      await ann.waitFor((s) => s.roundNumber === 2 && s.round?.turn === 1, "round 2 sealed");
      // Round 1's save lands now: round 2 stays sealed, and gets no link of round 1's.
      releases[0]!();
      await until(() => releases.length === 2, "round 2's save started");
      // No time has passed on the server's clock: round 2 is within its own 400 ms wait.
      expect(slow.game.hub.room(room.code)?.state.gate).toBe("sealed");
      expect(ann.latest?.roundNumber).toBe(2);
      expect(ann.latest?.phase).toBe("playing");
      expect(ann.latest?.replayId).toBeUndefined();
      releases[1]!();
      const second = await ann.waitFor(
        (s) => s.roundNumber === 2 && s.phase === "revealed" && s.replayId !== undefined,
        "round 2 revealed with its link",
      );
      expect(second.round?.reveal).not.toBeNull();
      for (const c of room.clients) c.close();
    } finally {
      for (const release of releases) release();
      await slow.close();
    }
  });
});

describe("transport guards", () => {
  it("refuses a client of another protocol version at connection time", async () => {
    const client = new TestClient(server.url, "old", { auth: { protocolVersion: 999 } });
    await expect(client.connected()).rejects.toThrow(/PROTOCOL_MISMATCH/);
    client.close();
  });

  it("a message over the transport limit closes the connection; the server lives on", async () => {
    const client = await connect(server.url, "big");
    const closed = new Promise<string>((resolve) =>
      client.socket.on("disconnect", (reason) => resolve(reason)),
    );
    const emit = client.socket.emit.bind(client.socket) as unknown as (...args: unknown[]) => void;
    emit("room:join", { code: "ABCDEF", nickname: "x".repeat(20_000) }, () => {});
    expect(await closed).toMatch(/transport/);
    const fresh = await connect(server.url, "after");
    ok(await fresh.request("room:create", { mode: "room" }));
    fresh.close();
  });

  it("rate-limits a flooding socket, then disconnects it", async () => {
    const strict = await startServer({ rateLimit: { perSecond: 5, burst: 5, maxStrikes: 20 } });
    try {
      const client = await connect(strict.url, "flood");
      const disconnected = new Promise<void>((resolve) =>
        client.socket.on("disconnect", () => resolve()),
      );
      const results = await Promise.all(
        Array.from({ length: 15 }, () => client.request("room:sync", {}).catch(() => null)),
      );
      const codes = results.map((r) => (r && !r.ok ? r.error.code : "ok"));
      expect(codes.filter((c) => c === ErrorCode.RATE_LIMITED).length).toBeGreaterThanOrEqual(9);
      const emit = client.socket.emit.bind(client.socket) as unknown as (
        ...args: unknown[]
      ) => void;
      for (let i = 0; i < 30; i++) emit("room:sync", {});
      await disconnected;
    } finally {
      await strict.close();
    }
  });
});
