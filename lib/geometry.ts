import type { Box, Vec2 } from "./types";
import { atan2, cos, hypot, sin } from "./math";

/**
 * Small vector helpers on θ = [w, b] pairs, and the two ways a move is kept inside the box.
 */

/** u + v. */
export function add(u: Vec2, v: Vec2): Vec2 {
  return [u[0] + v[0], u[1] + v[1]];
}

/** u − v. */
export function sub(u: Vec2, v: Vec2): Vec2 {
  return [u[0] - v[0], u[1] - v[1]];
}

/** s·u. */
export function scale(u: Vec2, s: number): Vec2 {
  return [u[0] * s, u[1] * s];
}

/** uᵀv. */
export function dot(u: Vec2, v: Vec2): number {
  return u[0] * v[0] + u[1] * v[1];
}

/** ‖u‖ (Euclidean). */
export function norm(u: Vec2): number {
  return hypot(u[0], u[1]);
}

/** The unit vector u = [cos α, sin α] for an angle α in radians, counter-clockwise from +w. */
export function directionFromAngle(angle: number): Vec2 {
  return [cos(angle), sin(angle)];
}

/** The angle α = atan2(u_b, u_w) of a vector, in radians in (−π, π]. */
export function angleOf(u: Vec2): number {
  return atan2(u[1], u[0]);
}

/** Radians to degrees. */
export function toDegrees(radians: number): number {
  return (radians * 180) / Math.PI;
}

/** Degrees to radians. */
export function toRadians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}

/** Whether θ lies in the closed box. */
export function inBox(theta: Vec2, box: Box): boolean {
  return (
    theta[0] >= box.min[0] &&
    theta[0] <= box.max[0] &&
    theta[1] >= box.min[1] &&
    theta[1] <= box.max[1]
  );
}

/**
 * The Euclidean projection of θ onto the box (component-wise clamp): what projected gradient
 * methods do, and how the bot's optimizers stay inside the field.
 */
export function clampToBox(theta: Vec2, box: Box): Vec2 {
  return [
    Math.min(box.max[0], Math.max(box.min[0], theta[0])),
    Math.min(box.max[1], Math.max(box.min[1], theta[1])),
  ];
}

/**
 * θ + t·η·u for the largest t ∈ [0, 1] that keeps the point in the box: a step that would leave
 * the field stops where its straight path meets the edge (a player's step, GAME.md). The limiting
 * coordinate is set exactly to the edge it meets (θᵢ + tηuᵢ can round to one ulp inside), and the
 * result is clamped once more to absorb rounding in the other coordinate. θ is assumed to lie in
 * the box.
 */
export function stepWithinBox(theta: Vec2, direction: Vec2, eta: number, box: Box): Vec2 {
  const dx = direction[0] * eta;
  const dy = direction[1] * eta;
  // Parameter t at which the straight path θ + t·(dx, dy) meets the w- and b-edge it heads for.
  const edgeW = dx > 0 ? box.max[0] : box.min[0];
  const edgeB = dy > 0 ? box.max[1] : box.min[1];
  const tw = dx !== 0 ? (edgeW - theta[0]) / dx : Infinity;
  const tb = dy !== 0 ? (edgeB - theta[1]) / dy : Infinity;
  const t = Math.max(0, Math.min(1, tw, tb));
  const w = tw <= t ? edgeW : theta[0] + t * dx;
  const b = tb <= t ? edgeB : theta[1] + t * dy;
  return clampToBox([w, b], box);
}
