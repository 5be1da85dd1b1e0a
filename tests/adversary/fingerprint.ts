import type { SurfaceRef } from "../../lib/surface-ref";
import { surfaces } from "../../lib/surfaces";
import type { Guess, Observation } from "./harness";
import { observe } from "./harness";

/**
 * Three fingerprinting bots (issue 17). Each knows the whole catalog and sees only an
 * {@link Observation}: what a non-host connection receives up to the first turn's feedback.
 */

/** An adversary: a guess (a catalog id, or `procedural`) from what it saw. */
export type Adversary = (seen: Observation) => Guess;

const same = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * The fifty-line bot of the issue: a table of every catalog surface's first frame (box, θ₀, η_max,
 * L(θ₀)); a frame that matches an entry is that surface, anything else is procedural.
 */
export function exactFingerprint(): Adversary {
  const table = surfaces.map((s) => ({
    id: s.id,
    key: [s.domain.min[0], s.domain.min[1], s.domain.max[0], s.domain.max[1]].concat([
      s.start[0],
      s.start[1],
      s.etaMax,
      s.loss(s.start),
    ]),
  }));
  return (seen) => {
    const key = [
      seen.domain.min[0],
      seen.domain.min[1],
      seen.domain.max[0],
      seen.domain.max[1],
    ].concat([seen.start[0], seen.start[1], seen.etaMax, seen.loss0]);
    const hit = table.find((entry) => entry.key.every((v, i) => same(v, key[i]!)));
    return hit ? hit.id : "procedural";
  };
}

const slog = (x: number): number => Math.sign(x) * Math.log1p(Math.abs(x));
const norm = (v: readonly [number, number]): number => Math.hypot(v[0], v[1]);

/**
 * What survives any rotation, reflection, translation and scaling of (w, b) and any positive
 * scaling and offset of the loss, plus the frame's shape (box aspect, θ₀'s place in the box,
 * box width in steps of η_max): numbers a bot can compare across rounds.
 */
export function features(seen: Observation): number[] {
  const width = seen.domain.max[0] - seen.domain.min[0];
  const height = seen.domain.max[1] - seen.domain.min[1];
  const g0 = norm(seen.gradient0);
  const g1 = norm(seen.gradient1);
  const cos =
    g0 > 0 && g1 > 0
      ? (seen.gradient0[0] * seen.gradient1[0] + seen.gradient0[1] * seen.gradient1[1]) / (g0 * g1)
      : 1;
  return [
    Math.log(height / width),
    (seen.start[0] - seen.domain.min[0]) / width,
    (seen.start[1] - seen.domain.min[1]) / height,
    Math.log(width / seen.etaMax),
    slog(seen.predicted === 0 ? 0 : seen.deltaLoss / seen.predicted),
    Math.log((g1 + 1e-300) / (g0 + 1e-300)),
    cos,
    seen.clamped ? 1 : 0,
    seen.stepLength / seen.etaMax,
  ];
}

/**
 * The first frame alone (before any move): the box, θ₀, η_max, L(θ₀) and ∇L(θ₀), raw and as
 * ratios. T3 draws all of it from one distribution for every surface.
 */
export function frameFeatures(seen: Observation): number[] {
  const width = seen.domain.max[0] - seen.domain.min[0];
  const height = seen.domain.max[1] - seen.domain.min[1];
  const g = norm(seen.gradient0);
  return [
    Math.log(width),
    Math.log(height / width),
    (seen.domain.min[0] + seen.domain.max[0]) / 2,
    (seen.domain.min[1] + seen.domain.max[1]) / 2,
    (seen.start[0] - seen.domain.min[0]) / width,
    (seen.start[1] - seen.domain.min[1]) / height,
    Math.log(width / seen.etaMax),
    slog(seen.loss0),
    Math.log(g * seen.etaMax + 1e-300),
    g > 0 ? seen.gradient0[0] / g : 0,
    g > 0 ? seen.gradient0[1] / g : 0,
  ];
}

interface Labelled {
  readonly label: Guess;
  readonly x: readonly number[];
}

function scaler(rows: readonly (readonly number[])[]): (x: readonly number[]) => number[] {
  const d = rows[0]?.length ?? 0;
  const mean = Array.from(
    { length: d },
    (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length,
  );
  const sd = Array.from(
    { length: d },
    (_, j) =>
      Math.sqrt(
        rows.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / Math.max(1, rows.length - 1),
      ) || 1,
  );
  return (x) => x.map((v, j) => (v - mean[j]!) / sd[j]!);
}

function nearest(train: readonly Labelled[], x: readonly number[], k: number): Guess {
  const scored = train
    .map((t) => ({ label: t.label, d: t.x.reduce((s, v, j) => s + (v - x[j]!) ** 2, 0) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, k);
  const votes = new Map<Guess, number>();
  for (const s of scored) votes.set(s.label, (votes.get(s.label) ?? 0) + 1);
  let best = scored[0]?.label ?? "procedural";
  for (const [label, n] of votes) if (n > (votes.get(best) ?? 0)) best = label;
  return best;
}

/**
 * A bot that has learnt every catalog surface's first turn by heart: it plays each one as the
 * catalog defines it (its own start, box and η_max) and answers with the surface whose
 * transform-invariant {@link features} are nearest.
 */
export function canonicalFingerprint(): Adversary {
  const canon = surfaces.map((s, i) => ({
    label: s.id,
    raw: features(observe({ kind: "catalog", id: s.id }, i)),
  }));
  const scale = scaler(canon.map((c) => c.raw));
  const train = canon.map((c) => ({ label: c.label, x: scale(c.raw) }));
  return (seen) => nearest(train, scale(features(seen)), 1);
}

/**
 * The strongest bot here: it knows the catalog and the server's code (the transform included),
 * so it simulates its own labelled rounds and answers by the k nearest neighbours of the
 * {@link features}.
 */
export function learnedFingerprint(
  training: readonly { readonly ref: SurfaceRef; readonly seen: Observation }[],
  k = 9,
  featuresOf: (seen: Observation) => number[] = features,
): Adversary {
  const raw = training.map((t) => ({
    label: t.ref.kind === "catalog" ? t.ref.id : "procedural",
    x: featuresOf(t.seen),
  }));
  const scale = scaler(raw.map((r) => r.x));
  const train = raw.map((r) => ({ label: r.label, x: scale(r.x) }));
  return (seen) => nearest(train, scale(featuresOf(seen)), k);
}

/** {@link learnedFingerprint} on the first frame only ({@link frameFeatures}). */
export function frameFingerprint(
  training: readonly { readonly ref: SurfaceRef; readonly seen: Observation }[],
  k = 9,
): Adversary {
  return learnedFingerprint(training, k, frameFeatures);
}
