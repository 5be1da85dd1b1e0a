import { create, derivativeDependencies, parseDependencies } from "mathjs";
import type { MathNode } from "mathjs";
import { centralGradient, centralHessian } from "../numeric";
import { edgeMinimum, euclid, findLocalMinima, globalMinima } from "../procedural-search";
import { createRng, deriveSeed } from "../random";
import type { Box, Minimum, Surface, Vec2 } from "../types";
import { chooseBotEta, floor2, pickStart } from "./box-choices";
import { CONSTANTS, closureOf, compileTrees } from "./formula-compile";
import type { CompileVia, FormulaFunctions, FormulaTrees, Scalar } from "./formula-compile";
import {
  FORMULA_MAX_BOX_SIDE,
  FORMULA_MAX_DEPTH,
  FORMULA_MAX_DERIVATIVE_NODES,
  FORMULA_MAX_LENGTH,
} from "./formula-limits";

/**
 * A surface a teacher writes as a formula in w and b (issue 14 §1, docs/SPEC.md F1–F5).
 *
 * The text is parsed by mathjs `parse` and accepted only if every node is on a whitelist (F1);
 * the gradient and Hessian are derived symbolically by mathjs `derivative`; all six trees are
 * compiled by ./formula-compile into functions over lib/math (F16: straight-line code generated
 * from the checked trees, with their common subexpressions shared, or closures where run-time code
 * is refused; the same bits either way, so the browser and the server agree, R16). Nothing a user
 * typed is ever evaluated by mathjs, and `new Function` only sees code made from the checked
 * graph (numbers, w, b, temporaries and a fixed table of function names).
 */

export {
  FORMULA_MAX_BOX_SIDE,
  FORMULA_MAX_DEPTH,
  FORMULA_MAX_DERIVATIVE_NODES,
  FORMULA_MAX_LENGTH,
};

// Only the parser and `derivative` (and what they need): half of mathjs's code in a bundle.
const { derivative, parse } = create({
  parseDependencies: parseDependencies!,
  derivativeDependencies: derivativeDependencies!,
});

/** Functions a formula may call (F1). */
export const FORMULA_FUNCTIONS: readonly string[] = Object.freeze([
  "sin",
  "cos",
  "tan",
  "exp",
  "log",
  "sqrt",
  "abs",
  "tanh",
  "sinh",
  "cosh",
  "atan",
]);

/** Functions mathjs `derivative` may introduce (never accepted in typed text). */
const DERIVED_FUNCTIONS = ["sec", "csc", "cot", "sech", "csch", "coth", "sign"];

/** A refused formula: `check` names the failed check, the message says where. */
export class FormulaError extends Error {
  constructor(
    readonly check: "syntax" | "whitelist" | "size" | "derivative" | "finite" | "minimum" | "box",
    message: string,
  ) {
    super(message);
    this.name = "FormulaError";
  }
}

const OPERATOR_NAMES: Record<string, string> = {
  add: "+",
  subtract: "-",
  multiply: "*",
  divide: "/",
  pow: "^",
  unaryMinus: "unary -",
  unaryPlus: "unary +",
};

/** Refuse any node outside the whitelist (F1); the first offending node is named. */
function checkTree(node: MathNode, depth: number, functions: readonly string[]): void {
  if (depth > FORMULA_MAX_DEPTH) {
    throw new FormulaError("whitelist", `too deep: more than ${FORMULA_MAX_DEPTH} levels`);
  }
  const n = node as MathNode & Record<string, unknown>;
  switch (node.type) {
    case "ConstantNode":
      if (typeof n.value !== "number" || !Number.isFinite(n.value)) {
        throw new FormulaError("whitelist", `not allowed: the constant ${node.toString()}`);
      }
      return;
    case "SymbolNode": {
      const name = String(n.name);
      if (name === "w" || name === "b" || name in CONSTANTS) return;
      throw new FormulaError(
        "whitelist",
        `unknown name "${name}": use w, b, pi or e (units and other variables are not allowed)`,
      );
    }
    case "ParenthesisNode":
      checkTree(n.content as MathNode, depth + 1, functions);
      return;
    case "OperatorNode": {
      const fn = String(n.fn);
      const args = n.args as MathNode[];
      if (!(fn in OPERATOR_NAMES)) {
        throw new FormulaError("whitelist", `not allowed: the operator ${String(n.op)}`);
      }
      const unary = fn === "unaryMinus" || fn === "unaryPlus";
      if (args.length !== (unary ? 1 : 2)) {
        throw new FormulaError("whitelist", `not allowed: the operator ${String(n.op)}`);
      }
      for (const a of args) checkTree(a, depth + 1, functions);
      return;
    }
    case "FunctionNode": {
      const fnNode = n.fn as MathNode & { name?: string };
      const name = fnNode.type === "SymbolNode" ? String(fnNode.name) : "";
      const args = n.args as MathNode[];
      if (!functions.includes(name)) {
        throw new FormulaError(
          "whitelist",
          `not allowed: the function ${name || node.toString()} (allowed: ${FORMULA_FUNCTIONS.join(", ")})`,
        );
      }
      if (args.length !== 1) {
        throw new FormulaError("whitelist", `${name} takes one argument`);
      }
      checkTree(args[0]!, depth + 1, functions);
      return;
    }
    case "AssignmentNode":
    case "FunctionAssignmentNode":
      throw new FormulaError("whitelist", "not allowed: assignment or function definition");
    case "ArrayNode":
    case "IndexNode":
    case "AccessorNode":
    case "ObjectNode":
    case "RangeNode":
      throw new FormulaError("whitelist", "not allowed: matrices, indexing or objects");
    default:
      throw new FormulaError("whitelist", `not allowed: ${node.type.replace(/Node$/, "")}`);
  }
}

/** A formula parsed, checked against the whitelist and compiled with its derivatives. */
export interface CompiledFormula {
  readonly text: string;
  /** The loss as a function of (w, b). */
  readonly loss: Scalar;
  /** The loss, gradient and Hessian of a point, the way a Surface calls them. */
  readonly functions: FormulaFunctions;
  /** Which compiler made them (F16): generated code, or closures where that is refused. */
  readonly via: CompileVia;
  /** The formula as TeX (mathjs `toTex`), for tools; the reveal renders {@link formulaHtml}. */
  readonly tex: string;
  readonly node: MathNode;
}

function parseText(text: string): MathNode {
  if (typeof text !== "string" || text.trim() === "") {
    throw new FormulaError("syntax", "the formula is empty");
  }
  if (text.length > FORMULA_MAX_LENGTH) {
    throw new FormulaError("whitelist", `too long: at most ${FORMULA_MAX_LENGTH} characters`);
  }
  if (/["'`;]/.test(text)) {
    throw new FormulaError("whitelist", "not allowed: strings, quotes or several statements");
  }
  let node: MathNode;
  try {
    node = parse(text);
  } catch (e) {
    throw new FormulaError("syntax", `cannot read the formula: ${(e as Error).message}`);
  }
  checkTree(node, 0, FORMULA_FUNCTIONS);
  return node;
}

/** Parse, whitelist (F1), derive and compile a formula; throws {@link FormulaError}. */
export function compileFormula(text: string, via: CompileVia = "generated"): CompiledFormula {
  const trees = formulaTrees(text);
  const compiled = compileTrees(trees, via);
  return {
    text,
    node: trees.loss,
    loss: compiled.scalar,
    functions: compiled.functions,
    via: compiled.via,
    tex: trees.loss.toTex(),
  };
}

/** Parse and whitelist a formula (F1) and derive its gradient and Hessian trees. */
export function formulaTrees(text: string): FormulaTrees {
  const node = parseText(text);
  const all = [...FORMULA_FUNCTIONS, ...DERIVED_FUNCTIONS];
  // F1 size: the derivative trees, counted as they are made, stay within the limit (the cost of
  // compiling, on any thread, and of every evaluation grows with them).
  let nodes = 0;
  const d = (e: MathNode, v: string): MathNode => {
    let r: MathNode;
    try {
      r = derivative(e, v, { simplify: false });
      checkTree(r, -1e9, all);
    } catch (err) {
      if (err instanceof FormulaError) throw err;
      throw new FormulaError("derivative", `cannot differentiate: ${(err as Error).message}`);
    }
    r.traverse(() => {
      nodes += 1;
    });
    if (nodes > FORMULA_MAX_DERIVATIVE_NODES) {
      throw new FormulaError(
        "size",
        `too complex: its derivatives have more than ${FORMULA_MAX_DERIVATIVE_NODES} terms (write a shorter formula, or fewer nested functions)`,
      );
    }
    return r;
  };
  const dw = d(node, "w");
  const db = d(node, "b");
  const dww = d(dw, "w");
  const dwb = d(dw, "b");
  const dbb = d(db, "b");
  return { loss: node, dw, db, dww, dwb, dbb };
}

/** A teacher's formula round: its text and box (the `formula` SurfaceRef's payload). */
export interface FormulaSpec {
  readonly text: string;
  readonly box: Box;
}

function checkBox(box: Box): void {
  const ok = (x: unknown) => typeof x === "number" && Number.isFinite(x);
  if (!box || !ok(box.min?.[0]) || !ok(box.min?.[1]) || !ok(box.max?.[0]) || !ok(box.max?.[1])) {
    throw new FormulaError("box", "the box needs four finite numbers");
  }
  for (const [i, v] of [
    [0, "w"],
    [1, "b"],
  ] as const) {
    const side = box.max[i] - box.min[i];
    if (!(side > 0)) throw new FormulaError("box", `the ${v} range is empty or inverted`);
    if (side > FORMULA_MAX_BOX_SIDE) {
      throw new FormulaError("box", `the ${v} range is wider than ${FORMULA_MAX_BOX_SIDE}`);
    }
  }
}

function at(w: number, b: number): string {
  return `w = ${Number(w.toPrecision(6))}, b = ${Number(b.toPrecision(6))}`;
}

/** Grid size of the finiteness check (F2). */
export const FORMULA_GRID = 101;
const DERIVATIVE_POINTS = 16;

/** The reason a value is not finite, in words. */
function why(node: MathNode, w: number, b: number): string {
  let reason = "";
  node.traverse((sub) => {
    if (reason) return;
    const s = sub as MathNode & Record<string, unknown>;
    if (s.type === "OperatorNode" && s.fn === "divide") {
      const den = closureOf((s.args as MathNode[])[1]!)(w, b);
      if (den === 0) reason = "division by zero";
    } else if (s.type === "FunctionNode") {
      const name = String((s.fn as MathNode & { name: string }).name);
      const arg = closureOf((s.args as MathNode[])[0]!)(w, b);
      if (name === "log" && arg <= 0) reason = "log of a number ≤ 0";
      if (name === "sqrt" && arg < 0) reason = "square root of a negative number";
    } else if (s.type === "OperatorNode" && s.fn === "pow") {
      const [l, r] = (s.args as MathNode[]).map((a) => closureOf(a)(w, b)) as [number, number];
      if (l < 0 && !Number.isInteger(r)) reason = "a negative number to a fractional power";
      if (l === 0 && r < 0) reason = "division by zero";
    }
  });
  return reason || "overflow";
}

/**
 * What the checks of a formula find (F2–F5): plain data, so it can cross a thread (the server
 * analyses off its main thread, server/formula-analysis.ts) and be joined to the compiled
 * formula by {@link formulaSurfaceOf} with the same bits {@link formulaSurface} gives.
 */
export interface FormulaAnalysis {
  readonly minima: readonly Minimum[];
  readonly start: Vec2;
  readonly etaMax: number;
  readonly botEta: number;
}

/**
 * Check a formula and its box (F1–F4) and choose its start, η_max and bot η (F5), or throw a
 * {@link FormulaError} saying which check failed and where. The slow part of
 * {@link formulaSurface} (tens to hundreds of milliseconds for a long formula).
 */
export function analyseFormula(spec: FormulaSpec): FormulaAnalysis {
  checkBox(spec.box);
  return analyse(spec, compileFormula(spec.text));
}

function analyse(spec: FormulaSpec, f: CompiledFormula): FormulaAnalysis {
  const box = spec.box;
  const { loss, gradient, hessian } = f.functions;
  // F2: finite on a fine grid of the box (loss, gradient and Hessian).
  for (let i = 0; i < FORMULA_GRID; i++) {
    for (let j = 0; j < FORMULA_GRID; j++) {
      const w = box.min[0] + (i / (FORMULA_GRID - 1)) * (box.max[0] - box.min[0]);
      const b = box.min[1] + (j / (FORMULA_GRID - 1)) * (box.max[1] - box.min[1]);
      if (!Number.isFinite(f.loss(w, b))) {
        throw new FormulaError("finite", `not finite at ${at(w, b)}: ${why(f.node, w, b)}`);
      }
      const g = gradient([w, b]);
      const h = hessian([w, b]);
      if (![g[0], g[1], h[0][0], h[0][1], h[1][1]].every(Number.isFinite)) {
        throw new FormulaError(
          "finite",
          `the slope is not finite at ${at(w, b)} (a kink or a pole: abs, sqrt or a division near zero)`,
        );
      }
    }
  }
  // F3: derivatives against central differences at seeded points.
  const rng = createRng(deriveSeed(0, `formula/${spec.text}`));
  const scale = euclid(box.max[0] - box.min[0], box.max[1] - box.min[1]);
  const h = 1e-5 * scale;
  for (let k = 0; k < DERIVATIVE_POINTS; k++) {
    const t: Vec2 = [rng.uniform(box.min[0], box.max[0]), rng.uniform(box.min[1], box.max[1])];
    const g = gradient(t);
    const gn = centralGradient(loss, t, h);
    const hh = hessian(t);
    const hn = centralHessian(gradient, t, h);
    const gscale = 1 + Math.abs(g[0]) + Math.abs(g[1]);
    const hscale = 1 + Math.abs(hh[0][0]) + Math.abs(hh[0][1]) + Math.abs(hh[1][1]);
    if (Math.abs(g[0] - gn[0]) + Math.abs(g[1] - gn[1]) > 1e-4 * gscale) {
      throw new FormulaError(
        "derivative",
        `the gradient disagrees with central differences at ${at(t[0], t[1])} (is the formula smooth there?)`,
      );
    }
    const dh =
      Math.abs(hh[0][0] - hn[0][0]) + Math.abs(hh[0][1] - hn[0][1]) + Math.abs(hh[1][1] - hn[1][1]);
    if (dh > 1e-3 * hscale) {
      throw new FormulaError(
        "derivative",
        `the Hessian disagrees with central differences at ${at(t[0], t[1])} (is the formula smooth there?)`,
      );
    }
  }
  // F4: a finite minimum inside the box, by the procedural surfaces' multi-start search.
  const fns = { loss, gradient, hessian };
  const minima = globalMinima(findLocalMinima(fns, box, { gridSize: 9 }));
  const best = minima[0];
  if (!best) {
    throw new FormulaError(
      "minimum",
      "no minimum inside the box: the lowest point is on its edge (widen the box or change the formula)",
    );
  }
  const edge = edgeMinimum(loss, box, 201);
  if (edge < best.loss) {
    throw new FormulaError(
      "minimum",
      `the lowest point is on the box's edge (loss ${Number(edge.toPrecision(4))} below the inside minimum ${Number(best.loss.toPrecision(4))}): widen the box`,
    );
  }
  const start = pickStart(fns, minima, box);
  const botEta = chooseBotEta(fns, start, box);
  return { minima, start, etaMax: floor2(0.15 * scale), botEta };
}

/** The {@link Surface} of a formula, its box and what {@link analyseFormula} found. */
function assemble(spec: FormulaSpec, f: CompiledFormula, analysis: FormulaAnalysis): Surface {
  const box = spec.box;
  const { loss, gradient, hessian } = f.functions;
  return {
    id: formulaId(spec),
    name: "the teacher's formula",
    description: "A surface the teacher wrote.",
    formula: spec.text,
    loss,
    gradient,
    hessian,
    domain: { min: [box.min[0], box.min[1]], max: [box.max[0], box.max[1]] },
    minima: analysis.minima.map((m) => ({ theta: [m.theta[0], m.theta[1]], loss: m.loss })),
    start: [analysis.start[0], analysis.start[1]],
    etaMax: analysis.etaMax,
    botEta: analysis.botEta,
    difficulty: "medium",
  };
}

/**
 * Build a checked {@link Surface} from a formula and its box (F1–F5), or throw a
 * {@link FormulaError} saying which check failed and where.
 */
export function formulaSurface(spec: FormulaSpec): Surface {
  checkBox(spec.box);
  const f = compileFormula(spec.text);
  return assemble(spec, f, analyse(spec, f));
}

/**
 * The surface {@link formulaSurface} would build, from an analysis made elsewhere (another
 * thread): parses, whitelists and compiles the text (F1; milliseconds) but runs no check. The
 * analysis must be {@link analyseFormula}'s for the same spec.
 */
export function formulaSurfaceOf(spec: FormulaSpec, analysis: FormulaAnalysis): Surface {
  checkBox(spec.box);
  return assemble(spec, compileFormula(spec.text), analysis);
}

/** A stable id for a formula surface. */
export function formulaId(spec: FormulaSpec): string {
  return `formula:${spec.box.min[0]},${spec.box.min[1]},${spec.box.max[0]},${spec.box.max[1]}:${spec.text}`;
}

/**
 * How hard a formula round is, for the teacher (never sent to players): the bot's final loss
 * after `turns` gradient steps and the distance from the start to the nearest global minimum.
 */
export function formulaDifficulty(
  surface: Surface,
  turns: number,
): { botFinalLoss: number; minimumLoss: number; startLoss: number; distance: number } {
  let w = surface.start[0];
  let b = surface.start[1];
  const box = surface.domain;
  for (let s = 0; s < turns; s++) {
    const g = surface.gradient([w, b]);
    w = Math.min(box.max[0], Math.max(box.min[0], w - surface.botEta * g[0]));
    b = Math.min(box.max[1], Math.max(box.min[1], b - surface.botEta * g[1]));
  }
  const m = surface.minima[0]!;
  return {
    botFinalLoss: surface.loss([w, b]),
    minimumLoss: m.loss,
    startLoss: surface.loss(surface.start),
    distance: euclid(surface.start[0] - m.theta[0], surface.start[1] - m.theta[1]),
  };
}
