/**
 * What saving finished rounds costs the process that hosts the rooms, on embedded PGlite in a
 * temporary folder: `node --import tsx bench/save-stall.ts` (PGLITE_THREAD=main for PGlite in this
 * thread instead of its worker thread). Saves 50 rounds (10 players, 12 turns) one after another,
 * then 50 at once (100 rooms finishing together), and prints the time per save, when the last of
 * the 50 concurrent saves was done (the last room's reveal waits that long), and this thread's
 * event-loop delay meanwhile (what every other room would wait). SAVE_IN_THREAD=0: the data layer
 * in this thread, only the statements in the database's thread.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { createDatabase, saveRound } from "../server/db";
import type { SaveRoundInput } from "../server/db";
import { playRound } from "../tests/db/fixtures";

const dir = mkdtempSync(join(tmpdir(), "bench-save-stall-"));
const db = await createDatabase({ kind: "pglite", dataDir: join(dir, "pglite") });
await db.migrate();
// As server/main.ts saves: in the database's thread when it has one.
const save = (input: SaveRoundInput) =>
  db.saveRoundInThread && process.env.SAVE_IN_THREAD !== "0"
    ? db.saveRoundInThread(input)
    : saveRound(db, input);
const rounds = Array.from({ length: 100 }, (_, i) =>
  playRound(1000 + i, { players: 10, turns: 12 }),
);
for (let i = 0; i < 5; i++) await save(playRound(9000 + i, { players: 10, turns: 12 }).input);

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let t0 = performance.now();
for (const round of rounds.slice(0, 50)) await save(round.input);
const serial = (performance.now() - t0) / 50;
t0 = performance.now();
let last = 0;
await Promise.all(
  rounds.slice(50).map(async (round) => {
    await save(round.input);
    last = Math.max(last, performance.now() - t0);
  }),
);
delay.disable();
console.log(
  `${db.label}: ${serial.toFixed(1)} ms per save one after another; 50 at once: the last done after ${last.toFixed(0)} ms; this thread's event-loop delay meanwhile p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`,
);
await db.close();
rmSync(dir, { recursive: true, force: true });
