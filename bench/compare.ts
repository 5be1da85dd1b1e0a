/**
 * `npm run bench:compare A.json B.json` — every figure of two bench:rooms --json outputs (a single
 * run, or a --repeat / --schedule both report: its medians), side by side with the ratio B/A.
 */
import { readFileSync } from "node:fs";
import { FIGURES, at, num } from "./rooms-report";

function load(path: string): unknown {
  const lines = readFileSync(path, "utf8").trim().split("\n");
  try {
    return JSON.parse(lines[lines.length - 1] ?? "");
  } catch {
    console.error(`bench:compare: ${path}: the last line is not bench:rooms --json output`);
    process.exit(2);
  }
}

/** Every numeric leaf, by its path; a driver report contributes its groups' medians. */
function figures(value: unknown): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (v: unknown, path: string): void => {
    if (typeof v === "number") out.set(path, v);
    else if (v && typeof v === "object" && !Array.isArray(v))
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  const root = value as { groups?: { schedule: string; env: string; median: unknown }[] };
  if (Array.isArray(root.groups))
    for (const g of root.groups) walk(g.median, `[${g.schedule}, ${g.env}]`);
  else {
    // A single run: its figures under the same names a report's medians have, then every field.
    const schedule = (value as { schedule?: string }).schedule ?? "aligned";
    for (const [label, path] of FIGURES) out.set(`[${schedule}, as-is].${label}`, at(value, path));
    walk(value, "");
  }
  return out;
}

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error("usage: npm run bench:compare A.json B.json");
  process.exit(2);
}
const A = figures(load(a));
const B = figures(load(b));
const keys = [...new Set([...A.keys(), ...B.keys()])];
const width = Math.max(...keys.map((k) => k.length));
console.log(`${"figure".padEnd(width)}  ${"A".padStart(12)}  ${"B".padStart(12)}  B/A`);
for (const k of keys) {
  const x = A.get(k) ?? Number.NaN;
  const y = B.get(k) ?? Number.NaN;
  console.log(
    `${k.padEnd(width)}  ${num(x).padStart(12)}  ${num(y).padStart(12)}  ${x && !Number.isNaN(y) ? (y / x).toFixed(2) : "n/a"}`,
  );
}
