import type { MathNode } from "mathjs";
import { atan, cos, exp, log, pow, sin } from "../math";
import type { Hessian, Vec2 } from "../types";

/**
 * How a checked formula becomes functions of (w, b) (issue 14 §5, docs/SPEC.md F16).
 *
 * Two compilers over the same whitelisted mathjs trees, giving the same bits:
 * - `closures`: one closure per node, over lib/math (the first compiler, F1);
 * - `generated`: the trees are lowered to a graph of arithmetic operations with their common
 *   subexpressions shared (the loss, the gradient and the Hessian repeat most of their terms),
 *   then written out as straight-line JavaScript and compiled once by `new Function`. The source
 *   is made only from the graph: numeric literals, `w`, `b`, numbered temporaries and the names of
 *   a fixed table of functions, never from the typed text; a character check refuses anything else.
 *   Where run-time code is refused (a Content-Security-Policy without 'unsafe-eval'), the
 *   closures are used.
 * Each applies the same constant folding and the same exact identities in the same order, and
 * both call the same lib/math functions, so a formula gives the same bits on either (tested).
 */

export type Scalar = (w: number, b: number) => number;

/** A formula's loss, gradient and Hessian as a Surface needs them. */
export interface FormulaFunctions {
  readonly loss: (t: Vec2) => number;
  readonly gradient: (t: Vec2) => Vec2;
  readonly hessian: (t: Vec2) => Hessian;
}

export type CompileVia = "generated" | "closures";

/** Named constants a formula may use (F1). */
export const CONSTANTS: Readonly<Record<string, number>> = Object.freeze({
  pi: 3.141592653589793,
  e: 2.718281828459045,
});

function tanh(x: number): number {
  if (x > 20) return 1;
  if (x < -20) return -1;
  const e2 = exp(2 * x);
  return (e2 - 1) / (e2 + 1);
}
function sinh(x: number): number {
  return 0.5 * (exp(x) - exp(-x));
}
function cosh(x: number): number {
  return 0.5 * (exp(x) + exp(-x));
}
function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/** The functions a formula or its derivatives may call, by mathjs name. */
export const UNARY: Readonly<Record<string, (x: number) => number>> = Object.freeze({
  sin,
  cos,
  tan: (x: number) => sin(x) / cos(x),
  exp,
  log,
  sqrt: (x: number) => Math.sqrt(x),
  abs: (x: number) => Math.abs(x),
  tanh,
  sinh,
  cosh,
  atan,
  sec: (x: number) => 1 / cos(x),
  csc: (x: number) => 1 / sin(x),
  cot: (x: number) => cos(x) / sin(x),
  sech: (x: number) => 1 / cosh(x),
  csch: (x: number) => 1 / sinh(x),
  coth: (x: number) => 1 / tanh(x),
  sign,
});

/** Integer exponents up to this size are multiplied out; others go through lib/math `pow`. */
const MAX_INTEGER_POWER = 64;

/** x^y: integer powers by repeated squaring (exact-spec), others through lib/math pow. */
export function power(x: number, y: number): number {
  if (Number.isInteger(y) && Math.abs(y) <= MAX_INTEGER_POWER) {
    let n = Math.abs(y);
    let base = x;
    let result = 1;
    while (n > 0) {
      if (n & 1) result *= base;
      base *= base;
      n >>= 1;
    }
    return y < 0 ? 1 / result : result;
  }
  return pow(x, y);
}

export const BINARY: Readonly<Record<string, (x: number, y: number) => number>> = Object.freeze({
  add: (x: number, y: number) => x + y,
  subtract: (x: number, y: number) => x - y,
  multiply: (x: number, y: number) => x * y,
  divide: (x: number, y: number) => x / y,
  pow: power,
});

type Node = MathNode & Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// The closures (F1's compiler; the fallback of F16).

/** A compiled subtree: its closure, and its value when it depends on neither w nor b. */
interface Compiled {
  readonly fn: Scalar;
  readonly value?: number;
}

function constant(v: number): Compiled {
  return { fn: () => v, value: v };
}

/** A checked tree as one closure over lib/math, constant subtrees folded. */
export function closureOf(node: MathNode): Scalar {
  return compile(node).fn;
}

function compile(node: MathNode): Compiled {
  const n = node as Node;
  switch (node.type) {
    case "ConstantNode":
      return constant(n.value as number);
    case "SymbolNode": {
      const name = String(n.name);
      if (name === "w") return { fn: (w) => w };
      if (name === "b") return { fn: (_w, b) => b };
      return constant(CONSTANTS[name]!);
    }
    case "ParenthesisNode":
      return compile(n.content as MathNode);
    case "OperatorNode": {
      const fn = String(n.fn);
      const args = (n.args as MathNode[]).map(compile);
      if (fn === "unaryPlus") return args[0]!;
      if (fn === "unaryMinus") {
        const a = args[0]!;
        if (a.value !== undefined) return constant(-a.value);
        const af = a.fn;
        return { fn: (w, b) => -af(w, b) };
      }
      const op = BINARY[fn]!;
      const [l, r] = args as [Compiled, Compiled];
      if (l.value !== undefined && r.value !== undefined) return constant(op(l.value, r.value));
      const lf = l.fn;
      const rf = r.fn;
      // Exact identities only (x·1 = x, x + 0 = x up to the sign of zero, the same everywhere).
      if (fn === "multiply" && r.value === 1) return l;
      if (fn === "multiply" && l.value === 1) return r;
      if ((fn === "add" || fn === "subtract") && r.value === 0) return l;
      if (fn === "add" && l.value === 0) return r;
      if (fn === "divide" && r.value === 1) return l;
      if (fn === "pow" && r.value !== undefined) {
        const y = r.value;
        if (y === 1) return l;
        if (y === 2)
          return {
            fn: (w, b) => {
              const x = lf(w, b);
              return x * x;
            },
          };
        return { fn: (w, b) => power(lf(w, b), y) };
      }
      if (r.value !== undefined) {
        const y = r.value;
        return { fn: (w, b) => op(lf(w, b), y) };
      }
      if (l.value !== undefined) {
        const x = l.value;
        return { fn: (w, b) => op(x, rf(w, b)) };
      }
      return { fn: (w, b) => op(lf(w, b), rf(w, b)) };
    }
    case "FunctionNode": {
      const name = String((n.fn as Node).name);
      const f = UNARY[name]!;
      const a = compile((n.args as MathNode[])[0]!);
      if (a.value !== undefined) return constant(f(a.value));
      const af = a.fn;
      return { fn: (w, b) => f(af(w, b)) };
    }
    default:
      throw new Error(`not allowed: ${node.type}`);
  }
}

function closureFunctions(trees: FormulaTrees): FormulaFunctions {
  const l = closureOf(trees.loss);
  const [gw, gb] = [closureOf(trees.dw), closureOf(trees.db)];
  const [hww, hwb, hbb] = [closureOf(trees.dww), closureOf(trees.dwb), closureOf(trees.dbb)];
  return {
    loss: (t) => l(t[0], t[1]),
    gradient: (t) => [gw(t[0], t[1]), gb(t[0], t[1])],
    hessian: (t) => {
      const c = hwb(t[0], t[1]);
      return [
        [hww(t[0], t[1]), c],
        [c, hbb(t[0], t[1])],
      ];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The graph (F16): one node per distinct operation, shared by every tree that needs it.

type Op =
  | "const"
  | "w"
  | "b"
  | "neg"
  | "add"
  | "subtract"
  | "multiply"
  | "divide"
  | "power" // power(x, y), y not a constant
  | "pow" // lib/math pow(x, y): a constant y that is not a small integer
  | "call";

interface GraphNode {
  readonly op: Op;
  readonly value?: number;
  readonly a?: number;
  readonly b?: number;
  readonly name?: string;
}

const ARITHMETIC: Partial<Record<Op, string>> = {
  add: "+",
  subtract: "-",
  multiply: "*",
  divide: "/",
};

/** The trees of a formula and its derivatives, as mathjs gives them (checked, F1). */
export interface FormulaTrees {
  readonly loss: MathNode;
  readonly dw: MathNode;
  readonly db: MathNode;
  readonly dww: MathNode;
  readonly dwb: MathNode;
  readonly dbb: MathNode;
}

class Graph {
  readonly nodes: GraphNode[] = [];
  private readonly index = new Map<string, number>();

  private add(node: GraphNode): number {
    const v = node.value;
    const key = `${node.op}|${v === undefined ? "" : Object.is(v, -0) ? "-0" : String(v)}|${node.a ?? ""}|${node.b ?? ""}|${node.name ?? ""}`;
    const found = this.index.get(key);
    if (found !== undefined) return found;
    this.nodes.push(node);
    this.index.set(key, this.nodes.length - 1);
    return this.nodes.length - 1;
  }

  constant(value: number): number {
    return this.add({ op: "const", value });
  }
  variable(op: "w" | "b"): number {
    return this.add({ op });
  }
  op(op: Op, a: number, b?: number, name?: string): number {
    return this.add({ op, a, b, name });
  }
  valueOf(i: number): number | undefined {
    const n = this.nodes[i]!;
    return n.op === "const" ? n.value : undefined;
  }

  /** x^y for a constant y, as {@link power} computes it. */
  powerOf(x: number, y: number): number {
    if (!(Number.isInteger(y) && Math.abs(y) <= MAX_INTEGER_POWER)) {
      return this.op("pow", x, this.constant(y));
    }
    // The loop of `power`, multiplication by multiplication (1·v = v exactly, so skipped).
    let n = Math.abs(y);
    let base = x;
    let result: number | null = null;
    while (n > 0) {
      if (n & 1) result = result === null ? base : this.op("multiply", result, base);
      n >>= 1;
      if (n > 0) base = this.op("multiply", base, base);
    }
    const r = result ?? this.constant(1);
    return y < 0 ? this.op("divide", this.constant(1), r) : r;
  }

  /** Lower a checked tree: the same folding and identities as {@link compile}. */
  lower(node: MathNode): number {
    const n = node as Node;
    switch (node.type) {
      case "ConstantNode":
        return this.constant(n.value as number);
      case "SymbolNode": {
        const name = String(n.name);
        if (name === "w" || name === "b") return this.variable(name);
        return this.constant(CONSTANTS[name]!);
      }
      case "ParenthesisNode":
        return this.lower(n.content as MathNode);
      case "OperatorNode": {
        const fn = String(n.fn);
        const args = (n.args as MathNode[]).map((a) => this.lower(a));
        if (fn === "unaryPlus") return args[0]!;
        if (fn === "unaryMinus") {
          const v = this.valueOf(args[0]!);
          return v !== undefined ? this.constant(-v) : this.op("neg", args[0]!);
        }
        const [l, r] = args as [number, number];
        const lv = this.valueOf(l);
        const rv = this.valueOf(r);
        if (lv !== undefined && rv !== undefined) return this.constant(BINARY[fn]!(lv, rv));
        if (fn === "multiply" && rv === 1) return l;
        if (fn === "multiply" && lv === 1) return r;
        if ((fn === "add" || fn === "subtract") && rv === 0) return l;
        if (fn === "add" && lv === 0) return r;
        if (fn === "divide" && rv === 1) return l;
        if (fn === "pow") {
          if (rv === undefined) return this.op("power", l, r);
          if (rv === 1) return l;
          if (rv === 2) return this.op("multiply", l, l);
          return this.powerOf(l, rv);
        }
        if (!(fn in ARITHMETIC)) throw new Error(`not allowed: the operator ${fn}`);
        return this.op(fn as Op, l, r);
      }
      case "FunctionNode": {
        const name = String((n.fn as Node).name);
        const f = UNARY[name];
        if (!f) throw new Error(`not allowed: the function ${name}`);
        const a = this.lower((n.args as MathNode[])[0]!);
        const v = this.valueOf(a);
        return v !== undefined ? this.constant(f(v)) : this.op("call", a, undefined, name);
      }
      default:
        throw new Error(`not allowed: ${node.type}`);
    }
  }
}

/** A number as JavaScript source that reads back as the same double (sign of zero kept). */
function literal(v: number): string {
  if (Number.isNaN(v)) return "(0/0)";
  if (v === Infinity) return "(1/0)";
  if (v === -Infinity) return "(-1/0)";
  if (Object.is(v, -0)) return "(-0)";
  return `(${String(v)})`;
}

/** What the generated source may contain: identifiers, numbers, operators, brackets. */
const SOURCE_CHARACTERS = /^[A-Za-z0-9_ \n.,:;=+\-*/()[\]{}]*$/;
const FUNCTION_NAME = /^[a-z]{2,5}$/;

/** The statements computing `roots`, each node once, and the names of their results. */
function straightLine(graph: Graph, roots: readonly number[]): { body: string; refs: string[] } {
  const needed = new Uint8Array(graph.nodes.length);
  const stack = [...roots];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (needed[i]) continue;
    needed[i] = 1;
    const n = graph.nodes[i]!;
    if (n.a !== undefined) stack.push(n.a);
    if (n.b !== undefined) stack.push(n.b);
  }
  const ref = (i: number): string => {
    const n = graph.nodes[i]!;
    if (n.op === "const") return literal(n.value!);
    if (n.op === "w" || n.op === "b") return n.op;
    return `v${i}`;
  };
  const lines: string[] = [];
  // Children are made before their parents, so index order is an evaluation order.
  for (let i = 0; i < graph.nodes.length; i++) {
    if (!needed[i]) continue;
    const n = graph.nodes[i]!;
    let expr: string;
    switch (n.op) {
      case "const":
      case "w":
      case "b":
        continue;
      case "neg":
        expr = `-${ref(n.a!)}`;
        break;
      case "power":
        expr = `power(${ref(n.a!)}, ${ref(n.b!)})`;
        break;
      case "pow":
        expr = `pow(${ref(n.a!)}, ${ref(n.b!)})`;
        break;
      case "call":
        if (!FUNCTION_NAME.test(n.name!) || !(n.name! in UNARY)) {
          throw new Error(`not allowed: the function ${n.name}`);
        }
        expr = `f_${n.name}(${ref(n.a!)})`;
        break;
      default:
        expr = `${ref(n.a!)} ${ARITHMETIC[n.op]!} ${ref(n.b!)}`;
    }
    lines.push(`const v${i} = ${expr};`);
  }
  return { body: lines.join("\n"), refs: roots.map(ref) };
}

/** The JavaScript source of a formula's functions (exported for the tests, F16). */
export function generatedSource(trees: FormulaTrees): string {
  const graph = new Graph();
  const loss = graph.lower(trees.loss);
  const grad = [graph.lower(trees.dw), graph.lower(trees.db)];
  const hess = [graph.lower(trees.dww), graph.lower(trees.dwb), graph.lower(trees.dbb)];
  const used = new Set<string>();
  for (const n of graph.nodes) if (n.op === "call") used.add(n.name!);
  const l = straightLine(graph, [loss]);
  const g = straightLine(graph, grad);
  const h = straightLine(graph, hess);
  const source = [
    ...[...used].sort().map((name) => `const f_${name} = P.unary.${name};`),
    "const power = P.power;",
    "const pow = P.pow;",
    "return {",
    `scalar: function (w, b) {\n${l.body}\nreturn ${l.refs[0]};\n},`,
    `loss: function (t) {\nconst w = t[0];\nconst b = t[1];\n${l.body}\nreturn ${l.refs[0]};\n},`,
    `gradient: function (t) {\nconst w = t[0];\nconst b = t[1];\n${g.body}\nreturn [${g.refs[0]}, ${g.refs[1]}];\n},`,
    `hessian: function (t) {\nconst w = t[0];\nconst b = t[1];\n${h.body}\nconst c = ${h.refs[1]};\nreturn [[${h.refs[0]}, c], [c, ${h.refs[2]}]];\n}`,
    "};",
  ].join("\n");
  if (!SOURCE_CHARACTERS.test(source)) {
    throw new Error("the generated formula code has a character it may not have");
  }
  return source;
}

interface Generated extends FormulaFunctions {
  readonly scalar: Scalar;
}

/** The primitives handed to the generated code: the closures' own functions. */
const PRIMITIVES = Object.freeze({ unary: UNARY, power, pow });

function generatedFunctions(trees: FormulaTrees): Generated | null {
  const source = generatedSource(trees);
  let make: (p: typeof PRIMITIVES) => Generated;
  try {
    // F16: the source is made from the checked graph only (generatedSource).
    make = new Function("P", source) as (p: typeof PRIMITIVES) => Generated;
  } catch (e) {
    // A Content-Security-Policy without 'unsafe-eval' refuses run-time code: use the closures.
    if (e instanceof EvalError || (e as Error)?.name === "EvalError") return null;
    throw e;
  }
  return make(PRIMITIVES);
}

/** A formula's compiled functions: generated code where allowed, else closures (F16). */
export interface CompiledFunctions {
  readonly scalar: Scalar;
  readonly functions: FormulaFunctions;
  readonly via: CompileVia;
}

export function compileTrees(
  trees: FormulaTrees,
  via: CompileVia = "generated",
): CompiledFunctions {
  if (via === "generated") {
    const g = generatedFunctions(trees);
    if (g) {
      return {
        scalar: g.scalar,
        functions: { loss: g.loss, gradient: g.gradient, hessian: g.hessian },
        via: "generated",
      };
    }
  }
  return { scalar: closureOf(trees.loss), functions: closureFunctions(trees), via: "closures" };
}
