/**
 * The replay check in a real browser engine (Debian's Chromium) agrees with the server's, bit for
 * bit, on every catalog surface and several procedural ones, for rounds stored and read back
 * (R16). The replay page runs lib/game/replay-check.ts on the server and again in the browser;
 * when the rules used the engine's `Math.exp`/`Math.cos`, an Ackley replay showed "Verified" and a
 * red "does not match" on the same page (Node's V8 and Chromium's differ in the last bit).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import type { Browser } from "@playwright/test";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { participantResults, verifyReplay } from "../../lib/game/replay-check";
import type * as ReplayCheckModule from "../../lib/game/replay-check";
import { OPTIMIZER_IDS } from "../../lib/optimizers";
import type { SurfaceRef } from "../../lib/surface-ref";
import { surfaceIds } from "../../lib/surfaces";
import { createDatabase, getReplay, saveRound } from "../../server/db";
import type { Database, StoredReplay } from "../../server/db";
import { playRound } from "./fixtures";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const REFS: readonly SurfaceRef[] = [
  ...surfaceIds.map((id) => ({ kind: "catalog" as const, id })),
  { kind: "procedural", seed: 7, difficulty: "easy" },
  { kind: "procedural", seed: 42, difficulty: "medium" },
  { kind: "procedural", seed: 123456, difficulty: "hard" },
  { kind: "procedural", seed: 2026, difficulty: "expert" },
];

/** What a check found, as JSON (JSON keeps every double exactly). */
interface CheckSummary {
  readonly ok: boolean;
  readonly message: string | null;
  readonly results: string;
}

describe.skipIf(!existsSync(CHROMIUM))("the replay check in Chromium", () => {
  let db: Database;
  let browser: Browser;
  let bundle: string;
  const replays: StoredReplay[] = [];

  beforeAll(async () => {
    db = await createDatabase({ kind: "pglite", dataDir: "memory://" });
    await db.migrate();
    for (const [i, surface] of REFS.entries()) {
      const played = playRound(3000 + i, {
        surface,
        players: 4,
        turns: 10,
        bot: { optimizer: OPTIMIZER_IDS[i % OPTIMIZER_IDS.length]! },
        finishedAt: Date.UTC(2030, 5, 1) + i,
      });
      const { id } = await saveRound(db, played.input);
      replays.push((await getReplay(db, id))!);
    }
    // The module the replay viewer loads, bundled for the browser (it imports lib/ only).
    const built = await build({
      entryPoints: [fileURLToPath(new URL("../../lib/game/replay-check.ts", import.meta.url))],
      bundle: true,
      format: "iife",
      globalName: "replayCheck",
      write: false,
      logLevel: "silent",
    });
    bundle = built.outputFiles[0]!.text;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await db?.close();
  });

  it("every stored round verifies in the browser with the server's exact results (R16)", async () => {
    const server: CheckSummary[] = replays.map((replay) => {
      const check = verifyReplay(replay);
      return {
        ok: check.ok,
        message: check.ok ? null : check.message,
        results: JSON.stringify(check.state ? participantResults(check.state) : null),
      };
    });
    const page = await browser.newPage();
    await page.addScriptTag({ content: bundle });
    // The page's props reach the browser as JSON, as the replay page's do.
    const inBrowser = await page.evaluate((text: string): CheckSummary[] => {
      const api = (globalThis as unknown as { replayCheck: typeof ReplayCheckModule }).replayCheck;
      return (JSON.parse(text) as StoredReplay[]).map((replay) => {
        const check = api.verifyReplay(replay);
        return {
          ok: check.ok,
          message: check.ok ? null : check.message,
          results: JSON.stringify(check.state ? api.participantResults(check.state) : null),
        };
      });
    }, JSON.stringify(replays));
    await page.close();
    expect(inBrowser).toHaveLength(REFS.length);
    for (const [i, ref] of REFS.entries()) {
      const where = JSON.stringify(ref);
      expect(server[i]!.ok, `${where} on the server: ${server[i]!.message}`).toBe(true);
      expect(inBrowser[i], where).toEqual(server[i]);
    }
  });
});
