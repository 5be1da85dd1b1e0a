/**
 * `npm run bench:db`: the data layer at scale, on embedded PGlite and on PostgreSQL.
 *
 * For each backend it migrates an empty database (PGlite: a temporary folder; PostgreSQL: a
 * scratch schema, dropped at the end), bulk-fills it with 100,000 rounds and 1,000,000
 * participant rows (10 per round: 9 players and the bot; multi-row INSERT … SELECT over
 * generate_series, secondary indexes rebuilt after the load), runs ANALYZE, then prints p50/p95
 * of the leaderboard top 50 for each filter and of the replay list, through the data layer (Prisma
 * and all), p50/p95 of saving a real round (4 players, 12 turns: replay, then one
 * transaction), and of saving 16 such rounds in one transaction (`saveRounds`, issue 15), per
 * round. Goals on PostgreSQL: top 50 < 10 ms p95, save < 20 ms p95.
 *
 * The bulk rows are synthetic: their `record` is a placeholder and they have no Move rows (the
 * leaderboard and list queries never read either); saved rounds are real.
 *
 * Options: `--backend pglite|postgres|both` (default both), `--rounds N` (default 100000),
 * `--samples N` (queries per filter, default 200), `--saves N` (default 200).
 * PostgreSQL URL: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
 * postgresql://postgres@127.0.0.1:5432/test. BENCH_VERBOSE=1 prints each index rebuild's time;
 * BENCH_PGLITE_MEMORY=1 runs PGlite in memory instead of a temporary folder.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { createRound, recordOf, reduce } from "../lib/game";
import type { RoundAction, RoundState } from "../lib/game";
import { createRng } from "../lib/random";
import type { SurfaceRef } from "../lib/surface-ref";
import { surfaceIds } from "../lib/surfaces";
import {
  createDatabase,
  leaderboard,
  listReplays,
  MAX_ROUNDS_PER_BATCH,
  saveRound,
  saveRounds,
} from "../server/db";
import type { Database, LeaderboardQuery, ReplayListQuery, SaveRoundInput } from "../server/db";
import { percentile } from "./stats";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const BACKEND = arg("backend", "both");
const ROUNDS = Number(arg("rounds", "100000"));
const SAMPLES = Number(arg("samples", "200"));
const SAVES = Number(arg("saves", "200"));
const PER_ROUND = 10;
const CHUNK = 10_000;
const NOW = Date.now();
const YEAR_S = 365 * 86_400;
const CATALOG = surfaceIds.slice(0, 16);
const POSTGRES_URL =
  process.env.BENCH_DATABASE_URL ||
  process.env.TEST_DATABASE_URL ||
  "postgresql://postgres@127.0.0.1:5432/test";

function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

async function timeIt(n: number, run: (i: number) => Promise<unknown>): Promise<[number, number]> {
  for (let i = 0; i < Math.min(20, n); i++) await run(i + n);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return [percentile(times, 50), percentile(times, 95)];
}

/** Run SQL through the Prisma client (the same path on both backends). */
function exec(db: Database, sql: string): Promise<number> {
  return db.prisma.$executeRawUnsafe(sql);
}

/** A bounded pseudo-random integer from an SQL expression `g` (deterministic). */
function hashSql(g: string, salt: number, mod: number): string {
  return `((((${g})::bigint * ${2_654_435_761 + salt * 97}) + ${salt * 7919}) % 4294967291 % ${mod})`;
}

async function fill(db: Database): Promise<void> {
  const catalogArray = `ARRAY[${CATALOG.map((id) => `'catalog:${id}'`).join(",")}]`;
  const rooms = Math.max(1, Math.floor(ROUNDS / 10));
  await exec(
    db,
    `INSERT INTO "Room"(id, code, "createdAt")
     SELECT 'bench-room-' || g, 'B' || lpad(g::text, 6, '0'), now() FROM generate_series(1, ${rooms}) g`,
  );
  await exec(
    db,
    `INSERT INTO "Competition"(id, name, "createdAt")
     SELECT 'bench-comp-' || g, 'Class ' || g, now() FROM generate_series(1, 200) g`,
  );
  // Secondary indexes are rebuilt after the load (the unique ones stay: foreign keys need them).
  const indexes = await db.prisma.$queryRawUnsafe<{ indexname: string; indexdef: string }[]>(
    `SELECT indexname, indexdef FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename IN ('Round', 'Participant')
       AND indexdef NOT LIKE 'CREATE UNIQUE%'`,
  );
  for (const index of indexes) await exec(db, `DROP INDEX "${index.indexname}"`);
  const t = performance.now();
  for (let from = 1; from <= ROUNDS; from += CHUNK) {
    const to = Math.min(ROUNDS, from + CHUNK - 1);
    await exec(
      db,
      `INSERT INTO "Round"(id, "roomId", "competitionId", "surfaceKind", "surfaceId", "proceduralSeed",
         "proceduralDifficulty", "surfaceKey", settings, seed, turns, hint, "botOptimizer", "playerCount",
         "startLoss", "minLoss", "startedAt", "finishedAt", record)
       SELECT 'bench-' || g, 'bench-room-' || (1 + g % ${rooms}),
         CASE WHEN g % 10 = 0 THEN 'bench-comp-' || (1 + (g / 10) % 200) END,
         CASE WHEN g % 20 < 16 THEN 'catalog' ELSE 'procedural' END,
         CASE WHEN g % 20 < 16 THEN substr((${catalogArray})[1 + g % 20], 9) END,
         CASE WHEN g % 20 >= 16 THEN g % 1000 END,
         CASE WHEN g % 20 >= 16 THEN 'medium' END,
         CASE WHEN g % 20 < 16 THEN (${catalogArray})[1 + g % 20]
              ELSE 'procedural:' || (g % 1000) || ':medium' END,
         '{"turns":12,"secondsPerTurn":30,"etaMax":0.5,"hint":"gradient","bot":{"optimizer":"gd"}}'::jsonb,
         g, 12, 'gradient', 'gd', ${PER_ROUND - 1}, 10, 0,
         to_timestamp(${NOW / 1000} - ${hashSql("g", 1, YEAR_S)} - 600),
         to_timestamp(${NOW / 1000} - ${hashSql("g", 1, YEAR_S)}),
         '{"bench":"placeholder"}'::json
       FROM generate_series(${from}, ${to}) g`,
    );
    await exec(
      db,
      `INSERT INTO "Participant"("roundId", seat, nickname, "nicknameKey", "isBot", "finalLoss", progress,
         score, rank, "beatBot", "turnsPlayed", "reachedTurn", "reachedAt", "surfaceKey", "competitionId",
         "finishedAt")
       SELECT r.id, s,
         CASE WHEN s = ${PER_ROUND - 1} THEN 'Bot (gd)' ELSE 'player' || ${hashSql("r.seed * 16 + s", 2, 50_000)} END,
         CASE WHEN s = ${PER_ROUND - 1} THEN 'bot (gd)' ELSE 'player' || ${hashSql("r.seed * 16 + s", 2, 50_000)} END,
         s = ${PER_ROUND - 1},
         ${hashSql("r.seed * 16 + s", 3, 1001)} / 100.0,
         ${hashSql("r.seed * 16 + s", 4, 1001)} / 1000.0,
         ${hashSql("r.seed * 16 + s", 4, 1001)},
         CASE WHEN s < ${PER_ROUND - 1} THEN s + 1 END,
         CASE WHEN s < ${PER_ROUND - 1} THEN ${hashSql("r.seed * 16 + s", 5, 2)} = 1 END,
         ${hashSql("r.seed * 16 + s", 6, 13)},
         ${hashSql("r.seed * 16 + s", 7, 13)},
         r."finishedAt" - interval '1 minute',
         r."surfaceKey", r."competitionId", r."finishedAt"
       FROM generate_series(${from}, ${to}) g
         JOIN "Round" r ON r.id = 'bench-' || g
         CROSS JOIN generate_series(0, ${PER_ROUND - 1}) s`,
    );
    await db.afterWrite();
    process.stdout.write(`\r  filled ${to.toLocaleString("en")} rounds`);
  }
  const loadS = (performance.now() - t) / 1000;
  const t2 = performance.now();
  await exec(db, "SET maintenance_work_mem = '256MB'");
  for (const index of indexes) {
    const ti = performance.now();
    await exec(db, index.indexdef);
    if (process.env.BENCH_VERBOSE) {
      console.log(`\n  ${index.indexname}: ${Math.round(performance.now() - ti)} ms`);
    }
    await db.afterWrite();
  }
  await exec(db, "ANALYZE");
  const indexS = (performance.now() - t2) / 1000;
  console.log(
    `\r  filled ${ROUNDS.toLocaleString("en")} rounds, ${(ROUNDS * PER_ROUND).toLocaleString("en")} participants ` +
      `in ${loadS.toFixed(1)} s; indexes + ANALYZE ${indexS.toFixed(1)} s`,
  );
}

/** Real finished rounds to save: 4 players, 12 turns, seeded moves. */
function playedRounds(n: number, salt: string): SaveRoundInput[] {
  const surfaces: SurfaceRef[] = [
    { kind: "catalog", id: "rosenbrock" },
    { kind: "catalog", id: "himmelblau" },
    { kind: "procedural", seed: 42, difficulty: "medium" },
  ];
  return Array.from({ length: n }, (_, i) => {
    const rng = createRng(i + 1);
    const players = Array.from({ length: 4 }, (_, p) => ({
      id: `id-${i}-${p}`,
      nickname: `saver${p}`,
    }));
    const start = NOW - 60_000;
    const created = createRound({
      surface: surfaces[i % surfaces.length]!,
      settings: { turns: 12 },
      seed: i,
      startedAt: start,
      players,
    });
    if (!created.ok) throw new Error(created.error.message);
    let state: RoundState = created.state;
    let at = start;
    while (state.phase === "playing") {
      for (const player of players) {
        const action: RoundAction = {
          type: "move",
          playerId: player.id,
          angle: rng.uniform(-Math.PI, Math.PI),
          eta: rng.uniform(0.05, 1) * state.settings.etaMax,
          at: ++at,
        };
        const next = reduce(state, action);
        if (next.ok) state = next.state;
      }
      const next = reduce(state, { type: "resolve", at: (at += 1000) });
      if (!next.ok) throw new Error(next.error.message);
      state = next.state;
    }
    return {
      id: `save-${salt}-${i}`,
      roomCode: "SAVE",
      roomId: `save-room-${salt}`,
      roundNumber: i + 1,
      finishedAt: at,
      record: recordOf(state),
    };
  });
}

async function measure(db: Database, label: string): Promise<void> {
  console.log(`\n${label}`);
  await fill(db);
  const popular = CATALOG.map((id) => `catalog:${id}`);
  const boards: [string, (i: number) => LeaderboardQuery][] = [
    ["overall, all time", () => ({})],
    ["overall, week", () => ({ period: "week" })],
    ["overall, day", () => ({ period: "day" })],
    ["surface, all time", (i) => ({ surface: popular[i % popular.length] })],
    ["surface, week", (i) => ({ surface: popular[i % popular.length], period: "week" })],
    ["surface, day", (i) => ({ surface: popular[i % popular.length], period: "day" })],
    ["procedural surface, all time", (i) => ({ surface: `procedural:${i % 1000}:medium` })],
    ["competition, all time", (i) => ({ competition: `bench-comp-${1 + (i % 200)}` })],
    ["competition, week", (i) => ({ competition: `bench-comp-${1 + (i % 200)}`, period: "week" })],
    ["overall, all time, page 20", () => ({ page: 20 })],
  ];
  const lists: [string, (i: number) => ReplayListQuery][] = [
    ["replays, newest", () => ({})],
    ["replays, by surface", (i) => ({ surface: popular[i % popular.length] })],
    ["replays, by nickname", (i) => ({ nickname: `player${(i * 37) % 50_000}` })],
  ];
  const rows: [string, number, number][] = [];
  for (const [name, query] of boards) {
    rows.push([
      `top 50: ${name}`,
      ...(await timeIt(SAMPLES, (i) => leaderboard(db, query(i), { now: NOW }))),
    ]);
  }
  for (const [name, query] of lists) {
    rows.push([`20 ${name}`, ...(await timeIt(SAMPLES, (i) => listReplays(db, query(i))))]);
  }
  const rounds = playedRounds(SAVES + 20, randomBytes(3).toString("hex"));
  let next = 0;
  rows.push([
    "save a round (4 players + bot, 12 turns)",
    ...(await timeIt(SAVES, () => saveRound(db, rounds[next++]!))),
  ]);
  // Issue 15: rounds finishing together are stored MAX_ROUNDS_PER_BATCH to a transaction.
  const batches = Math.max(1, Math.round(SAVES / MAX_ROUNDS_PER_BATCH));
  const batched = playedRounds(
    (batches + Math.min(20, batches)) * MAX_ROUNDS_PER_BATCH,
    randomBytes(3).toString("hex"),
  );
  let taken = 0;
  const [batchP50, batchP95] = await timeIt(batches, async () => {
    const batch = batched.slice(taken, (taken += MAX_ROUNDS_PER_BATCH));
    const outcomes = await saveRounds(
      db,
      batch.map((input) => ({ input })),
    );
    if (!outcomes.every((o) => o.ok && o.result.status === "saved"))
      throw new Error("a batch failed");
  });
  rows.push([
    `save ${MAX_ROUNDS_PER_BATCH} rounds in one transaction, per round`,
    batchP50 / MAX_ROUNDS_PER_BATCH,
    batchP95 / MAX_ROUNDS_PER_BATCH,
  ]);
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`  ${"".padEnd(width)}   p50 ms   p95 ms`);
  for (const [name, p50, p95] of rows) {
    console.log(`  ${name.padEnd(width)} ${fmt(p50).padStart(8)} ${fmt(p95).padStart(8)}`);
  }
}

async function benchPglite(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "blind-descent-bench-"));
  try {
    const db = await createDatabase({
      kind: "pglite",
      dataDir: process.env.BENCH_PGLITE_MEMORY ? "memory://" : join(dir, "pglite"),
    });
    try {
      await db.migrate();
      await measure(db, `PGlite (embedded, ${dir})`);
    } finally {
      await db.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchPostgres(): Promise<void> {
  const schema = `bench_${process.pid}_${randomBytes(3).toString("hex")}`;
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("schema", schema);
  const db = await createDatabase({ kind: "postgres", url: url.toString() });
  try {
    await db.migrate();
    await measure(db, `PostgreSQL (${db.label})`);
  } finally {
    await db.close();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

console.log(
  `bench:db: ${ROUNDS.toLocaleString("en")} rounds × ${PER_ROUND} participants, ${SAMPLES} queries per filter, ${SAVES} saves`,
);
if (BACKEND === "pglite" || BACKEND === "both") await benchPglite();
if (BACKEND === "postgres" || BACKEND === "both") await benchPostgres();
process.exit(0);
