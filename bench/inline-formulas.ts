/**
 * The catalog's formulas written again as plain inline code over Float64Arrays: the reference the
 * library API is compared against in `npm run bench:lib`. Each kernel returns Σ (L + ∂L/∂w + ∂L/∂b)
 * over the points so that nothing is optimised away, and evaluates exactly the same maths as the
 * surface in lib/surfaces (the bench checks that they agree before timing).
 */
export type InlineKernel = (ws: Float64Array, bs: Float64Array) => number;

const TWO_PI = 2 * Math.PI;

export const inlineKernels: Record<string, InlineKernel> = {
  rosenbrock(ws, bs) {
    let acc = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      const b = bs[i]!;
      const d = b - w * w;
      const f = (1 - w) * (1 - w) + 100 * d * d;
      const gw = -2 * (1 - w) - 400 * w * d;
      const gb = 200 * d;
      acc += f + gw + gb;
    }
    return acc;
  },
  himmelblau(ws, bs) {
    let acc = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      const b = bs[i]!;
      const a = w * w + b - 11;
      const c = w + b * b - 7;
      acc += a * a + c * c + (4 * w * a + 2 * c) + (2 * a + 4 * b * c);
    }
    return acc;
  },
  beale(ws, bs) {
    let acc = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      const b = bs[i]!;
      const b2 = b * b;
      const b3 = b2 * b;
      const t1 = 1.5 - w + w * b;
      const t2 = 2.25 - w + w * b2;
      const t3 = 2.625 - w + w * b3;
      const f = t1 * t1 + t2 * t2 + t3 * t3;
      const gw = 2 * t1 * (b - 1) + 2 * t2 * (b2 - 1) + 2 * t3 * (b3 - 1);
      const gb = 2 * t1 * w + 4 * t2 * w * b + 6 * t3 * w * b2;
      acc += f + gw + gb;
    }
    return acc;
  },
  booth(ws, bs) {
    let acc = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      const b = bs[i]!;
      const p = w + 2 * b - 7;
      const q = 2 * w + b - 5;
      acc += p * p + q * q + (2 * p + 4 * q) + (4 * p + 2 * q);
    }
    return acc;
  },
  matyas(ws, bs) {
    let acc = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      const b = bs[i]!;
      const f = 0.26 * (w * w + b * b) - 0.48 * w * b;
      acc += f + (0.52 * w - 0.48 * b) + (0.52 * b - 0.48 * w);
    }
    return acc;
  },
  "three-hump-camel"(ws, bs) {
    let acc = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      const b = bs[i]!;
      const w2 = w * w;
      const w4 = w2 * w2;
      const f = 2 * w2 - 1.05 * w4 + (w4 * w2) / 6 + w * b + b * b;
      const gw = 4 * w - 4.2 * w2 * w + w4 * w + b;
      const gb = w + 2 * b;
      acc += f + gw + gb;
    }
    return acc;
  },
  "six-hump-camel"(ws, bs) {
    let acc = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      const b = bs[i]!;
      const w2 = w * w;
      const b2 = b * b;
      const f = (4 - 2.1 * w2 + (w2 * w2) / 3) * w2 + w * b + (-4 + 4 * b2) * b2;
      const gw = 8 * w - 8.4 * w2 * w + 2 * w2 * w2 * w + b;
      const gb = w - 8 * b + 16 * b2 * b;
      acc += f + gw + gb;
    }
    return acc;
  },
  rastrigin(ws, bs) {
    let acc = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      const b = bs[i]!;
      const f = 20 + w * w - 10 * Math.cos(TWO_PI * w) + b * b - 10 * Math.cos(TWO_PI * b);
      const gw = 2 * w + 20 * Math.PI * Math.sin(TWO_PI * w);
      const gb = 2 * b + 20 * Math.PI * Math.sin(TWO_PI * b);
      acc += f + gw + gb;
    }
    return acc;
  },
  ackley(ws, bs) {
    let acc = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      const b = bs[i]!;
      const r = Math.sqrt(0.5 * (w * w + b * b));
      const e1 = Math.exp(-0.2 * r);
      const e2 = Math.exp(0.5 * (Math.cos(TWO_PI * w) + Math.cos(TWO_PI * b)));
      const f = -20 * e1 - e2 + Math.E + 20;
      const k = r > 0 ? (2 * e1) / r : 0;
      const gw = k * w + Math.PI * Math.sin(TWO_PI * w) * e2;
      const gb = k * b + Math.PI * Math.sin(TWO_PI * b) * e2;
      acc += f + gw + gb;
    }
    return acc;
  },
  "goldstein-price"(ws, bs) {
    let acc = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      const b = bs[i]!;
      const s = w + b + 1;
      const a = 19 - 14 * w + 3 * w * w - 14 * b + 6 * w * b + 3 * b * b;
      const da = -14 + 6 * w + 6 * b;
      const p = 1 + s * s * a;
      const dp = 2 * s * a + s * s * da;
      const t = 2 * w - 3 * b;
      const c = 18 - 32 * w + 12 * w * w + 48 * b - 36 * w * b + 27 * b * b;
      const q = 30 + t * t * c;
      const dqw = 4 * t * c + t * t * (-32 + 24 * w - 36 * b);
      const dqb = -6 * t * c + t * t * (48 - 36 * w + 54 * b);
      acc += p * q + (dp * q + p * dqw) + (dp * q + p * dqb);
    }
    return acc;
  },
  "styblinski-tang"(ws, bs) {
    let acc = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      const b = bs[i]!;
      const w2 = w * w;
      const b2 = b * b;
      const f = 0.5 * (w2 * w2 - 16 * w2 + 5 * w + b2 * b2 - 16 * b2 + 5 * b);
      acc += f + (2 * w2 * w - 16 * w + 2.5) + (2 * b2 * b - 16 * b + 2.5);
    }
    return acc;
  },
  neuron(ws, bs) {
    let acc = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      const b = bs[i]!;
      const f1 = 1 / (1 + Math.exp(-(0.5 * w + b)));
      const f2 = 1 / (1 + Math.exp(-(2.5 * w + b)));
      const e1 = f1 - 0.2;
      const e2 = f2 - 0.9;
      const d1 = e1 * f1 * (1 - f1);
      const d2 = e2 * f2 * (1 - f2);
      acc += 0.5 * (e1 * e1 + e2 * e2) + (0.5 * d1 + 2.5 * d2) + (d1 + d2);
    }
    return acc;
  },
};
