import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayRound } from "../../lib/game";
import type { RoomSnapshot } from "../../lib/protocol";
import { createRng } from "../../lib/random";
import type { Rng } from "../../lib/random";
import type { FinishedRound } from "../../server/room";
import { connect, ok, sharedState, startServer } from "./harness";
import type { TestServer, TestClient } from "./harness";
import { ManualClock } from "./manual-clock";

/**
 * Seeded fuzzing (issue 3 §5, STYLE.md "Seeded fuzzing"): random players, moves (good and bad),
 * disconnects, reconnects, late joins, leaves and rounds, driven by one seed. At the end every
 * connection must hold the same room state (its latest pushed snapshot equal to a fresh
 * `room:sync`, the same `rev`, the same revealed rounds), every accepted move must appear exactly
 * once in the reveals, and every saved record must replay to the results the clients were shown.
 *
 * The room runs on a manual clock and every step reads the room's truth (`room:sync`) rather than a
 * client's latest push, and waits (turns of the event loop, never a timer) until the server has
 * seen a dropped connection: so a seed gives the same log of operations and outcomes every run,
 * and a test checks exactly that.
 *
 * A failure names its seed. Re-run one seed with `FUZZ_SEED=1234 npx vitest run tests/server/fuzz`,
 * and pin it below in PINNED_SEEDS so it runs forever after. Explore new seeds with
 * `FUZZ_RANDOM=1 FUZZ_RUNS=200 npx vitest run tests/server/fuzz`.
 */

/** Seeds that once failed (or that cover a corner), run every time. */
const PINNED_SEEDS: readonly number[] = [
  1, 2, 3,
  // Every player of an untimed round left: the round could never end (now: it fast-forwards).
  729035,
];
const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
/** FUZZ_RANDOM=1 explores fresh seeds (from the time); by default the seeds are fixed. */
const FRESH = process.env.FUZZ_RANDOM === "1";
const ONLY_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : null;

let server: TestServer;
const saved: FinishedRound[] = [];
const clock = new ManualClock();
beforeAll(async () => {
  server = await startServer({
    clock,
    limits: { progressIntervalMs: 15, seatGraceMs: 60_000 },
    onRoundFinished: (round) => {
      saved.push(round);
    },
  });
});
afterAll(async () => {
  await server.close();
});

interface Seat {
  nickname: string;
  seatToken: string;
  client: TestClient | null;
  gone: boolean;
}

function pick<T>(rng: Rng, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[rng.int(items.length)];
}

let log: string[] = [];

/** Yield to the event loop until `check` holds (a server-side fact no ack announces). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; !check(); i++) {
    if (i > 100_000) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function runSeed(seed: number): Promise<string[]> {
  const rng = createRng(seed);
  log = [];
  const acceptedMoves = new Map<number, number>(); // roundNumber → accepted moves
  const host = await connect(server.url, `host-${seed}`);
  const hostPlays = rng.next() < 0.5;
  const turns = 2 + rng.int(4);
  const created = ok(
    await host.request(
      "room:create",
      hostPlays
        ? {
            mode: "room",
            hostPlays: true,
            nickname: "H0",
            settings: { turns, secondsPerTurn: 0, surface: { kind: "catalog", id: "himmelblau" } },
          }
        : {
            mode: "room",
            settings: { turns, secondsPerTurn: 0, surface: { kind: "catalog", id: "himmelblau" } },
          },
    ),
  );
  const { code, hostToken } = created;
  const seats: Seat[] = [];
  if (hostPlays)
    seats.push({ nickname: "H0", seatToken: created.seatToken!, client: host, gone: false });
  const spectator = await connect(server.url, `spectator-${seed}`);
  ok(await spectator.request("room:watch", { code }));
  const extraClients: TestClient[] = [host, spectator];
  let nextName = 1;

  const join = async (): Promise<void> => {
    const nickname = `P${nextName++}`;
    const client = await connect(server.url, nickname);
    const res = await client.request("room:join", { code, nickname });
    log.push(`join ${nickname} → ${res.ok ? "ok" : res.error.code}`);
    if (res.ok) seats.push({ nickname, seatToken: res.seatToken, client, gone: false });
    else client.close();
  };
  for (let i = 0, n = 1 + rng.int(4); i < n; i++) await join();

  const live = () => seats.filter((s) => !s.gone && s.client);
  const away = () => seats.filter((s) => !s.gone && !s.client);
  const phase = async () => ok(await host.request("room:sync", {})).state;

  const move = async (seat: Seat, valid: boolean): Promise<void> =>
    moveAt(seat, valid, await phase(), log);
  /** A move at the turn of `snap` (the room's truth); its payload's randomness is drawn at once. */
  const moveAt = async (
    seat: Seat,
    valid: boolean,
    snap: RoomSnapshot,
    out: string[],
  ): Promise<void> => {
    const round = snap.round;
    const turn = round?.turn ?? 0;
    const etaMax = round?.settings.etaMax ?? 1;
    const payload = valid
      ? { turn, angle: rng.uniform(-Math.PI, Math.PI), eta: etaMax * (0.05 + 0.9 * rng.next()) }
      : pick(rng, [
          { turn: turn + 1, angle: 0, eta: etaMax / 2 },
          { turn, angle: 0, eta: etaMax * 2 },
          { turn, angle: 0, eta: 0 },
        ])!;
    const res = await seat.client!.request("round:move", payload);
    out.push(
      `move ${seat.nickname} t${turn} ${valid ? "valid" : "bad"} → ${res.ok ? "ok" : res.error.code}`,
    );
    if (res.ok) {
      const n = snap.roundNumber;
      acceptedMoves.set(n, (acceptedMoves.get(n) ?? 0) + 1);
    }
  };

  const steps = 40 + rng.int(40);
  for (let step = 0; step < steps; step++) {
    const r = rng.next();
    const state = await phase();
    if (state.phase !== "playing" && r < 0.15) {
      const res = await host.request("round:start", { code, hostToken });
      log.push(`start → ${res.ok ? res.roundNumber : res.error.code}`);
      continue;
    }
    if (r < 0.6) {
      // A burst of concurrent moves, some of them bad or duplicated.
      // Each outcome is logged in the movers' order, whatever order the acks come back in.
      const movers = live().filter(() => rng.next() < 0.7);
      const plans = movers.map((s) => ({ s, valid: rng.next() < 0.85, out: [] as string[] }));
      const snap = await phase();
      await Promise.all(plans.map((p) => moveAt(p.s, p.valid, snap, p.out)));
      for (const p of plans) log.push(...p.out);
    } else if (r < 0.7) {
      const seat = pick(rng, live());
      if (seat && seat.client !== host) {
        log.push(`drop ${seat.nickname}`);
        seat.client!.close();
        seat.client = null;
        const room = server.game.hub.room(code);
        await until(
          () => room?.state.members.find((m) => m.nickname === seat.nickname)?.connected === false,
          `the server saw ${seat.nickname} drop`,
        );
      }
    } else if (r < 0.82) {
      const seat = pick(rng, away());
      if (seat) {
        const client = await connect(server.url, seat.nickname);
        const res = await client.request("room:resume", { code, seatToken: seat.seatToken });
        log.push(`resume ${seat.nickname} → ${res.ok ? "ok" : res.error.code}`);
        expect(res.ok, `resume ${seat.nickname}`).toBe(true);
        seat.client = client;
      }
    } else if (r < 0.9) {
      if (seats.length < 8) await join();
    } else if (r < 0.94) {
      const seat = pick(rng, live());
      if (seat && seat.client !== host) {
        const res = await seat.client!.request("room:leave", {});
        log.push(`leave ${seat.nickname} → ${res.ok ? "ok" : res.error.code}`);
        seat.client!.close();
        seat.client = null;
        seat.gone = true;
      }
    } else {
      // A second tab takes a live seat over.
      const seat = pick(rng, live());
      if (seat && seat.client !== host) {
        const tab = await connect(server.url, seat.nickname);
        const res = await tab.request("room:resume", { code, seatToken: seat.seatToken });
        log.push(`second tab ${seat.nickname} → ${res.ok ? "ok" : res.error.code}`);
        // The server detached the old tab before it answered the new one.
        seat.client!.close();
        seat.client = tab;
      }
    }
  }

  // Settle: everyone comes back, the current round (or a new one) is played to the reveal.
  for (const seat of away()) {
    const client = await connect(server.url, seat.nickname);
    ok(await client.request("room:resume", { code, seatToken: seat.seatToken }));
    seat.client = client;
  }
  if ((await phase()).phase !== "playing") {
    if (live().length === 0) await join();
    const res = ok(await host.request("round:start", { code, hostToken }));
    log.push(`final start → ${res.roundNumber}`);
  }
  for (let guard = 0; (await phase()).phase === "playing"; guard++) {
    const state = await phase();
    if (guard >= 200)
      log.push(
        JSON.stringify({
          members: state.members,
          turn: state.round?.turn,
          race: state.round?.race.players.map((p) => [p.nickname, p.moved]),
        }),
      );
    expect(guard, "the final round ends").toBeLessThan(200);
    const inRound = new Set(
      state.members.filter((m) => m.inRound && !m.moved).map((m) => m.nickname),
    );
    const movers = live().filter((s) => inRound.has(s.nickname));
    for (const s of movers) await move(s, true);
  }

  // Convergence: every connection's latest snapshot is the room's current state for it, once the
  // throttled presence and progress messages are due.
  clock.advance(1_000);
  const clients = [...new Set([...extraClients, ...live().map((s) => s.client!)])].filter(
    (c) => c.socket.connected,
  );
  const truth = await phase();
  expect(truth.phase).toBe("revealed");
  for (const c of clients) {
    // Pushed snapshots (presence ones are throttled) must catch up with the room's current rev.
    const fresh = ok(await c.request("room:sync", {})).state;
    expect(fresh.rev).toBe(truth.rev);
    await c.waitFor((s) => s.rev >= fresh.rev, `rev ${fresh.rev}`, 3_000);
    expect({ ...c.latest, serverTime: 0 }, `${c.name}'s latest snapshot is the truth`).toEqual({
      ...fresh,
      serverTime: 0,
    });
  }
  const shared = clients.map((c) => sharedState(c.latest as RoomSnapshot));
  for (const s of shared) expect(s).toEqual(shared[0]);

  // Every accepted move of a finished round appears exactly once in its reveal; records replay.
  const mine = saved.filter((r) => r.roomCode === code);
  expect(mine.length).toBe(truth.roundNumber);
  for (const record of mine) {
    const replay = replayRound(record.record);
    expect(replay.ok).toBe(true);
    if (replay.ok) expect(replay.state.results).toEqual(record.results);
    const moves = record.record.actions.filter((a) => a.type === "move").length;
    expect(moves, `round ${record.roundNumber}: accepted moves = recorded moves`).toBe(
      acceptedMoves.get(record.roundNumber) ?? 0,
    );
  }
  const reveal = truth.round!.reveal!;
  const revealedMoves = reveal.players.reduce(
    (n, p) => n + p.feedback.filter((f) => f.move).length,
    0,
  );
  expect(revealedMoves).toBe(acceptedMoves.get(truth.roundNumber) ?? 0);

  for (const c of [
    ...clients,
    ...seats.map((s) => s.client).filter((c): c is TestClient => c !== null),
  ])
    c.close();
  return log;
}

async function runNamed(seed: number): Promise<string[]> {
  try {
    return await runSeed(seed);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `fuzz seed ${seed} failed (re-run: FUZZ_SEED=${seed} npx vitest run tests/server/fuzz): ${message}\nlast operations:\n  ${log.slice(-25).join("\n  ")}`,
    );
  }
}

describe("seeded fuzz: all clients converge", () => {
  if (ONLY_SEED !== null) {
    it(`seed ${ONLY_SEED}`, () => runNamed(ONLY_SEED), 60_000);
    return;
  }
  for (const seed of PINNED_SEEDS) it(`pinned seed ${seed}`, () => runNamed(seed), 30_000);
  it("the same seed gives the same log of operations and outcomes", async () => {
    const first = await runNamed(4242);
    const second = await runNamed(4242);
    expect(first.length).toBeGreaterThan(40);
    expect(second).toEqual(first);
  }, 60_000);
  // Fixed seeds by default (CI is reproducible); FUZZ_RANDOM=1 FUZZ_RUNS=200 explores new ones.
  const base = FRESH ? Date.now() % 1_000_000 : 1000;
  for (let i = 0; i < RUNS; i++) {
    const seed = base + i * 7919;
    it(`seed ${seed}`, () => runNamed(seed), 30_000);
  }
});
