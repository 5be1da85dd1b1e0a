/**
 * R11a: a big reveal's other players travel once per room, by reference (RoomSnapshot.revealPlayers,
 * GET /api/rooms/CODE/reveals/KEY), and put back with lib's withRevealPlayers they give every
 * viewer the full reveal. Real server, real sockets, real HTTP.
 */
import { get } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withRevealPlayers } from "../../lib/protocol";
import type { RevealPlayersBody, RoomSnapshot } from "../../lib/protocol";
import { openRoom, playRoom, sharedState, startServer } from "./harness";
import type { TestServer } from "./harness";

let server: TestServer;
let inline: TestServer;
beforeAll(async () => {
  // Three players share their reveal here; the other server keeps the default (16: inline).
  server = await startServer({ limits: { revealInlinePlayers: 2 } });
  inline = await startServer();
});
afterAll(async () => {
  await Promise.all([server.close(), inline.close()]);
});

/** Host, three players and a spectator play a 2-turn round on `url`; returns every final snapshot. */
async function playToReveal(url: string) {
  const room = await openRoom(
    url,
    { surface: { kind: "catalog", id: "booth" }, turns: 2, secondsPerTurn: 30 },
    ["Ada", "Bo", "Cy"],
    { spectator: true },
  );
  const finals = await playRoom(room, 2, (i, turn) => ({
    angle: 1 + i + turn,
    eta: 0.4 + 0.1 * i,
  }));
  return { ...room, finals };
}

function fetchRaw(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      get(url, { headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      }).on("error", reject);
    },
  );
}

describe("R11a: a big reveal's shared entries", () => {
  it("travel once by reference, gzipped, and put back give every viewer the whole reveal", async () => {
    const { code, clients, players, finals } = await playToReveal(server.url);
    const [hostFinal, spectatorFinal, ...playerFinals] = finals as RoomSnapshot[];
    const href = hostFinal!.revealPlayers?.href ?? "";
    expect(href).toMatch(new RegExp(`^/api/rooms/${code}/reveals/[A-Za-z0-9_-]{20,}$`));
    // One reference for everyone; each snapshot holds only its viewer's own entry.
    for (const final of finals) expect(final.revealPlayers).toEqual({ href, players: 3 });
    expect(hostFinal!.round?.reveal?.players).toEqual([]);
    expect(spectatorFinal!.round?.reveal?.players).toEqual([]);
    for (const [i, final] of playerFinals.entries()) {
      expect(final.round?.reveal?.players.map((p) => [p.seat, p.you])).toEqual([[i, true]]);
    }
    // No snapshot before the reveal pointed anywhere.
    for (const p of players) {
      const early = p.frames.filter(
        (f) => f.event === "room:state" && (f.payload as RoomSnapshot).phase !== "revealed",
      );
      expect(early.length).toBeGreaterThan(0);
      for (const f of early) expect((f.payload as RoomSnapshot).revealPlayers).toBeUndefined();
    }

    // fetch asks for gzip and undoes it.
    const res = await fetch(server.url + href);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("cache-control")).toContain("immutable");
    const body = (await res.json()) as RevealPlayersBody;
    expect(body.code).toBe(code);
    expect(body.roundNumber).toBe(1);
    expect(body.players.map((p) => [p.seat, p.nickname, p.you])).toEqual([
      [0, "Ada", false],
      [1, "Bo", false],
      [2, "Cy", false],
    ]);
    // Without gzip: the same JSON, plain.
    const plain = await fetchRaw(server.url + href);
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(plain.body)).toEqual(body);

    const merged = finals.map((f) => withRevealPlayers(f, body));
    for (const m of merged) {
      expect(m.revealPlayers).toBeUndefined();
      expect(m.round?.reveal?.players).toHaveLength(3);
    }
    // Everyone now holds the same reveal; a player's own entry is theirs (you: true, own path).
    const reference = sharedState(merged[0]!);
    for (const m of merged) expect(sharedState(m)).toEqual(reference);
    for (const m of merged.slice(2)) {
      const own = m.round!.reveal!.players.filter((p) => p.you);
      expect(own.map((p) => p.seat)).toEqual([m.round!.you!.seat]);
      expect(own[0]!.path).toEqual(m.round!.you!.path);
      expect(own[0]!.feedback).toEqual(m.round!.you!.feedback);
    }
    // Each entry agrees with the live race and holds every turn's feedback.
    const reveal = merged[0]!.round!.reveal!;
    for (const p of reveal.players) {
      expect(p.losses).toEqual(merged[0]!.round!.race.players[p.seat]!.losses);
      expect(p.path).toHaveLength(3);
      expect(p.feedback.map((f) => f.move !== null)).toEqual([true, true]);
    }
    // A body for another round or room changes nothing.
    expect(withRevealPlayers(finals[2]!, { ...body, roundNumber: 2 })).toBe(finals[2]);
    expect(withRevealPlayers(finals[2]!, { ...body, code: "ZZZZZZ" })).toBe(finals[2]);
    for (const c of clients) c.close();
  });

  it("refuses what is not a current reveal: wrong key, bad code, other methods", async () => {
    const { code, hostToken, host, clients, players, finals } = await playToReveal(server.url);
    const href = finals[0]!.revealPlayers!.href;
    const wrongKey = await fetch(`${server.url}/api/rooms/${code}/reveals/${"A".repeat(24)}`);
    expect(wrongKey.status).toBe(404);
    expect(((await wrongKey.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    const otherRoom = await fetch(server.url + href.replace(code, "ZZZZZZ"));
    expect(otherRoom.status).toBe(404);
    const badCode = await fetch(`${server.url}/api/rooms/not%20a%20code/reveals/abc`);
    expect(badCode.status).toBe(404);
    const post = await fetch(server.url + href, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    // While it is the room's latest reveal the URL answers; the next reveal replaces it.
    expect((await fetch(server.url + href)).status).toBe(200);
    const [second] = await playRoom(
      { code, hostToken, host, players, spectator: null, clients },
      2,
      (i) => ({ angle: 2 + i, eta: 0.3 }),
      2,
    );
    const next = second!.revealPlayers!.href;
    expect(next).not.toBe(href);
    expect((await fetch(server.url + href)).status).toBe(404);
    const nextRes = await fetch(server.url + next);
    expect(nextRes.status).toBe(200);
    expect(((await nextRes.json()) as RevealPlayersBody).roundNumber).toBe(2);
    for (const c of clients) c.close();
  });

  it("small rounds (at most REVEAL_INLINE_PLAYERS players) keep every entry in the snapshot", async () => {
    const { clients, finals } = await playToReveal(inline.url);
    for (const final of finals) {
      expect(final.revealPlayers).toBeUndefined();
      expect(final.round?.reveal?.players).toHaveLength(3);
    }
    for (const c of clients) c.close();
  });
});
