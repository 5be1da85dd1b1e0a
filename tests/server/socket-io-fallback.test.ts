/**
 * server/socket-io.ts writes snapshots as pre-encoded packets through socket.io's internal
 * `Client#_packet`; without it (another socket.io version) it must fall back to `emit` and the
 * game must play the same. Both paths, real server and sockets.
 */
import { afterEach, describe, expect, it } from "vitest";
import { setPlainEmitForTests } from "../../server/socket-io";
import { openRoom, playRoom, sharedState, startServer } from "./harness";
import type { TestClient } from "./harness";

afterEach(() => setPlainEmitForTests(false));

async function playOneRound(plain: boolean) {
  setPlainEmitForTests(plain);
  const server = await startServer();
  const clients: TestClient[] = [];
  try {
    const room = await openRoom(
      server.url,
      { surface: { kind: "catalog", id: "booth" }, turns: 2, secondsPerTurn: 30 },
      ["Ada", "Bo"],
    );
    clients.push(...room.clients);
    const finals = await playRoom(room, 2, (i) => ({ angle: 2 + i, eta: 0.5 }));
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
