import { formatCosBeta } from "../../lib/game/class-learning";
import type { LearningTrend } from "../../lib/game/class-learning";
import type { ClassroomView, StandingView } from "../../lib/protocol";
import styles from "./classroom.module.css";

/**
 * The class report's pictures (issue 16 §4, docs/SPEC.md L5–L7): cos β per round as a small line
 * on a fixed scale, −1 (straight downhill, the seed's ideal) at the top. The numbers come from the
 * server's view (lib/game/class-learning); nothing here computes a metric.
 */

const TREND_TEXT: Record<LearningTrend, string> = {
  downhill: "closer to downhill",
  uphill: "further from downhill",
  steady: "about the same",
};

/** Screen y of a cos β on a chart `height` tall: −1 at the top, +1 at the bottom. */
function yOf(cosBeta: number, height: number, pad: number): number {
  return pad + ((cosBeta + 1) / 2) * (height - 2 * pad);
}

/**
 * A line through the rounds that have a value (a gap where a round has none), one dot a round.
 * `label` names the chart for a screen reader; the values are in it.
 */
export function CosBetaChart({
  values,
  width,
  height,
  label,
  testId,
  axis = false,
}: {
  values: readonly (number | null)[];
  width: number;
  height: number;
  label: string;
  testId?: string;
  /** Draw the −1, 0 and +1 guides with their labels (the class chart). */
  axis?: boolean;
}) {
  const pad = axis ? 10 : 4;
  const left = axis ? 30 : pad;
  const step = values.length > 1 ? (width - left - pad) / (values.length - 1) : 0;
  const xOf = (i: number) => (values.length > 1 ? left + i * step : (left + width - pad) / 2);
  const segments: string[] = [];
  let current = "";
  values.forEach((v, i) => {
    if (v === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? "L" : "M"}${xOf(i).toFixed(1)},${yOf(v, height, pad).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const described = values
    .map((v, i) => `round ${i + 1}: ${v === null ? "no aimed step" : formatCosBeta(v)}`)
    .join(", ");
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={`${label}: ${described}`}
      className={styles.cosBetaChart}
      data-testid={testId}
    >
      {axis
        ? [-1, 0, 1].map((g) => (
            <g key={g}>
              <line
                x1={left}
                x2={width - pad}
                y1={yOf(g, height, pad)}
                y2={yOf(g, height, pad)}
                className={styles.cosBetaGuide}
              />
              <text x={left - 6} y={yOf(g, height, pad) + 4} textAnchor="end">
                {g === -1 ? "−1" : g === 1 ? "+1" : "0"}
              </text>
            </g>
          ))
        : // The ideal, −1, as a faint line at the top of a small chart.
          [
            <line
              key="ideal"
              x1={pad}
              x2={width - pad}
              y1={yOf(-1, height, pad)}
              y2={yOf(-1, height, pad)}
              className={styles.cosBetaGuide}
            />,
          ]}
      {segments.map((d, i) => (
        <path key={i} d={d} className={styles.cosBetaLine} />
      ))}
      {values.map((v, i) =>
        v === null ? null : (
          <circle
            key={i}
            cx={xOf(i)}
            cy={yOf(v, height, pad)}
            r={axis ? 4 : 2.5}
            className={styles.cosBetaDot}
          />
        ),
      )}
    </svg>
  );
}

/** A student's aim over the rounds: the small chart, the last value and the trend in words. */
export function StudentAim({ learning }: { learning: StandingView["learning"] }) {
  const known = learning.cosBeta.filter((c): c is number => c !== null);
  if (known.length === 0) return <span className="muted">–</span>;
  const last = known[known.length - 1]!;
  return (
    <span className={styles.studentAim} data-testid="student-aim">
      {learning.cosBeta.length > 1 ? (
        <CosBetaChart
          values={learning.cosBeta}
          width={72}
          height={24}
          label="Aim per round (cos β, −1 is straight downhill)"
        />
      ) : null}
      <span>
        {formatCosBeta(last)}
        {learning.trend ? (
          <span className="small muted" data-testid="student-trend">
            {" "}
            {TREND_TEXT[learning.trend]}
          </span>
        ) : null}
      </span>
    </span>
  );
}

/**
 * L7 for everyone: the class's sentence and, once two rounds have a value, its cos β per round.
 * Shown after the last round on the projector and on the results page.
 */
export function ClassLearningSummary({
  learning,
  large = false,
  chart = true,
}: {
  learning: ClassroomView["class"]["learning"];
  /** The projector: a bigger chart, readable from the back of the room. */
  large?: boolean;
  /** Whether to draw the chart (the projector's last reveal has room for the sentence only). */
  chart?: boolean;
}) {
  const rounds = learning.classCosBeta.filter((c) => c !== null).length;
  return (
    <section className={styles.classLearning} data-testid="class-learning">
      <p data-testid="class-learning-sentence">{learning.sentence}</p>
      {chart && rounds >= 2 ? (
        <CosBetaChart
          values={learning.classCosBeta}
          width={large ? 420 : 300}
          height={large ? 150 : 110}
          axis
          label="The class's mean aim per round (cos β, −1 is straight downhill)"
          testId="class-learning-chart"
        />
      ) : null}
    </section>
  );
}
