import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, ok, sharedState, startServer } from "./harness";
import type { TestClient, TestServer } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe("a full round", () => {
  it("three players and the bot play to the reveal; every client ends with the same state", async () => {
    const host = await connect(server.url, "host");
    const created = ok(
      await host.request("room:create", {
        mode: "room",
        settings: { surface: { kind: "catalog", id: "himmelblau" }, turns: 4, secondsPerTurn: 30 },
      }),
    );
    expect(created.code).toMatch(/^[23456789A-HJKMNP-Z]{6}$/);
    const players: TestClient[] = [];
    for (const name of ["Ada", "Brahmagupta", "Cauchy"]) {
      const client = await connect(server.url, name);
      ok(
        await client.request("room:join", {
          code: created.code.toLowerCase(),
          nickname: ` ${name} `,
        }),
      );
      players.push(client);
    }
    const spectator = await connect(server.url, "spectator");
    ok(await spectator.request("room:watch", { code: created.code }));
    await host.waitFor((s) => s.members.length === 3, "three members");
    ok(await host.request("round:start", { code: created.code, hostToken: created.hostToken }));

    for (let turn = 0; turn < 4; turn++) {
      await Promise.all(
        players.map(async (player, i) => {
          await player.waitFor(
            (s) => s.phase === "playing" && s.round?.turn === turn,
            `turn ${turn}`,
          );
          const res = await player.request("round:move", {
            turn,
            angle: 0.3 + i + turn,
            eta: 0.2 + 0.1 * i,
          });
          expect(ok(res).turn).toBe(turn);
        }),
      );
    }
    const everyone = [host, spectator, ...players];
    const finals = await Promise.all(
      everyone.map((c) => c.waitFor((s) => s.phase === "revealed", "the reveal")),
    );
    const reference = sharedState(finals[0]!);
    for (const final of finals) expect(sharedState(final)).toEqual(reference);
    const reveal = finals[0]!.round!.reveal!;
    expect(reveal.surface.id).toBe("himmelblau");
    expect(reveal.players.map((p) => p.nickname)).toEqual(["Ada", "Brahmagupta", "Cauchy"]);
    expect(reveal.players.every((p) => p.path.length === 5)).toBe(true);
    expect(reveal.bot?.path.length).toBe(5);
    expect(reveal.results.ranking.map((r) => r.rank).sort()).toEqual([1, 2, 3]);
    const stats = server.game.stats();
    expect(stats.movesAccepted).toBeGreaterThanOrEqual(12);
    for (const c of everyone) c.close();
  });
});
