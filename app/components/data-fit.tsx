import { BOT_COLOUR, seatColour } from "./loss-race";

/** One fitted curve σ(w x + b): whose it is, its colour and its θ = (w, b). */
export interface FitCurve {
  readonly key: string;
  readonly label: string;
  readonly colour: string;
  readonly theta: readonly [number, number];
  readonly dashed?: boolean;
}

const W = 360;
const H = 240;
const PAD = { left: 36, right: 12, top: 12, bottom: 28 };

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/**
 * After the reveal of a data round (docs/SPEC.md F11): the class's points (x, y) and the fitted
 * neuron's curves f(x) = σ(w x + b) for the given θs (the best player's and the bot's), as an SVG
 * beside the map. Display only: the scores come from the server.
 */
export function DataFit({
  points,
  curves,
}: {
  points: readonly (readonly [number, number])[];
  curves: readonly FitCurve[];
}) {
  const xs = points.map((p) => p[0]);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const pad = (hi - lo) * 0.15 || 1;
  const x0 = lo - pad;
  const x1 = hi + pad;
  const px = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const py = (y: number) => PAD.top + (1 - y) * (H - PAD.top - PAD.bottom);
  const curvePath = (theta: readonly [number, number]) => {
    const n = 120;
    let d = "";
    for (let i = 0; i <= n; i++) {
      const x = x0 + (i / n) * (x1 - x0);
      d += `${i === 0 ? "M" : "L"}${px(x).toFixed(1)},${py(sigmoid(theta[0] * x + theta[1])).toFixed(1)}`;
    }
    return d;
  };
  const ticks = [x0, (x0 + x1) / 2, x1];
  return (
    <figure className="card data-fit" data-testid="data-fit">
      <figcaption className="h3">The neuron on the class&apos;s data</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`The ${points.length} data points and the fitted curves σ(w x + b): ${curves.map((c) => `${c.label} w = ${c.theta[0].toFixed(2)}, b = ${c.theta[1].toFixed(2)}`).join("; ")}`}
      >
        <rect
          x={PAD.left}
          y={PAD.top}
          width={W - PAD.left - PAD.right}
          height={H - PAD.top - PAD.bottom}
          className="data-fit-frame"
        />
        {[0, 0.5, 1].map((y) => (
          <g key={`y${y}`}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={py(y)}
              y2={py(y)}
              className="data-fit-grid"
            />
            <text x={PAD.left - 6} y={py(y) + 4} textAnchor="end" className="data-fit-tick">
              {y}
            </text>
          </g>
        ))}
        {ticks.map((x, i) => (
          <text
            key={`x${i}`}
            x={px(x)}
            y={H - 8}
            textAnchor={i === 0 ? "start" : i === 2 ? "end" : "middle"}
            className="data-fit-tick"
          >
            {Number(x.toPrecision(3))}
          </text>
        ))}
        {curves.map((c) => (
          <path
            key={c.key}
            d={curvePath(c.theta)}
            fill="none"
            stroke={c.colour}
            strokeWidth={2.5}
            strokeDasharray={c.dashed ? "6 4" : undefined}
            data-testid={`fit-${c.key}`}
          />
        ))}
        {points.map((p, i) => (
          <circle
            key={i}
            cx={px(p[0])}
            cy={py(p[1])}
            r={4.5}
            className="data-fit-point"
            data-testid="fit-point"
          />
        ))}
      </svg>
      <ul className="data-fit-legend small">
        {curves.map((c) => (
          <li key={c.key}>
            <span className={c.dashed ? "swatch dashed" : "swatch"} style={{ color: c.colour }} />
            {c.label}: σ({c.theta[0].toFixed(2)} x {c.theta[1] < 0 ? "−" : "+"}{" "}
            {Math.abs(c.theta[1]).toFixed(2)})
          </li>
        ))}
      </ul>
    </figure>
  );
}

/**
 * The curves a data round's reveal draws: the best player's final θ (or, when rankings are
 * withheld, the viewer's own) and the bot's.
 */
export function fitCurves(reveal: {
  readonly players: readonly {
    readonly seat: number;
    readonly nickname: string;
    readonly you: boolean;
    readonly path: readonly (readonly [number, number])[];
  }[];
  readonly bot: { readonly path: readonly (readonly [number, number])[] } | null;
  readonly results: {
    readonly ranking: readonly { readonly seat: number; readonly rank: number }[];
  };
}): FitCurve[] {
  const curves: FitCurve[] = [];
  const top = reveal.results.ranking[0];
  const seat =
    top && top.rank !== 0 ? top.seat : (reveal.players.find((p) => p.you)?.seat ?? undefined);
  const player = reveal.players.find((p) => p.seat === seat);
  const last = player?.path[player.path.length - 1];
  if (player && last) {
    curves.push({
      key: "best",
      label: top && top.rank !== 0 ? `${player.nickname} (best)` : `${player.nickname} (you)`,
      colour: seatColour(player.seat),
      theta: [last[0], last[1]],
    });
  }
  const botLast = reveal.bot?.path[reveal.bot.path.length - 1];
  if (botLast) {
    curves.push({
      key: "bot",
      label: "bot",
      colour: BOT_COLOUR,
      theta: [botLast[0], botLast[1]],
      dashed: true,
    });
  }
  return curves;
}
