/**
 * A finished round survives `kill -9`: a real process saves a round on a PGlite folder and is
 * SIGKILLed as soon as it reports the save; reopening the folder finds the whole round.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { verifyReplay } from "../../lib/game/replay-check";
import { createDatabase, getReplay } from "../../server/db";
import { playRound } from "./fixtures";

const child = fileURLToPath(new URL("./kill-child.ts", import.meta.url));
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Run the child until it reports a save, SIGKILL it, and return the saved round's id. */
async function saveThenKill(dataDir: string, seed: number): Promise<string> {
  const proc = spawn(process.execPath, ["--import", "tsx", child, dataDir, String(seed)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    proc.once("exit", (code, signal) => resolve(signal ?? code)),
  );
  let id: string | null = null;
  for await (const line of createInterface({ input: proc.stdout })) {
    const match = /^SAVED (\S+)$/.exec(line);
    if (match) {
      id = match[1]!;
      proc.kill("SIGKILL");
      break;
    }
  }
  const how = await exited;
  if (!id) throw new Error(`the child exited (${String(how)}) without saving: ${stderr}`);
  expect(how).toBe("SIGKILL");
  return id;
}

describe("durability", () => {
  it("a round saved right before a kill -9 is there after a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "blind-descent-kill-"));
    dirs.push(dir);
    const dataDir = join(dir, "pglite");
    const id = await saveThenKill(dataDir, 4242);

    const db = await createDatabase({ kind: "pglite", dataDir });
    try {
      expect((await db.migrate()).applied).toEqual([]);
      const replay = await getReplay(db, id);
      expect(replay).not.toBeNull();
      const played = playRound(4242, { players: 3 });
      expect(replay!.participants).toHaveLength(played.state.players.length + 1);
      const check = verifyReplay(replay!);
      expect(check.ok, check.ok ? "" : check.message).toBe(true);
      expect(await db.prisma.move.count({ where: { roundId: id } })).toBe(
        played.state.players.length * played.state.settings.turns,
      );
    } finally {
      await db.close();
    }
  }, 60_000);
});
