import { interpolateViridis } from "d3-scale-chromatic";
import type { Box, Vec2 } from "../../lib/types";

/**
 * Display maths shared by the maps and charts: mapping θ = [w, b] to pixels (b grows upwards),
 * and colouring losses with a colour-blind-safe scale (viridis: dark purple = low, yellow = high).
 */

/** The pixel frame a box is drawn into: width × height, b increasing upwards. */
export interface Frame {
  readonly box: Box;
  readonly width: number;
  readonly height: number;
}

/** θ → pixel [x, y] in a frame (y grows downwards on screen, b upwards). */
export function toPixel(frame: Frame, theta: Vec2): [number, number] {
  const { box, width, height } = frame;
  const x = ((theta[0] - box.min[0]) / (box.max[0] - box.min[0])) * width;
  const y = height - ((theta[1] - box.min[1]) / (box.max[1] - box.min[1])) * height;
  return [x, y];
}

/** A screen-space angle (y downwards) of the θ-space direction at angle α (counter-clockwise). */
export function screenVector(frame: Frame, angle: number, length: number): [number, number] {
  const { box, width, height } = frame;
  const sx = width / (box.max[0] - box.min[0]);
  const sy = height / (box.max[1] - box.min[1]);
  return [Math.cos(angle) * length * sx, -Math.sin(angle) * length * sy];
}

/**
 * A loss → [0, 1] normaliser for colouring. Losses often span many decades (Rosenbrock,
 * Goldstein–Price), so values are compressed with log1p relative to the range when it is wide.
 */
export function lossNormaliser(min: number, max: number): (loss: number) => number {
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(max > min)) return () => 0.5;
  const range = max - min;
  const wide = max > 0 && min >= 0 ? max / Math.max(min, range * 1e-6) > 50 : false;
  if (!wide) return (v) => clamp01((v - min) / range);
  const k = 1000 / range;
  const top = Math.log1p(range * k);
  return (v) => clamp01(Math.log1p(Math.max(0, v - min) * k) / top);
}

/** The colour of a normalised loss t ∈ [0, 1] (viridis). */
export function lossColour(t: number): string {
  return interpolateViridis(clamp01(t));
}

/** Clamp to [0, 1]. */
export function clamp01(t: number): number {
  return t < 0 ? 0 : t > 1 ? 1 : Number.isNaN(t) ? 0 : t;
}

/** A short human number: 3 significant digits, scientific for very large or small magnitudes. */
export function formatLoss(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  const a = Math.abs(value);
  const s =
    a !== 0 && (a >= 1e5 || a < 1e-3)
      ? value.toExponential(2)
      : Number(value.toPrecision(3)).toString();
  return s.replace("-", "−");
}

/** A signed change: "+0.12" or "−3.40". */
export function formatDelta(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  const s = formatLoss(value);
  return value > 0 ? `+${s}` : s;
}

/** Radians to whole degrees, as shown to players. */
export function degrees(radians: number): number {
  return Math.round((radians * 180) / Math.PI);
}

/** An angle in radians normalised to [0, 2π). */
export function wrapAngle(angle: number): number {
  const t = angle % (2 * Math.PI);
  return t < 0 ? t + 2 * Math.PI : t;
}

/**
 * One line reading β, the angle between the step u and the gradient ∇L (seed article): 180° is the
 * steepest way down, 90° runs along the contour, below 90° climbs.
 */
export function readBeta(betaRadians: number): string {
  const b = (betaRadians * 180) / Math.PI;
  if (b >= 170) return "nearly the steepest way down";
  if (b >= 135) return "downhill, though not the steepest way";
  if (b > 95) return "barely downhill: mostly along the contour";
  if (b >= 85) return "along the contour: flat to first order";
  if (b > 45) return "uphill: cos β > 0 makes the loss grow";
  return "almost straight up the gradient";
}

/**
 * An SVG coordinate rounded to 0.01: the server and the browser may differ in the last bit of
 * Math.sin/Math.exp, and unrounded attributes would then mismatch at hydration.
 */
export function r2(v: number): number {
  return Math.round(v * 100) / 100;
}

/**
 * How long an arrow from pixel `from` along the screen direction `dir` (a unit vector, y down) may
 * be for its tip to stay `margin` inside a square map of `size` pixels: at most `wanted`, at least
 * `least`.
 */
export function arrowLengthInside(
  from: readonly [number, number],
  dir: readonly [number, number],
  wanted: number,
  least: number,
  margin: number,
  size = 1000,
): number {
  let fit = wanted;
  for (const [p, d] of [
    [from[0], dir[0]],
    [from[1], dir[1]],
  ] as const) {
    if (d > 1e-9) fit = Math.min(fit, (size - margin - p) / d);
    else if (d < -1e-9) fit = Math.min(fit, (p - margin) / -d);
  }
  return Math.max(least, fit);
}

/** The unit screen vector (y down) of the θ-space direction at angle α in a frame. */
export function screenDirection(frame: Frame, angle: number): [number, number] {
  const [x, y] = screenVector(frame, angle, 1);
  const n = Math.hypot(x, y);
  return [x / n, y / n];
}

/**
 * The θ-space angle of a direction seen on a map at the screen angle `screen` (counter-clockwise,
 * y up): the inverse of {@link screenDirection} (a box that is not square is drawn squashed).
 */
export function thetaAngle(frame: Frame, screen: number): number {
  const { box } = frame;
  return Math.atan2(
    (Math.sin(screen) * (box.max[1] - box.min[1])) / frame.height,
    (Math.cos(screen) * (box.max[0] - box.min[0])) / frame.width,
  );
}

/** pixel [x, y] → θ in a frame (the inverse of {@link toPixel}). */
export function fromPixel(frame: Frame, [x, y]: readonly [number, number]): Vec2 {
  const { box, width, height } = frame;
  return [
    box.min[0] + (x / width) * (box.max[0] - box.min[0]),
    box.min[1] + ((height - y) / height) * (box.max[1] - box.min[1]),
  ];
}
