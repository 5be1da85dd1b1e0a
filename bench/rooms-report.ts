/**
 * bench:rooms' reporting: the header every run prints (commit, Node, flags, load), and the driver
 * for --repeat N, --schedule both and --env-compare KEY=VALUE, which runs bench/rooms.ts once per
 * configuration and repetition (each a child with --json --repeat 1) and prints medians and
 * min–max per figure, each labelled with its schedule (and, for --env-compare, its environment,
 * side by side with the ratio).
 */
import { execFileSync, spawn } from "node:child_process";
import { loadavg } from "node:os";
import type { Args } from "./rooms";

export interface RunMeta {
  commit: string;
  node: string;
  argv: readonly string[];
  flags: Record<string, unknown>;
  loadAverage: number[];
  date: string;
}

function commit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      encoding: "utf8",
    }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return "unknown";
  }
}

export function runMeta(args: Args): RunMeta {
  const { argv, ...flags } = args;
  return {
    commit: commit(),
    node: process.version,
    argv,
    flags,
    loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
    date: new Date().toISOString(),
  };
}

export function metaLines(meta: RunMeta): string[] {
  return [
    `commit ${meta.commit}, Node ${meta.node}, ${meta.date}, load average ${meta.loadAverage.join(" ")}`,
    `command: npm run bench:rooms --${meta.argv.length ? ` ${meta.argv.join(" ")}` : ""}`,
    `flags: ${JSON.stringify(meta.flags)}`,
  ];
}

/** The figures the driver summarises: label → path in a run's JSON. */
export const FIGURES: readonly [string, string][] = [
  ["ordinary turn p50 ms", "otherTurnsLatencyMs.p50"],
  ["ordinary turn p95 ms", "otherTurnsLatencyMs.p95"],
  ["ordinary turn p99 ms", "otherTurnsLatencyMs.p99"],
  ["ordinary turn max ms", "otherTurnsLatencyMs.max"],
  ["last turn p50 ms", "revealLatencyMs.p50"],
  ["last turn p99 ms", "revealLatencyMs.p99"],
  ["last turn max ms", "revealLatencyMs.max"],
  ["reveal p50 ms", "revealArrivalMs.p50"],
  ["reveal p99 ms", "revealArrivalMs.p99"],
  ["reveal max ms", "revealArrivalMs.max"],
  ["moves lost", "moves.lost"],
  ["moves duplicated", "moves.duplicated"],
  ["moves applied unacknowledged", "moves.unacknowledged"],
  ["server event-loop p99 ms", "serverEventLoopDelayMs.p99"],
  ["server event-loop max ms", "serverEventLoopDelayMs.max"],
  ["server GC count", "serverGc.count"],
  ["server GC total ms", "serverGc.totalMs"],
  ["server GC max ms", "serverGc.maxMs"],
  ["server CPU %", "serverCpuPercent"],
  ["server RSS per client bytes", "rssPerClientBytes"],
  ["frames: room:state", "serverCounters.framesSent.room:state"],
  ["frames: room:progress", "serverCounters.framesSent.room:progress"],
  ["frames: ack", "serverCounters.framesSent.ack"],
  ["round save p50 ms", "serverCounters.roundSaves.p50Ms"],
  ["round save p99 ms", "serverCounters.roundSaves.p99Ms"],
  ["room log write p50 ms", "serverCounters.roomLog.write.p50Ms"],
  ["room log write p99 ms", "serverCounters.roomLog.write.p99Ms"],
  ["room log durable p50 ms", "serverCounters.roomLog.durable.p50Ms"],
  ["room log durable p99 ms", "serverCounters.roomLog.durable.p99Ms"],
  ["room log writes", "serverCounters.roomLog.writes"],
  ["surfaces prepared ahead (R31a)", "serverCounters.surfacesPrepared"],
  ["surfaces computed at start", "serverCounters.surfacesAtStart"],
  ["client CPU %", "benchCpuPercent"],
  ["client event-loop p99 ms", "clientEventLoopDelayMs.p99"],
  ["events forwarded (R41)", "cluster.forwarded"],
  ["failover resumed p50 ms", "failover.resumedMs.p50"],
  ["failover resumed p99 ms", "failover.resumedMs.p99"],
  ["failover first turn p50 ms", "failover.firstTurnMs.p50"],
  ["failover first turn p99 ms", "failover.firstTurnMs.p99"],
  ["failover rooms not resumed", "failover.notResumed"],
];

export function at(value: unknown, path: string): number {
  let v: unknown = value;
  for (const key of path.split("."))
    v = v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
  return typeof v === "number" ? v : Number.NaN;
}

/** The least or greatest of the figures a run has (NaN when none has it). */
function extreme(f: (...xs: number[]) => number, xs: readonly number[]): number {
  const known = xs.filter((x) => !Number.isNaN(x));
  return known.length > 0 ? f(...known) : Number.NaN;
}

function median(xs: readonly number[]): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A figure for a table: 1 decimal below 100, none above. */
export function num(x: number): string {
  if (Number.isNaN(x)) return "n/a";
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1);
}

interface Group {
  schedule: "aligned" | "spread";
  env: string;
  runs: Record<string, unknown>[];
  median: Record<string, number>;
  min: Record<string, number>;
  max: Record<string, number>;
  valid: boolean;
  invalidReasons: string[];
}

/** One configuration of the driver: a server environment or a number of nodes. */
interface Variant {
  readonly label: string;
  /** KEY=VALUE for the server's environment (--env-compare). */
  readonly env: string | null;
  /** Flags for the child (--nodes K [--kill-owner --kill-at S]). */
  readonly flags: readonly string[];
}

function runChild(
  args: Args,
  schedule: string,
  variant: Variant,
): Promise<Record<string, unknown>> {
  const env = variant.env;
  const drop = new Set([
    "repeat",
    "schedule",
    "env-compare",
    "json",
    "nodes",
    "kill-owner",
    "kill-at",
  ]);
  const passed: string[] = [];
  for (let i = 0; i < args.argv.length; i++) {
    const arg = args.argv[i]!;
    const key = arg.slice(2).split("=", 1)[0]!;
    const takesValue =
      !arg.includes("=") &&
      key !== "standalone" &&
      key !== "json" &&
      key !== "kill-owner" &&
      key !== "postgres";
    if (drop.has(key)) {
      if (takesValue) i++;
      continue;
    }
    passed.push(arg);
    if (takesValue) passed.push(args.argv[++i]!);
  }
  const command = [
    ...process.execArgv,
    process.argv[1]!,
    ...passed,
    ...variant.flags,
    "--repeat",
    "1",
    "--schedule",
    schedule,
    "--json",
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, {
      env: {
        ...process.env,
        BENCH_CHILD: "1",
        ...(env ? { BENCH_SERVER_ENV: env } : {}),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => {
      const last = out.trim().split("\n").pop() ?? "";
      try {
        const run = JSON.parse(last) as Record<string, unknown>;
        run.exitCode = code;
        resolve(run);
      } catch {
        reject(
          new Error(
            `a run (schedule ${schedule}, ${variant.label}) exited ${code} without JSON:\n${out}`,
          ),
        );
      }
    });
  });
}

export async function drive(args: Args): Promise<void> {
  const meta = runMeta(args);
  if (!args.json) for (const line of metaLines(meta)) console.log(line);
  const schedules: ("aligned" | "spread")[] =
    args.schedule === "both" ? ["aligned", "spread"] : [args.schedule];
  const envs: (string | null)[] = args.envCompare
    ? [null, `${args.envCompare.key}=${args.envCompare.value}`]
    : [null];
  // --nodes N: the same load on one node (on the same Redis and PostgreSQL), on N nodes, and with
  // --kill-owner on N nodes with the first one killed mid-play.
  const variants: Variant[] =
    args.nodes > 1
      ? [
          { label: "1 node", env: null, flags: ["--nodes", "1"] },
          { label: `${args.nodes} nodes`, env: null, flags: ["--nodes", String(args.nodes)] },
          ...(args.killOwner
            ? [
                {
                  label: `${args.nodes} nodes, owner killed`,
                  env: null,
                  flags: [
                    "--nodes",
                    String(args.nodes),
                    "--kill-owner",
                    "--kill-at",
                    String(args.killAtS),
                  ],
                },
              ]
            : []),
        ]
      : envs.map((env) => ({ label: env ?? "as-is", env, flags: [] }));
  // Interleaved (run 1 of every configuration, then run 2, …): a machine whose load changes
  // during the benchmark weighs on every configuration alike.
  const configs = variants.flatMap((variant) =>
    schedules.map((schedule) => ({ env: variant.label, variant, schedule })),
  );
  const runsOf = configs.map(() => [] as Record<string, unknown>[]);
  for (let r = 0; r < args.repeat; r++) {
    for (const [c, { variant, schedule }] of configs.entries()) {
      if (!args.json)
        console.log(
          `run ${r + 1}/${args.repeat}: schedule ${schedule}${variant.env ? `, server env + ${variant.env}` : args.nodes > 1 ? `, ${variant.label}` : ""}, load average ${
            meta.loadAverage.length
              ? loadavg()
                  .map((x) => x.toFixed(2))
                  .join(" ")
              : ""
          }`,
        );
      const run = await runChild(args, schedule, variant);
      runsOf[c]!.push(run);
      if (!args.json)
        console.log(
          `  ordinary p99 ${num(at(run, "otherTurnsLatencyMs.p99"))} ms, last turn p99 ${num(at(run, "revealLatencyMs.p99"))} ms, reveal p99 ${num(at(run, "revealArrivalMs.p99"))} ms, client CPU ${num(at(run, "benchCpuPercent"))}%${run.failover ? `, failover first turn p99 ${num(at(run, "failover.firstTurnMs.p99"))} ms, moves lost ${num(at(run, "moves.lost"))}` : ""}${run.valid ? "" : ` — NOT VALID: ${(run.invalidReasons as string[]).join("; ")}`}`,
        );
    }
  }
  const groups: Group[] = configs.map(({ env, schedule }, c) => {
    const runs = runsOf[c]!;
    const pick = (f: (xs: number[]) => number) =>
      Object.fromEntries(FIGURES.map(([label, path]) => [label, f(runs.map((r) => at(r, path)))]));
    return {
      schedule,
      env: env ?? "as-is",
      runs,
      median: pick(median),
      min: pick((xs) => extreme(Math.min, xs)),
      max: pick((xs) => extreme(Math.max, xs)),
      valid: runs.every((r) => r.valid === true),
      invalidReasons: runs.flatMap((r) => (r.invalidReasons as string[]) ?? []),
    };
  });
  const failed = groups.some((g) => g.runs.some((r) => r.exitCode !== 0));
  if (args.json) {
    console.log(JSON.stringify({ meta, groups }));
    process.exit(failed ? 1 : 0);
  }
  console.log(`\nmedian (min–max) of ${args.repeat} run(s) per configuration:`);
  if (args.nodes > 1) {
    console.log(`server: ${String(groups[0]?.runs[0]?.server ?? "")}`);
    for (const schedule of schedules) {
      const cols = variants.map((v) =>
        groups.find((g) => g.schedule === schedule && g.env === v.label)!,
      );
      const bad = cols.filter((g) => !g.valid);
      console.log(
        `\nschedule ${schedule}: ${cols.map((g) => g.env).join(" vs ")}; ratio = ${cols[1]!.env} / ${cols[0]!.env}${bad.length ? ` (NOT VALID: ${[...new Set(bad.flatMap((g) => g.invalidReasons))].join("; ")})` : ""}`,
      );
      console.log(`  ${"".padEnd(30)} ${cols.map((g) => g.env.padEnd(24)).join(" ")} ratio`);
      for (const [label] of FIGURES) {
        const cells = cols.map((g) =>
          `${num(g.median[label]!)} (${num(g.min[label]!)}–${num(g.max[label]!)})`.padEnd(24),
        );
        const x = cols[0]!.median[label]!;
        const y = cols[1]!.median[label]!;
        console.log(`  ${label.padEnd(30)} ${cells.join(" ")} ${x ? (y / x).toFixed(2) : "n/a"}`);
      }
      const one = cols[0]!.median;
      const many = cols[1]!.median;
      console.log(
        `  cross-node forwarding overhead (${cols[1]!.env} − ${cols[0]!.env}, medians): ordinary turn p50 ${num(many["ordinary turn p50 ms"]! - one["ordinary turn p50 ms"]!)} ms, p95 ${num(many["ordinary turn p95 ms"]! - one["ordinary turn p95 ms"]!)} ms, p99 ${num(many["ordinary turn p99 ms"]! - one["ordinary turn p99 ms"]!)} ms; reveal p50 ${num(many["reveal p50 ms"]! - one["reveal p50 ms"]!)} ms, p99 ${num(many["reveal p99 ms"]! - one["reveal p99 ms"]!)} ms; ${num(many["events forwarded (R41)"]!)} events forwarded per run`,
      );
      const killed = cols[2];
      if (killed) {
        const lost = killed.runs.reduce((sum, r) => sum + at(r, "moves.lost"), 0);
        const firsts = killed.runs.map((r) => at(r, "failover.firstTurnMs.p99"));
        console.log(
          `  failover (${killed.env}, kill → room resumed → first turn closes): resumed p99 ${num(killed.median["failover resumed p99 ms"]!)} ms, first turn p99 ${num(killed.median["failover first turn p99 ms"]!)} ms (worst run ${num(Math.max(...firsts))} ms; goal < 10000 ms); acknowledged moves lost over ${killed.runs.length} run(s): ${lost} (goal 0)`,
        );
      }
    }
  } else if (args.envCompare) {
    const kinds = [...new Set(groups.flatMap((g) => g.runs.map((r) => String(r.server))))];
    console.log(`server: ${kinds.join("; ")}`);
    if (kinds.some((k) => k.startsWith("the game server alone")))
      console.log(
        "note: the game server alone (bench/rooms-server.ts) stores rounds and keeps the room log on a throw-away PGlite folder, or on DATABASE_URL, as production does (BENCH_DB=none: no database). as-is/with divides the first column by the second: for ROOM_LOG=off, the room log's cost (the issue's goal: at most 1.25 at the ordinary-turn p99)",
      );
    for (const schedule of schedules) {
      const [a, b] = envs.map((e) =>
        groups.find((g) => g.schedule === schedule && g.env === (e ?? "as-is"))!,
      );
      console.log(
        `\nschedule ${schedule}: as-is vs ${b!.env}${a!.valid && b!.valid ? "" : " (NOT VALID: " + [...a!.invalidReasons, ...b!.invalidReasons].join("; ") + ")"}`,
      );
      for (const [label] of FIGURES) {
        const x = a!.median[label]!;
        const y = b!.median[label]!;
        console.log(
          `  ${label.padEnd(30)} ${`${num(x)} (${num(a!.min[label]!)}–${num(a!.max[label]!)})`.padEnd(24)} ${`${num(y)} (${num(b!.min[label]!)}–${num(b!.max[label]!)})`.padEnd(24)} as-is/with ${y ? (x / y).toFixed(2) : "n/a"}`,
        );
      }
    }
  } else {
    for (const g of groups) {
      console.log(
        `\nschedule ${g.schedule}${g.valid ? "" : ` — NOT VALID: ${g.invalidReasons.join("; ")}`}`,
      );
      for (const [label] of FIGURES)
        console.log(
          `  ${label.padEnd(30)} ${num(g.median[label]!)} (${num(g.min[label]!)}–${num(g.max[label]!)}) [${g.schedule}]`,
        );
    }
  }
  process.exit(failed ? 1 : 0);
}
