/**
 * The browser stores' loader of a big reveal's other players (app/lib/reveal-players.ts, R11a),
 * against a real game server: a 3-player round on a server that shares reveals above 2 players.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RevealPlayers } from "../../app/lib/reveal-players";
import { pendingRevealPlayers } from "../../lib/protocol";
import type { RoomSnapshot } from "../../lib/protocol";
import { openRoom, playRoom, startServer } from "../server/harness";
import type { TestClient, TestServer } from "../server/harness";

let server: TestServer;
let revealed: RoomSnapshot;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startServer({ limits: { revealInlinePlayers: 2 } });
  const room = await openRoom(
    server.url,
    { surface: { kind: "catalog", id: "matyas" }, turns: 1, secondsPerTurn: 30 },
    ["Ada", "Bo", "Cy"],
  );
  clients.push(...room.clients);
  const finals = await playRoom(room, 1, (i) => ({ angle: i, eta: 0.5 }));
  revealed = finals[2]!; // Bo's (host, then the players)
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
});

/** fetch against the test server, counting requests; `fail` answers the first N with a 503. */
function fetcher(fail = 0) {
  const calls: string[] = [];
  const f = ((href: string, init?: RequestInit) => {
    calls.push(href);
    if (calls.length <= fail) return Promise.resolve(new Response("busy", { status: 503 }));
    return fetch(server.url + href, init);
  }) as typeof fetch;
  return { calls, f };
}

describe("RevealPlayers (R11a)", () => {
  it("fetches the other players once and completes every snapshot of that reveal", async () => {
    expect(pendingRevealPlayers(revealed)).toBe(2);
    const { calls, f } = fetcher();
    let notified = 0;
    let done!: () => void;
    const arrived = new Promise<void>((resolve) => (done = resolve));
    const loader = new RevealPlayers(() => {
      notified += 1;
      done();
    }, f);
    // On its way: the snapshot as it is, one request however often it is asked.
    expect(loader.complete(revealed)).toBe(revealed);
    expect(loader.complete(revealed)).toBe(revealed);
    await arrived;
    expect(calls).toEqual([revealed.revealPlayers!.href]);
    expect(notified).toBe(1);
    const full = loader.complete(revealed);
    expect(pendingRevealPlayers(full)).toBe(0);
    expect(full.revealPlayers).toBeUndefined();
    expect(full.round?.reveal?.players.map((p) => [p.nickname, p.you])).toEqual([
      ["Ada", false],
      ["Bo", true],
      ["Cy", false],
    ]);
    // A later snapshot of the same reveal (say, a presence update) is completed at once.
    expect(
      loader.complete({ ...revealed, rev: revealed.rev + 1 }).round?.reveal?.players,
    ).toHaveLength(3);
    expect(calls).toHaveLength(1);
    // Snapshots without a reference pass through untouched.
    expect(loader.complete(full)).toBe(full);
  });

  it("retries a failed request and gives up on a 404 (the room has moved on)", async () => {
    const flaky = fetcher(1);
    let done!: () => void;
    const arrived = new Promise<void>((resolve) => (done = resolve));
    const loader = new RevealPlayers(() => done(), flaky.f);
    loader.complete(revealed);
    await arrived;
    expect(flaky.calls).toHaveLength(2);
    expect(pendingRevealPlayers(loader.complete(revealed))).toBe(0);

    const gone = fetcher();
    let notified = 0;
    const lost = new RevealPlayers(() => (notified += 1), gone.f);
    const stale: RoomSnapshot = {
      ...revealed,
      revealPlayers: {
        ...revealed.revealPlayers!,
        href: `/api/rooms/${revealed.code}/reveals/${"x".repeat(24)}`,
      },
    };
    lost.complete(stale);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gone.calls).toHaveLength(1);
    expect(notified).toBe(0);
    expect(lost.complete(stale)).toBe(stale);
  });
});
