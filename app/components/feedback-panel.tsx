import { degrees, formatDelta, formatLoss, readBeta } from "../lib/plot";

/** What the last resolved turn did to you (the shape of the rules' per-turn feedback). */
export interface TurnFeedbackView {
  readonly loss: number;
  readonly deltaLoss: number;
  readonly predicted: number | null;
  readonly beta: number | null;
  readonly clamped: boolean;
  readonly moved: boolean;
}

/**
 * The feedback after a turn: the new loss, the actual ΔL against the first-order prediction, and β
 * with a one-line reading. Its height is fixed (CSS) whatever it says, so nothing below it moves
 * when the feedback appears. Announced politely to screen readers.
 */
export function FeedbackPanel({
  feedback,
  turn,
}: {
  feedback: TurnFeedbackView | null;
  turn: number;
}) {
  return (
    <section className="feedback" aria-live="polite" aria-atomic="true" data-testid="feedback">
      {feedback ? (
        <>
          <p className="feedback-title">
            After turn {turn}: loss <strong className="math">{formatLoss(feedback.loss)}</strong>
          </p>
          <dl className="feedback-grid">
            <div>
              <dt>ΔL actual</dt>
              <dd className={feedback.deltaLoss < 0 ? "good" : feedback.deltaLoss > 0 ? "bad" : ""}>
                {formatDelta(feedback.deltaLoss)}
              </dd>
            </div>
            <div>
              <dt>predicted η uᵀ∇L</dt>
              <dd>{feedback.predicted === null ? "—" : formatDelta(feedback.predicted)}</dd>
            </div>
            <div>
              <dt>β</dt>
              <dd>{feedback.beta === null ? "—" : `${degrees(feedback.beta)}°`}</dd>
            </div>
          </dl>
          <p className="feedback-reading" data-testid="feedback-reading">
            {feedbackReading(feedback)}
          </p>
        </>
      ) : (
        <>
          <p className="feedback-title">Your first step</p>
          <p className="feedback-reading muted">
            After each turn: your new loss, ΔL against the first-order prediction, and the angle β
            between your step and the gradient.
          </p>
        </>
      )}
    </section>
  );
}

/**
 * The one-line reading of a turn (β, overshoot, the box's edge). Kept short: the panel's height
 * is fixed and holds three lines of it on a phone.
 */
export function feedbackReading(f: TurnFeedbackView): string {
  if (!f.moved) return "You stayed put this turn.";
  const parts: string[] = [];
  if (f.beta !== null) parts.push(`β = ${degrees(f.beta)}°: ${readBeta(f.beta)}.`);
  if (f.predicted !== null && f.predicted < 0 && f.deltaLoss > 0) {
    parts.push("Overshoot: a drop was predicted, the step was too big.");
  } else if (
    f.predicted !== null &&
    f.predicted < 0 &&
    f.deltaLoss < 0 &&
    f.deltaLoss > 0.5 * f.predicted
  ) {
    parts.push("Less drop than predicted: the curvature pushes back.");
  }
  if (f.clamped) parts.push("Stopped at the edge of the box.");
  return parts.join(" ") || "No gradient information for this step.";
}
