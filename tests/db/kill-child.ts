/**
 * A child process for kill.test.ts: opens the data layer on a PGlite folder, migrates, saves one
 * seeded round, prints `SAVED <id>`, then waits to be killed with SIGKILL.
 * Usage: node --import tsx tests/db/kill-child.ts <dataDir> <seed>
 */
import { createDatabase, saveRound } from "../../server/db";
import { playRound } from "./fixtures";

const [dataDir, seed] = process.argv.slice(2);
if (!dataDir || !seed) throw new Error("usage: kill-child.ts <dataDir> <seed>");
const db = await createDatabase({ kind: "pglite", dataDir });
await db.migrate();
// As server/main.ts saves: in the database's thread when it has one (the default for PGlite).
const input = playRound(Number(seed), { players: 3 }).input;
const { id } = await (db.saveRoundInThread ? db.saveRoundInThread(input) : saveRound(db, input));
process.stdout.write(`SAVED ${id}\n`);
setInterval(() => {}, 60_000);
