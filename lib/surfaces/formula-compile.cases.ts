/**
 * Formulas that exercise every path of the two compilers (F16): each function, derived functions
 * (sec, sech, sign, …), integer, negative, fractional, large and variable exponents, folded
 * constants, the identities and the sign of zero. Each with a box where it is finite.
 */
export const COMPILER_CASES: readonly {
  readonly text: string;
  readonly min: readonly [number, number];
  readonly max: readonly [number, number];
}[] = [
  { text: "(1 - w)^2 + 100 (b - w^2)^2", min: [-2, -1], max: [2, 3] },
  { text: "sin(3w) cos(2b) + 0.1 (w^2 + b^2)", min: [-3, -3], max: [3, 3] },
  {
    text: "0.5 ((1 / (1 + exp(-(0.5 w + b))) - 0.2)^2 + (1 / (1 + exp(-(2.5 w + b))) - 0.9)^2)",
    min: [-4, -4],
    max: [4, 4],
  },
  {
    text: "tan(w / 4) + tanh(b) + sinh(w / 3) cosh(b / 3) + atan(w b)",
    min: [-3, -3],
    max: [3, 3],
  },
  { text: "sqrt(w^2 + b^2 + 1) + abs(w - 0.3)^3 + log(2 + w^2)", min: [-2, -2], max: [2, 2] },
  { text: "w^-3 + b^0.5 + (w + 2)^b + pi e - w^0", min: [1, 1], max: [2, 2] },
  {
    text: "(w - b)^7 / 1e4 + w^70 * 1e-30 + -(-w) + +b - 0 * w + 0 + 1 * b / 1",
    min: [-1, -1],
    max: [1, 1],
  },
  {
    text: "exp(-(w^2 + b^2)) * -3 + 1 / (1 + w^2) - b / 1 + (2 - 2) w",
    min: [-2, -2],
    max: [2, 2],
  },
];

/** FNV-1a over the bytes of a list of doubles: a fingerprint of a compiler's exact output. */
export function fnv1a(values: readonly number[]): string {
  const bytes = new Uint8Array(new Float64Array(values).buffer);
  let h = 0x811c9dc5;
  for (const byte of bytes) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
