/**
 * Elementary functions that give the same bits in every JavaScript engine.
 *
 * ECMAScript fixes + − × ÷ and `Math.sqrt` as IEEE-754 operations (correctly rounded), but leaves
 * `Math.exp`, `Math.cos`, `Math.atan2`, `Math.hypot`, `**` and the rest "implementation-
 * approximated": Node's V8 and a browser's engine differ in the last bit for a few percent of
 * arguments (measured: Node 20 and Chromium 156 disagree on 3 % of `Math.cos` and 10 % of
 * `Math.exp` results). A round is replayed on the server and again in the browser and the two
 * must agree bit for bit (docs/SPEC.md R16), so the rules, the surfaces and the optimizers use
 * these instead (ESLint refuses the `Math` ones in lib/).
 *
 * The algorithms are those of fdlibm (Sun Microsystems' freely distributable libm, which V8 also
 * follows): argument reduction, then a minimax polynomial, written with + − × ÷ and √ only, so
 * they give the same bits everywhere (and, for values a server on Node computed before, the same
 * bits as Node's `Math`, except `**`, where V8 is less accurate than fdlibm, and sines and
 * cosines of enormous angles, |x| > 2¹⁹·π/2, which are reduced exactly with BigInt here). Errors
 * are below 1 ulp.
 */

// ── Bit access ──────────────────────────────────────────────────────────────────────────────

const FLOAT = new Float64Array(1);
const WORDS = new Int32Array(FLOAT.buffer);
/** Index of the high 32-bit word of a double in {@link WORDS} (platform byte order). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

function highWord(x: number): number {
  FLOAT[0] = x;
  return WORDS[HI]!;
}

function lowWord(x: number): number {
  FLOAT[0] = x;
  return WORDS[LO]!;
}

function fromWords(high: number, low: number): number {
  WORDS[HI] = high;
  WORDS[LO] = low;
  return FLOAT[0]!;
}

/** x with its low 32 bits cleared. */
function withZeroLow(x: number): number {
  return fromWords(highWord(x), 0);
}

// ── exp ─────────────────────────────────────────────────────────────────────────────────────

const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
const EXP_P1 = 1.66666666666666019037e-1;
const EXP_P2 = -2.77777777770155933842e-3;
const EXP_P3 = 6.61375632143793436117e-5;
const EXP_P4 = -1.6533902205465251539e-6;
const EXP_P5 = 4.13813679705723846039e-8;
const EXP_OVERFLOW = 7.09782712893383973096e2;
const EXP_UNDERFLOW = -7.4513321910194110842e2;
const TWO_M1000 = 9.3326361850321887899e-302;
const TWO_1023 = 8.98846567431158e307;

/** eˣ (e¹ is exactly `Math.E`, as in V8). */
export function exp(x: number): number {
  if (x === 1) return Math.E;
  const word = highWord(x);
  const negative = word < 0;
  const hx = word & 0x7fffffff;
  if (hx >= 0x40862e42) {
    // |x| ≥ 709.78…
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | lowWord(x)) !== 0) return x + x; // NaN
      return negative ? 0 : x; // e^−∞ = 0, e^∞ = ∞
    }
    if (x > EXP_OVERFLOW) return Infinity;
    if (x < EXP_UNDERFLOW) return 0;
  }
  // x = k·ln2 + r, |r| ≤ ln2/2, with r = hi − lo in extra precision.
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = Math.trunc(INV_LN2 * x + (negative ? -0.5 : 0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    // |x| < 2⁻²⁸: e^x = 1 + x to double precision.
    return 1 + x;
  }
  const t = x * x;
  const twoToK =
    k >= -1021
      ? fromWords((0x3ff00000 + (k << 20)) | 0, 0)
      : fromWords(0x3ff00000 + ((k + 1000) << 20), 0);
  const c = x - t * (EXP_P1 + t * (EXP_P2 + t * (EXP_P3 + t * (EXP_P4 + t * EXP_P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  if (k >= -1021) return k === 1024 ? y * 2 * TWO_1023 : y * twoToK;
  return y * twoToK * TWO_M1000;
}

// ── log ─────────────────────────────────────────────────────────────────────────────────────

const TWO_54 = 1.8014398509481984e16;
const LG1 = 6.66666666666673513e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/** The natural logarithm ln x. */
export function log(x: number): number {
  let hx = highWord(x);
  const lx = lowWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2⁻¹⁰²² (subnormal, zero or negative)
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO_54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  // x (or x/2) in [√2/2, √2]
  x = fromWords(hx | (i ^ 0x3ff00000), lowWord(x));
  k += i >> 20;
  const f = x - 1;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    // −2⁻²⁰ ≤ f < 2⁻²⁰
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : dk * LN2_HI - (r - dk * LN2_LO - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0
      ? f - (hfsq - s * (hfsq + r))
      : dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - r) : dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f);
}

// ── sin and cos ─────────────────────────────────────────────────────────────────────────────

const S1 = -1.66666666666666324348e-1;
const S2 = 8.33333333332248946124e-3;
const S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6;
const S5 = -2.50507602534068634195e-8;
const S6 = 1.58969099521155010221e-10;

/** sin(x + y) for |x + y| ≤ π/4, y the tail of x (iy = 0: y is 0). */
function kernelSin(x: number, y: number, iy: 0 | 1): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && Math.trunc(x) === 0) return x; // |x| < 2⁻²⁷
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return iy === 0 ? x + v * (S1 + z * r) : x - (z * (0.5 * y - v * r) - y - v * S1);
}

const C1 = 4.16666666666666019037e-2;
const C2 = -1.38888888888741095749e-3;
const C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7;
const C5 = 2.0875723212981748279e-9;
const C6 = -1.13596475577881948265e-11;

/** cos(x + y) for |x + y| ≤ π/4, y the tail of x. */
function kernelCos(x: number, y: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && Math.trunc(x) === 0) return 1; // |x| < 2⁻²⁷
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y)); // |x| < 0.3
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0);
  const hz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (hz - (z * r - x * y));
}

const INV_PIO2 = 6.36619772367581382433e-1;
/** π/2 in three 33-bit pieces and their tails. */
const PIO2_1 = 1.57079632673412561417;
const PIO2_1T = 6.07710050650619224932e-11;
const PIO2_2 = 6.0771005063039659766e-11;
const PIO2_2T = 2.02226624879595063154e-21;
const PIO2_3 = 2.0222662487111664558e-21;
const PIO2_3T = 8.47842766036889956997e-32;

/** High words of n·π/2 for n = 1 … 32 (made exactly from π, below). */
let nPio2High: Int32Array | null = null;

/** The reduced argument: x = n·π/2 + (y0 + y1), |y0 + y1| ≤ π/4 (about). */
const REDUCED = { y0: 0, y1: 0 };

/** n (mod 4 is what counts) with x − n·π/2 in {@link REDUCED}. x is finite, |x| > π/4. */
function reduce(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix < 0x4002d97c) {
    // |x| < 3π/4: n = ±1
    const sign = hx > 0 ? 1 : -1;
    let z = x - sign * PIO2_1;
    if (ix !== 0x3ff921fb) {
      REDUCED.y0 = z - sign * PIO2_1T;
      REDUCED.y1 = z - REDUCED.y0 - sign * PIO2_1T;
    } else {
      // x is near π/2: 33 + 33 bits of π/2
      z -= sign * PIO2_2;
      REDUCED.y0 = z - sign * PIO2_2T;
      REDUCED.y1 = z - REDUCED.y0 - sign * PIO2_2T;
    }
    return sign;
  }
  if (ix <= 0x413921fb) {
    // |x| ≤ 2¹⁹·π/2: Cody–Waite with up to 3 × 33 bits of π/2
    const t = Math.abs(x);
    const n = Math.trunc(t * INV_PIO2 + 0.5);
    const fn = n;
    let r = t - fn * PIO2_1;
    let w = fn * PIO2_1T;
    let y0: number;
    const table = (nPio2High ??= makeNPio2High());
    if (n < 32 && ix !== table[n - 1]) {
      y0 = r - w;
    } else {
      const j = ix >> 20;
      y0 = r - w;
      let i = j - ((highWord(y0) >> 20) & 0x7ff);
      if (i > 16) {
        let u = r;
        w = fn * PIO2_2;
        r = u - w;
        w = fn * PIO2_2T - (u - r - w);
        y0 = r - w;
        i = j - ((highWord(y0) >> 20) & 0x7ff);
        if (i > 49) {
          u = r;
          w = fn * PIO2_3;
          r = u - w;
          w = fn * PIO2_3T - (u - r - w);
          y0 = r - w;
        }
      }
    }
    const y1 = r - y0 - w;
    if (hx < 0) {
      REDUCED.y0 = -y0;
      REDUCED.y1 = -y1;
      return -n;
    }
    REDUCED.y0 = y0;
    REDUCED.y1 = y1;
    return n;
  }
  return reduceHuge(x);
}

// π to 1,300 bits (Machin: π = 16·atan(1/5) − 4·atan(1/239)), for the table above and for the
// exact reduction of huge arguments. Made once, on first use.
const PI_BITS = 1300n;
let piFixed: bigint | null = null;

function atanInverseFixed(n: bigint, bits: bigint): bigint {
  const one = 1n << bits;
  let term = one / n;
  let sum = term;
  const n2 = n * n;
  for (let k = 1n; term !== 0n; k++) {
    term /= n2;
    sum += (k % 2n === 1n ? -term : term) / (2n * k + 1n);
  }
  return sum;
}

/** ⌊π·2^1300⌋ (to within a few units of the last place, far beyond what is used). */
function pi(): bigint {
  if (piFixed === null) {
    const guard = 32n;
    const bits = PI_BITS + guard;
    piFixed = (16n * atanInverseFixed(5n, bits) - 4n * atanInverseFixed(239n, bits)) >> guard;
  }
  return piFixed;
}

/** The double nearest a fixed-point value v·2^−bits (v ≠ 0 is a BigInt). */
function fixedToDouble(v: bigint, bits: bigint): number {
  // Number(bigint) rounds correctly; dividing by a power of two is exact (no underflow here).
  const negative = v < 0n;
  let m = negative ? -v : v;
  let shift = bits;
  // Keep 64 significant bits plus a sticky bit so that Number() rounds like the exact value.
  const length = BigInt(m.toString(2).length);
  if (length > 64n) {
    const drop = length - 64n;
    const sticky = m & ((1n << drop) - 1n) ? 1n : 0n;
    m = (m >> drop) | sticky;
    shift -= drop;
  }
  let d = Number(m);
  while (shift > 0n) {
    const step = shift > 1000n ? 1000 : Number(shift);
    d *= fromWords((1023 - step) << 20, 0); // × 2^−step, exact
    shift -= BigInt(step);
  }
  return negative ? -d : d;
}

function makeNPio2High(): Int32Array {
  const table = new Int32Array(32);
  for (let n = 1; n <= 32; n++)
    table[n - 1] = highWord(fixedToDouble(BigInt(n) * pi(), PI_BITS + 1n));
  return table;
}

/** Exact reduction of |x| > 2¹⁹·π/2 with BigInt: x = m·2^e, n = nearest integer to x/(π/2). */
function reduceHuge(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  const e = (ix >> 20) - 1075; // x = m·2^e with a 53-bit integer m
  const m = (BigInt((ix & 0xfffff) | 0x100000) << 32n) | BigInt(lowWord(x) >>> 0);
  // q = |x|·(2/π) in fixed point with F fraction bits: |x|·2/π = m·2^(e+1)/π.
  const F = 200n;
  const p = pi(); // π·2^PI_BITS
  const numerator = m << (BigInt(e + 1) + F + PI_BITS);
  const q = numerator / p;
  const half = 1n << (F - 1n);
  const n = (q + half) >> F; // nearest integer
  const fraction = q - (n << F); // (|x|·2/π − n)·2^F, in [−½, ½)·2^F
  // y = fraction·π/2
  const y = fraction * p; // ·2^(F + PI_BITS + 1) for π/2
  const scale = F + PI_BITS + 1n;
  const y0 = fixedToDouble(y, scale);
  const y0Fixed = doubleToFixed(y0, scale);
  const y1 = y === y0Fixed ? 0 : fixedToDouble(y - y0Fixed, scale);
  const quadrant = Number(n & 7n);
  if (hx < 0) {
    REDUCED.y0 = -y0;
    REDUCED.y1 = -y1;
    return -quadrant;
  }
  REDUCED.y0 = y0;
  REDUCED.y1 = y1;
  return quadrant;
}

/** A double as a fixed-point BigInt with `bits` fraction bits (exact for the values used). */
function doubleToFixed(d: number, bits: bigint): bigint {
  if (d === 0) return 0n;
  const hx = highWord(d);
  const ix = hx & 0x7fffffff;
  const exponent = ix >> 20;
  const mantissa =
    (BigInt((ix & 0xfffff) | (exponent === 0 ? 0 : 0x100000)) << 32n) | BigInt(lowWord(d) >>> 0);
  const e = BigInt((exponent === 0 ? 1 : exponent) - 1075) + bits;
  const v = e >= 0n ? mantissa << e : mantissa >> -e;
  return hx < 0 ? -v : v;
}

/** sin x. */
export function sin(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelSin(x, 0, 0);
  if (ix >= 0x7ff00000) return NaN;
  const n = reduce(x);
  const { y0, y1 } = REDUCED;
  switch (n & 3) {
    case 0:
      return kernelSin(y0, y1, 1);
    case 1:
      return kernelCos(y0, y1);
    case 2:
      return -kernelSin(y0, y1, 1);
    default:
      return -kernelCos(y0, y1);
  }
}

/** cos x. */
export function cos(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0);
  if (ix >= 0x7ff00000) return NaN;
  const n = reduce(x);
  const { y0, y1 } = REDUCED;
  switch (n & 3) {
    case 0:
      return kernelCos(y0, y1);
    case 1:
      return -kernelSin(y0, y1, 1);
    case 2:
      return -kernelCos(y0, y1);
    default:
      return kernelSin(y0, y1, 1);
  }
}

// ── atan, atan2, acos ───────────────────────────────────────────────────────────────────────

const ATAN_HI = [
  4.63647609000806093515e-1, 7.85398163397448278999e-1, 9.82793723247329054082e-1,
  1.570796326794896558,
] as const;
const ATAN_LO = [
  2.26987774529616870924e-17, 3.06161699786838301793e-17, 1.39033110312309984516e-17,
  6.12323399573676603587e-17,
] as const;
const AT = [
  3.33333333333329318027e-1, -1.99999999998764832476e-1, 1.42857142725034663711e-1,
  -1.1111110405462355788e-1, 9.09088713343650656196e-2, -7.69187620504482999495e-2,
  6.66107313738753120669e-2, -5.83357013379057348645e-2, 4.97687799461593236017e-2,
  -3.6531572744216915527e-2, 1.62858201153657823623e-2,
] as const;

/** atan x, in [−π/2, π/2]. */
export function atan(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x44100000) {
    // |x| ≥ 2⁶⁶
    if (x !== x) return x + x;
    return hx > 0 ? ATAN_HI[3] + ATAN_LO[3] : -ATAN_HI[3] - ATAN_LO[3];
  }
  let id: number;
  if (ix < 0x3fdc0000) {
    // |x| < 0.4375
    if (ix < 0x3e400000) return x; // |x| < 2⁻²⁷
    id = -1;
  } else {
    x = Math.abs(x);
    if (ix < 0x3ff30000) {
      if (ix < 0x3fe60000) {
        id = 0; // 7/16 ≤ |x| < 11/16
        x = (2 * x - 1) / (2 + x);
      } else {
        id = 1; // 11/16 ≤ |x| < 19/16
        x = (x - 1) / (x + 1);
      }
    } else if (ix < 0x40038000) {
      id = 2; // |x| < 39/16
      x = (x - 1.5) / (1 + 1.5 * x);
    } else {
      id = 3; // 39/16 ≤ |x| < 2⁶⁶
      x = -1 / x;
    }
  }
  const z = x * x;
  const w = z * z;
  const s1 = z * (AT[0] + w * (AT[2] + w * (AT[4] + w * (AT[6] + w * (AT[8] + w * AT[10])))));
  const s2 = w * (AT[1] + w * (AT[3] + w * (AT[5] + w * (AT[7] + w * AT[9]))));
  if (id < 0) return x - x * (s1 + s2);
  const r = ATAN_HI[id]! - (x * (s1 + s2) - ATAN_LO[id]! - x);
  return hx < 0 ? -r : r;
}

const PI = 3.141592653589793116;
const PI_LO = 1.2246467991473531772e-16;
const PI_O_2 = 1.570796326794896558;
const PI_O_4 = 7.85398163397448279e-1;

/** The angle of the point (x, y): atan2(y, x), in [−π, π]. */
export function atan2(y: number, x: number): number {
  if (x !== x || y !== y) return x + y;
  if (x === 1) return atan(y);
  const hx = highWord(x);
  const hy = highWord(y);
  const ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;
  // m = 2·sign(x) + sign(y)
  let m = ((hy >>> 31) & 1) | ((hx >>> 30) & 2);
  if (y === 0) {
    if (m <= 1) return y; // atan(±0, +anything) = ±0
    return m === 2 ? PI : -PI; // atan(±0, −anything) = ±π
  }
  if (x === 0) return hy < 0 ? -PI_O_2 : PI_O_2;
  if (ix === 0x7ff00000) {
    if (iy === 0x7ff00000) return [PI_O_4, -PI_O_4, 3 * PI_O_4, -3 * PI_O_4][m]!;
    return [0, -0, PI, -PI][m]!;
  }
  if (iy === 0x7ff00000) return hy < 0 ? -PI_O_2 : PI_O_2;
  const k = (iy - ix) >> 20;
  let z: number;
  if (k > 60) {
    // |y/x| > 2⁶⁰
    z = PI_O_2 + 0.5 * PI_LO;
    m &= 1;
  } else if (hx < 0 && k < -60) {
    z = 0; // 0 > x, |y|/|x| < 2⁻⁶⁰
  } else {
    z = atan(Math.abs(y / x));
  }
  switch (m) {
    case 0:
      return z;
    case 1:
      return -z;
    case 2:
      return PI - (z - PI_LO);
    default:
      return z - PI_LO - PI;
  }
}

const PIO2_HI = 1.570796326794896558;
const PIO2_LO = 6.12323399573676603587e-17;
const PS0 = 1.66666666666666657415e-1;
const PS1 = -3.25565818622400915405e-1;
const PS2 = 2.01212532134862925881e-1;
const PS3 = -4.00555345006794114027e-2;
const PS4 = 7.91534994289814532176e-4;
const PS5 = 3.4793310759602116757e-5;
const QS1 = -2.40339491173441421878;
const QS2 = 2.02094576023350569471;
const QS3 = -6.8828397160545329303e-1;
const QS4 = 7.70381505559019352791e-2;

function acosRatio(z: number): number {
  const p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
  const q = 1 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
  return p / q;
}

/** acos x, in [0, π] (NaN outside [−1, 1]). */
export function acos(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x3ff00000) {
    // |x| ≥ 1
    if (((ix - 0x3ff00000) | lowWord(x)) === 0) return hx > 0 ? 0 : PI + 2 * PIO2_LO;
    return NaN;
  }
  if (ix < 0x3fe00000) {
    // |x| < 0.5
    if (ix <= 0x3c600000) return PIO2_HI + PIO2_LO; // |x| < 2⁻⁵⁷
    const r = acosRatio(x * x);
    return PIO2_HI - (x - (PIO2_LO - x * r));
  }
  if (hx < 0) {
    // −1 < x ≤ −0.5
    const z = (1 + x) * 0.5;
    const s = Math.sqrt(z);
    const w = acosRatio(z) * s - PIO2_LO;
    return PI - 2 * (s + w);
  }
  // 0.5 ≤ x < 1
  const z = (1 - x) * 0.5;
  const s = Math.sqrt(z);
  const df = withZeroLow(s);
  const c = (z - df * df) / (s + df);
  const w = acosRatio(z) * s + c;
  return 2 * (df + w);
}

// ── pow ─────────────────────────────────────────────────────────────────────────────────────

const BP = [1, 1.5] as const;
const DP_H = [0, 5.84962487220764160156e-1] as const;
const DP_L = [0, 1.35003920212974897128e-8] as const;
const TWO_53 = 9007199254740992;
const HUGE = 1e300;
const TINY = 1e-300;
const L1 = 5.99999999999994648725e-1;
const L2 = 4.28571428578550184252e-1;
const L3 = 3.33333329818377432918e-1;
const L4 = 2.72728123808534006489e-1;
const L5 = 2.30660745775561754067e-1;
const L6 = 2.06975017800338417784e-1;
const LN2 = 6.93147180559945286227e-1;
const LN2_H = 6.93147182464599609375e-1;
const LN2_L = -1.90465429995776804525e-9;
const OVT = 8.0085662595372944372e-17;
const CP = 9.61796693925975554329e-1;
const CP_H = 9.61796700954437255859e-1;
const CP_L = -7.02846165095275826516e-9;
const IVLN2 = 1.442695040888963387;
const IVLN2_H = 1.44269502162933349609;
const IVLN2_L = 1.92596299112661746887e-8;

function withLow(x: number, low: number): number {
  return fromWords(highWord(x), low);
}

/** z·2ⁿ, rounded once. */
function scale2(z: number, n: number): number {
  if (n > 1023) return z * fromWords(0x7fe00000, 0) * fromWords((n - 1023 + 1023) << 20, 0);
  if (n >= -1022) return z * fromWords((n + 1023) << 20, 0);
  return z * fromWords((n + 60 + 1023) << 20, 0) * fromWords((1023 - 60) << 20, 0);
}

/** xʸ (the `**` operator). */
export function pow(x: number, y: number): number {
  const hx = highWord(x);
  const lx = lowWord(x) >>> 0;
  const hy = highWord(y);
  const ly = lowWord(y) >>> 0;
  let ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;
  if ((iy | ly) === 0) return 1; // x⁰ = 1
  if (x !== x || y !== y) return NaN;
  // yIsInt: 0 not an integer, 1 odd, 2 even (decided only for x < 0)
  let yIsInt = 0;
  if (hx < 0) {
    if (iy >= 0x43400000) yIsInt = 2;
    else if (iy >= 0x3ff00000) {
      const k = (iy >> 20) - 0x3ff;
      if (k > 20) {
        const j = ly >>> (52 - k);
        if ((j << (52 - k)) >>> 0 === ly) yIsInt = 2 - (j & 1);
      } else if (ly === 0) {
        const j = iy >> (20 - k);
        if (j << (20 - k) === iy) yIsInt = 2 - (j & 1);
      }
    }
  }
  if (ly === 0) {
    if (iy === 0x7ff00000) {
      // y = ±∞
      if (((ix - 0x3ff00000) | lx) === 0) return NaN; // (±1)^±∞
      if (ix >= 0x3ff00000) return hy >= 0 ? y : 0;
      return hy < 0 ? -y : 0;
    }
    if (iy === 0x3ff00000) return hy < 0 ? 1 / x : x; // y = ±1
    if (hy === 0x40000000) return x * x; // y = 2
    if (hy === 0x3fe00000 && hx >= 0) return Math.sqrt(x); // y = ½, x ≥ +0
  }
  let ax = Math.abs(x);
  if (lx === 0 && (ix === 0x7ff00000 || ix === 0 || ix === 0x3ff00000)) {
    // x = ±0, ±∞, ±1
    let z = hy < 0 ? 1 / ax : ax;
    if (hx < 0) {
      if (((ix - 0x3ff00000) | yIsInt) === 0)
        z = NaN; // (−1)^non-integer
      else if (yIsInt === 1) z = -z;
    }
    return z;
  }
  let n = (hx >> 31) + 1;
  if ((n | yIsInt) === 0) return NaN; // (x < 0)^non-integer
  const s = (n | (yIsInt - 1)) === 0 ? -1 : 1; // (x < 0)^odd: negative
  let t1: number;
  let t2: number;
  if (iy > 0x41e00000) {
    // |y| > 2³¹
    if (iy > 0x43f00000) {
      // |y| > 2⁶⁴: over- or underflows
      if (ix <= 0x3fefffff) return hy < 0 ? HUGE * HUGE : TINY * TINY;
      if (ix >= 0x3ff00000) return hy > 0 ? HUGE * HUGE : TINY * TINY;
    }
    if (ix < 0x3fefffff) return hy < 0 ? s * HUGE * HUGE : s * TINY * TINY;
    if (ix > 0x3ff00000) return hy > 0 ? s * HUGE * HUGE : s * TINY * TINY;
    // |1 − x| ≤ 2⁻²⁰: log(x) by its series
    const t = ax - 1;
    const w = t * t * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    const u = IVLN2_H * t;
    const v = t * IVLN2_L - w * IVLN2;
    t1 = withLow(u + v, 0);
    t2 = v - (t1 - u);
  } else {
    n = 0;
    if (ix < 0x00100000) {
      ax *= TWO_53;
      n -= 53;
      ix = highWord(ax);
    }
    n += (ix >> 20) - 0x3ff;
    const j = ix & 0x000fffff;
    ix = j | 0x3ff00000;
    let k: 0 | 1;
    if (j <= 0x3988e) k = 0;
    else if (j < 0xbb67a) k = 1;
    else {
      k = 0;
      n += 1;
      ix -= 0x00100000;
    }
    ax = fromWords(ix, lowWord(ax));
    // ss = s_h + s_l = (x − 1)/(x + 1) or (x − 1.5)/(x + 1.5)
    let u = ax - BP[k];
    let v = 1 / (ax + BP[k]);
    const ss = u * v;
    const sH = withLow(ss, 0);
    let tH = fromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0);
    let tL = ax - (tH - BP[k]);
    const sL = v * (u - sH * tH - sH * tL);
    // log(ax)
    let s2 = ss * ss;
    let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += sL * (sH + ss);
    s2 = sH * sH;
    tH = withLow(3 + s2 + r, 0);
    tL = r - (tH - 3 - s2);
    u = sH * tH;
    v = sL * tH + tL * ss;
    const pH = withLow(u + v, 0);
    const pL = v - (pH - u);
    const zH = CP_H * pH;
    const zL = CP_L * pH + pL * CP + DP_L[k];
    const t = n;
    t1 = withLow(zH + zL + DP_H[k] + t, 0);
    t2 = zL - (t1 - t - DP_H[k] - zH);
  }
  // (y1 + y2)·(t1 + t2)
  const y1 = withLow(y, 0);
  const pL = (y - y1) * t1 + y * t2;
  let pH = y1 * t1;
  let z = pL + pH;
  let j = highWord(z);
  const i = lowWord(z);
  if (j >= 0x40900000) {
    // z ≥ 1024
    if (((j - 0x40900000) | i) !== 0) return s * HUGE * HUGE;
    if (pL + OVT > z - pH) return s * HUGE * HUGE;
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    // z ≤ −1075
    if (((j - 0xc090cc00) | i) !== 0) return s * TINY * TINY;
    if (pL <= z - pH) return s * TINY * TINY;
  }
  // 2^(pH + pL)
  const abs = j & 0x7fffffff;
  let k = (abs >> 20) - 0x3ff;
  n = 0;
  if (abs > 0x3fe00000) {
    // |z| > ½: n = [z + ½]
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 0x3ff;
    const t = fromWords(n & ~(0x000fffff >> k), 0);
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    pH -= t;
  }
  const t = withLow(pL + pH, 0);
  const u = t * LN2_H;
  const v = (pL - (t - pH)) * LN2 + t * LN2_L;
  z = u + v;
  const w = v - (z - u);
  const tt = z * z;
  const c = z - tt * (EXP_P1 + tt * (EXP_P2 + tt * (EXP_P3 + tt * (EXP_P4 + tt * EXP_P5))));
  const r = (z * c) / (c - 2) - (w + z * w);
  z = 1 - (r - z);
  j = highWord(z) + (n << 20);
  if (j >> 20 <= 0)
    z = scale2(z, n); // subnormal result
  else z = fromWords(j, lowWord(z));
  return s * z;
}

// ── hypot ───────────────────────────────────────────────────────────────────

/** √(x² + y²) without overflow: the largest |value| factored out, a compensated sum (V8's). */
export function hypot(x: number, y: number): number {
  if (x === Infinity || x === -Infinity || y === Infinity || y === -Infinity) return Infinity;
  if (x !== x || y !== y) return NaN;
  const a = Math.abs(x);
  const b = Math.abs(y);
  const max = a > b ? a : b;
  if (max === 0) return 0;
  let sum = 0;
  let compensation = 0;
  for (const v of [a, b]) {
    const n = v / max;
    const summand = n * n - compensation;
    const preliminary = sum + summand;
    compensation = preliminary - sum - summand;
    sum = preliminary;
  }
  return Math.sqrt(sum) * max;
}
