import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, ok, startServer } from "./harness";
import type { TestServer } from "./harness";

/**
 * `npm run bot` against a live test server: the script joins through the public protocol and
 * plays every turn, with the gradient hint and blind, then leaves after its rounds.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe("scripts/bot.ts", () => {
  it("joins a room, plays a gradient-hint round and a blind round with Adam, then leaves", async () => {
    const host = await connect(server.url, "host");
    const { code, hostToken } = ok(
      await host.request("room:create", {
        mode: "room",
        settings: { surface: { kind: "catalog", id: "booth" }, turns: 6, secondsPerTurn: 20 },
      }),
    );
    const bot = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "scripts/bot.ts",
        "--url",
        server.url,
        "--room",
        code.toLowerCase(),
        "--optimizer",
        "adam",
        "--rounds",
        "2",
      ],
      { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    bot.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    bot.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => bot.on("exit", (code) => resolve(code)));
    try {
      await host.waitFor(
        (s) => s.members.some((m) => m.nickname === "bot-adam"),
        "the bot joined",
        15_000,
      );
      for (const [round, hint] of [
        [1, "gradient"],
        [2, "blind"],
      ] as const) {
        ok(
          await host.request("round:start", {
            code,
            hostToken,
            settings: {
              surface: { kind: "catalog", id: "booth" },
              turns: 6,
              secondsPerTurn: 20,
              hint,
            },
          }),
        );
        const revealed = await host.waitFor(
          (s) => s.roundNumber === round && s.phase === "revealed",
          `round ${round} revealed`,
          15_000,
        );
        const track = revealed.round!.reveal!.players.find((p) => p.nickname === "bot-adam")!;
        expect(
          track.feedback.every((f) => f.move !== null),
          `the bot moved every turn of round ${round}`,
        ).toBe(true);
        if (hint === "gradient") expect(track.losses.at(-1)!).toBeLessThan(track.losses[0]!);
      }
      expect(await exited).toBe(0);
      expect(output).toMatch(/joined room/);
      expect(output).toMatch(/round 2 revealed/);
      await host.waitFor((s) => s.members.length === 0, "the bot left");
    } finally {
      bot.kill();
      host.close();
    }
  }, 60_000);
});
