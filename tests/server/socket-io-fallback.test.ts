/**
 * server/socket-io.ts writes snapshots as pre-encoded packets through socket.io's internal
 * `Client#_packet`; without it (another socket.io version) it must fall back to `emit` and the
 * game must play the same. Both paths, real server and sockets.
 */
import { afterEach, describe, expect, it } from "vitest";
import { setPlainEmitForTests } from "../../server/socket-io";
import { connect, ok, sharedState, startServer } from "./harness";
import type { TestClient } from "./harness";

afterEach(() => setPlainEmitForTests(false));

async function playOneRound(plain: boolean) {
  setPlainEmitForTests(plain);
  const server = await startServer();
  const clients: TestClient[] = [];
  try {
    const host = await connect(server.url, "host");
    clients.push(host);
    const created = ok(
      await host.request("room:create", {
        mode: "room",
        settings: { surface: { kind: "catalog", id: "booth" }, turns: 2, secondsPerTurn: 30 },
      }),
    );
    const players: TestClient[] = [];
    for (const name of ["Ada", "Bo"]) {
      const c = await connect(server.url, name);
      clients.push(c);
      ok(await c.request("room:join", { code: created.code, nickname: name }));
      players.push(c);
    }
    await host.waitFor((s) => s.members.length === 2, "two members");
    ok(await host.request("round:start", { code: created.code, hostToken: created.hostToken }));
    for (let turn = 0; turn < 2; turn++) {
      await Promise.all(
        players.map(async (p, i) => {
          await p.waitFor((s) => s.phase === "playing" && s.round?.turn === turn, `turn ${turn}`);
          ok(await p.request("round:move", { turn, angle: 2 + i, eta: 0.5 }));
        }),
      );
    }
    const finals = await Promise.all(
      clients.map((c) => c.waitFor((s) => s.phase === "revealed", "the reveal")),
    );
    // Every frame arrived as an object, not as text.
    for (const c of clients) {
      for (const f of c.frames) expect(typeof f.payload).toBe("object");
    }
    return finals;
  } finally {
    for (const c of clients) c.close();
    await server.close();
  }
}

describe("snapshots without socket.io's pre-encoded packet path", () => {
  it("fall back to emit: every client gets the same reveal, as with pre-encoded packets", async () => {
    for (const plain of [false, true]) {
      const finals = await playOneRound(plain);
      const reference = sharedState(finals[0]!);
      for (const f of finals) expect(sharedState(f)).toEqual(reference);
      expect(finals[1]!.round?.reveal?.players.map((p) => p.nickname)).toEqual(["Ada", "Bo"]);
    }
  });
});
