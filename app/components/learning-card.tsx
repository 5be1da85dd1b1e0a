import { learningReport, learningSentence } from "../../lib/game/learning";
import type { TurnFeedback } from "../../lib/game";

/**
 * "What your round says" (issue 16 §4, docs/SPEC.md L1–L4): one sentence on how the player chose —
 * their aim against the downhill direction, their overshoots, their step lengths — and the step
 * lengths as small bars (an overshooting step in the warning colour). Computed by lib/game from
 * the player's own revealed turns; nothing here decides anything.
 */
export function LearningCard({ feedback }: { feedback: readonly TurnFeedback[] }) {
  const report = learningReport(feedback);
  const stepped = feedback.filter((f) => f.move !== null && f.stepLength > 0);
  const longest = Math.max(...report.stepLengths, 0);
  const W = 240;
  const H = 48;
  const bar = stepped.length > 0 ? W / stepped.length : W;
  return (
    <section className="card learning" aria-labelledby="learning-title" data-testid="learning">
      <h2 id="learning-title" className="h3">
        What your round says
      </h2>
      <p data-testid="learning-sentence">{learningSentence(report)}</p>
      {stepped.length > 1 && longest > 0 ? (
        <figure className="learning-steps">
          <svg
            viewBox={`0 0 ${W} ${H}`}
            role="img"
            aria-label={`Your step lengths, turn by turn: ${report.stepLengths
              .map((s) => s.toPrecision(2))
              .join(", ")}`}
          >
            {stepped.map((f, i) => {
              const h = Math.max(2, (f.stepLength / longest) * (H - 4));
              const over = f.predicted !== null && f.predicted < 0 && f.deltaLoss > 0;
              return (
                <rect
                  key={i}
                  x={i * bar + bar * 0.15}
                  y={H - h}
                  width={bar * 0.7}
                  height={h}
                  className={over ? "learning-bar overshoot" : "learning-bar"}
                />
              );
            })}
          </svg>
          <figcaption className="small muted">
            Your step lengths, turn by turn
            {report.overshoots > 0
              ? " (orange: the loss rose although the slope promised a drop)"
              : ""}
            .
          </figcaption>
        </figure>
      ) : null}
    </section>
  );
}
