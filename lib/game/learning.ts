import { acos, cos as cosine } from "../math";
import type { TurnFeedback } from "./state";

/**
 * What a player's round says about how they chose (docs/SPEC.md L1–L3), from their turns'
 * feedback alone: pure, so the reveal, the classroom CSV and a replay compute the same numbers.
 */
export interface LearningReport {
  /** Turns in which the player stepped (staying put says nothing about aim). */
  readonly steps: number;
  /**
   * L1: the mean of cos β over the steps that had a gradient to aim against; −1 is the seed's
   * ideal (straight downhill), 0 sideways, +1 straight uphill. Null without such a step.
   */
  readonly meanCosBeta: number | null;
  /**
   * L2: steps that overshot: the first-order prediction promised a drop (predicted ΔL < 0) and
   * the loss rose (ΔL > 0): the step was too long for the curvature.
   */
  readonly overshoots: number;
  /** L3: each step's length s, in turn order (the stepping pattern of the round). */
  readonly stepLengths: readonly number[];
  /**
   * L3: how the step lengths changed: the mean of the second half of the steps over the mean of
   * the first half (below 1: the player shortened their steps). Null with fewer than two steps.
   */
  readonly stepRatio: number | null;
}

/** L1–L3: the learning report of one player's round, from their feedback in turn order. */
export function learningReport(feedback: readonly TurnFeedback[]): LearningReport {
  const stepped = feedback.filter((f) => f.move !== null && f.stepLength > 0);
  const aimed = stepped.filter((f) => f.beta !== null);
  const meanCosBeta =
    aimed.length === 0 ? null : aimed.reduce((sum, f) => sum + cosine(f.beta!), 0) / aimed.length;
  const overshoots = stepped.filter(
    (f) => f.predicted !== null && f.predicted < 0 && f.deltaLoss > 0,
  ).length;
  const stepLengths = stepped.map((f) => f.stepLength);
  const half = Math.floor(stepLengths.length / 2);
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const stepRatio =
    stepLengths.length < 2
      ? null
      : mean(stepLengths.slice(stepLengths.length - half)) / mean(stepLengths.slice(0, half));
  return { steps: stepped.length, meanCosBeta, overshoots, stepLengths, stepRatio };
}

/** The angle, in whole degrees, whose cosine is `cos` (β from cos β). */
function degrees(cos: number): number {
  return Math.round((acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI);
}

/**
 * L4: the report in one sentence for the player, in plain words: where they aimed against the
 * downhill direction, how often they overshot, how their steps changed.
 */
export function learningSentence(report: LearningReport): string {
  if (report.steps === 0) return "You never stepped this round, so there is nothing to read yet.";
  const parts: string[] = [];
  if (report.meanCosBeta !== null) {
    const cos = report.meanCosBeta;
    const off = 180 - degrees(cos);
    const aim =
      cos <= -0.9
        ? "almost straight downhill"
        : cos <= -0.5
          ? "mostly downhill"
          : cos < 0
            ? "only a little downhill"
            : "sideways or uphill";
    parts.push(
      `you aimed ${aim} (mean cos β = ${cos.toFixed(2)}, as if ${off}° off the steepest descent)`,
    );
  }
  parts.push(
    report.overshoots === 0
      ? "never overshot"
      : `overshot ${report.overshoots === 1 ? "once" : `${report.overshoots} times`} (the slope promised a drop, the loss rose: a step too long)`,
  );
  if (report.stepRatio !== null) {
    const r = report.stepRatio;
    parts.push(
      r < 0.8
        ? "and shortened your steps as you went"
        : r > 1.25
          ? "and lengthened your steps as you went"
          : "and kept your steps about the same length",
    );
  }
  const sentence = parts.join(", ").replace(/, (and [^,]*)$/, " $1");
  return sentence.charAt(0).toUpperCase() + sentence.slice(1) + ".";
}
