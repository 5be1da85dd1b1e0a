/**
 * The data layer's modules form no import cycle (type-only imports count: a cycle of types is
 * still two modules that cannot be understood one without the other), and the replay check the
 * browser runs lives in lib/ with lib/ imports only.
 */
import { readdir, readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Every relative module a source file imports or re-exports (static, type-only or dynamic). */
export function relativeImports(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) {
      if (match[1]!.startsWith(".")) specifiers.push(match[1]!);
    }
  }
  return specifiers;
}

function resolveModule(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    `${base}.mjs`,
    join(base, "index.ts"),
  ]) {
    if (/\.(ts|tsx|mjs)$/.test(candidate) && existsSync(candidate)) return candidate;
  }
  return null;
}

async function sourceFiles(dir: string, skip: (path: string) => boolean): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|tsx|mjs)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => !skip(path));
}

/** The import graph of `files`, keeping only edges between them. */
async function importGraph(files: readonly string[]): Promise<Map<string, string[]>> {
  const inside = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = relativeImports(await readFile(file, "utf8"))
      .map((specifier) => resolveModule(file, specifier))
      .filter((target): target is string => target !== null && inside.has(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The cycles of a directed graph, each as its modules in order (one per strongly connected set). */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's strongly connected components; a component of two or more (or a self-import) is a cycle.
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) {
        cycles.push(component.reverse());
      }
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return cycles;
}

const named = (cycles: string[][]) =>
  cycles.map((c) => c.map((f) => relative(ROOT, f)).join(" ↔ "));

describe("import graph", () => {
  it("the cycle finder finds a cycle of type imports, and none in a chain (so the checks below can fail)", async () => {
    expect(relativeImports('import type { A } from "./a";\nexport { b } from "./b";')).toEqual([
      "./a",
      "./b",
    ]);
    expect(relativeImports('const m = await import("./lazy");\nimport "./side";')).toEqual([
      "./side",
      "./lazy",
    ]);
    expect(
      cyclesOf(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
          ["c", ["a"]],
          ["d", ["a"]],
        ]),
      ),
    ).toEqual([["a", "b", "c"]]);
    expect(
      cyclesOf(
        new Map([
          ["a", ["b"]],
          ["b", []],
        ]),
      ),
    ).toEqual([]);
  });

  it("server/db has no import cycle", async () => {
    const files = await sourceFiles(join(ROOT, "server/db"), (p) => p.includes("/generated/"));
    expect(files.length).toBeGreaterThan(10);
    expect(named(cyclesOf(await importGraph(files)))).toEqual([]);
  });

  it("lib/ has no import cycle", async () => {
    const files = await sourceFiles(join(ROOT, "lib"), (p) => /\.test\.ts$/.test(p));
    expect(files.length).toBeGreaterThan(20);
    expect(named(cyclesOf(await importGraph(files)))).toEqual([]);
  });

  it("lib/game/replay-check.ts (run in the browser too) imports only lib/ modules", async () => {
    const file = join(ROOT, "lib/game/replay-check.ts");
    const source = await readFile(file, "utf8");
    const all = [...source.matchAll(/\bfrom\s*["']([^"']+)["']/g)].map((m) => m[1]!);
    expect(all.length).toBeGreaterThan(0);
    for (const specifier of all) {
      expect(specifier, specifier).toMatch(/^\./);
      expect(relative(ROOT, resolveModule(file, specifier) ?? "?"), specifier).toMatch(/^lib\//);
    }
  });
});
