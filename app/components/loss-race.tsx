import type { RoomSnapshot } from "../../lib/protocol";
import { formatLoss, lossNormaliser } from "../lib/plot";
import { botName } from "../lib/surface-names";

/** Okabe–Ito colours (colour-blind safe) for players, in seat order; the bot is drawn in grey. */
export const PLAYER_COLOURS = [
  "#E69F00",
  "#56B4E9",
  "#009E73",
  "#F0E442",
  "#CC79A7",
  "#D55E00",
  "#0072B2",
];
/** The bot's colour. */
export const BOT_COLOUR = "#e2e8f0";

/** The colour of seat `seat`. */
export function seatColour(seat: number): string {
  return PLAYER_COLOURS[seat % PLAYER_COLOURS.length] as string;
}

/** One line of the race: a player's (or the bot's) loss after each turn, turn 0 first. */
export interface RaceSeries {
  readonly key: string;
  readonly label: string;
  readonly colour: string;
  readonly losses: readonly number[];
  readonly dashed?: boolean;
  readonly you?: boolean;
}

/**
 * Everyone's loss per turn (the bot's too), as the loss race draws it; a player without a
 * nickname (a class without rankings) is labelled `nameless`.
 */
export function raceSeries(
  round: NonNullable<RoomSnapshot["round"]>,
  nameless: string | ((seat: number) => string) = "",
): RaceSeries[] {
  const series: RaceSeries[] = round.race.players.map((p) => ({
    key: `seat-${p.seat}`,
    label: p.nickname || (typeof nameless === "string" ? nameless : nameless(p.seat)),
    colour: seatColour(p.seat),
    losses: p.losses,
    you: p.you,
  }));
  if (round.race.bot) {
    series.push({
      key: "bot",
      label: `Bot (${botName(round.race.bot.optimizer)})`,
      colour: BOT_COLOUR,
      losses: round.race.bot.losses,
      dashed: true,
    });
  }
  return series;
}

const W = 600;
const H = 260;
const PAD = { left: 56, right: 12, top: 12, bottom: 30 };
/** Room on the right for the names at the ends of the lines (the projector). */
const LABEL_ROOM = 150;
const LABEL_GAP = 15;

/** A name cut to what fits at a line's end: whole words when possible, an ellipsis if cut. */
export function shortLabel(label: string, max = 14): string {
  const chars = [...label];
  if (chars.length <= max) return label;
  const cut = chars.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${space >= max / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * The heights of the end labels: each at its line's last point, pushed apart so that no two
 * overlap (a top-down then bottom-up pass), kept inside the chart.
 */
export function placeLabels(
  ys: readonly number[],
  top: number,
  bottom: number,
  gap: number,
): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y || a.i - b.i);
  const placed = order.map((o) => o.y);
  for (let k = 0; k < placed.length; k++) {
    placed[k] = Math.max(placed[k]!, k === 0 ? top : placed[k - 1]! + gap);
  }
  for (let k = placed.length - 1; k >= 0; k--) {
    placed[k] = Math.min(placed[k]!, k === placed.length - 1 ? bottom : placed[k + 1]! - gap);
  }
  const out = new Array<number>(ys.length);
  order.forEach((o, k) => (out[o.i] = placed[k]!));
  return out;
}

/**
 * The live loss race: everyone's loss per turn, the bot's too, as an SVG line chart with a
 * fixed aspect ratio (no layout shift as turns arrive). Losses spanning many decades are drawn on
 * a compressed (log1p) scale. A visually hidden table carries the same numbers for screen readers.
 */
export function LossRace({
  series,
  turns,
  endLabels = false,
}: {
  series: readonly RaceSeries[];
  turns: number;
  /** Names at the ends of the lines (the projector, read from the back of the room). */
  endLabels?: boolean;
}) {
  const right = PAD.right + (endLabels ? LABEL_ROOM : 0);
  const all = series.flatMap((s) => s.losses).filter(Number.isFinite);
  const min = all.length ? Math.min(...all) : 0;
  const max = all.length ? Math.max(...all) : 1;
  const norm = lossNormaliser(min, max);
  const x = (t: number) => PAD.left + (t / Math.max(1, turns)) * (W - PAD.left - right);
  const y = (v: number) => PAD.top + (1 - norm(v)) * (H - PAD.top - PAD.bottom);
  const ticks = [min, ...[0.25, 0.5, 0.75].map((q) => inverse(norm, min, max, q)), max];
  const lastTurn = Math.max(0, ...series.map((s) => s.losses.length - 1));

  return (
    <figure className="race" aria-labelledby="race-caption">
      <figcaption id="race-caption" className="race-caption">
        Loss race{" "}
        <span className="muted">
          ({lastTurn} of {turns} {turns === 1 ? "turn" : "turns"} played; lower is better)
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="race-svg"
        aria-hidden="true"
        data-testid="loss-race"
      >
        {ticks.map((v, k) => (
          <g key={k}>
            <line x1={PAD.left} x2={W - right} y1={y(v)} y2={y(v)} className="race-grid" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="race-tick">
              {formatLoss(v)}
            </text>
          </g>
        ))}
        {Array.from({ length: turns + 1 }, (_, t) =>
          t % Math.max(1, Math.ceil(turns / 12)) === 0 || t === turns ? (
            <text key={t} x={x(t)} y={H - 10} textAnchor="middle" className="race-tick">
              {t}
            </text>
          ) : null,
        )}
        {series.map((s) => (
          <g key={s.key}>
            <polyline
              points={s.losses
                .map((v, t) => (Number.isFinite(v) ? `${x(t).toFixed(1)},${y(v).toFixed(1)}` : ""))
                .join(" ")}
              fill="none"
              stroke={s.colour}
              strokeWidth={s.you ? 4 : 2.5}
              strokeDasharray={s.dashed ? "8 6" : undefined}
              strokeLinejoin="round"
            />
            {s.losses.length > 0 ? (
              <circle
                cx={x(s.losses.length - 1)}
                cy={y(s.losses[s.losses.length - 1] as number)}
                r={s.you ? 6 : 4}
                fill={s.colour}
              />
            ) : null}
          </g>
        ))}
        {endLabels ? <EndLabels series={series} x={x} y={y} /> : null}
      </svg>
      <ul className="race-legend">
        {series.map((s) => (
          <li key={s.key}>
            <span
              className={`swatch${s.dashed ? " dashed" : ""}`}
              style={{ borderColor: s.colour }}
              aria-hidden="true"
            />
            {s.label}
            {s.you ? " (you)" : ""}:{" "}
            <span className="math">{formatLoss(s.losses[s.losses.length - 1])}</span>
          </li>
        ))}
      </ul>
      {/* The wrapper clips the table (a table is never narrower than its cells, even at 1px). */}
      <div className="sr-only">
        <table>
          <caption>Loss after each turn</caption>
          <thead>
            <tr>
              <th scope="col">Who</th>
              {Array.from({ length: lastTurn + 1 }, (_, t) => (
                <th key={t} scope="col">
                  Turn {t}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {series.map((s) => (
              <tr key={s.key}>
                <th scope="row">{s.label}</th>
                {s.losses.map((v, t) => (
                  <td key={t}>{formatLoss(v)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

function EndLabels({
  series,
  x,
  y,
}: {
  series: readonly RaceSeries[];
  x: (t: number) => number;
  y: (v: number) => number;
}) {
  const shown = series.filter((s) => s.losses.length > 0 && Number.isFinite(s.losses.at(-1)));
  const ys = placeLabels(
    shown.map((s) => y(s.losses.at(-1) as number)),
    PAD.top + 4,
    H - PAD.bottom,
    LABEL_GAP,
  );
  return (
    <g className="race-end-labels" data-testid="race-end-labels">
      {shown.map((s, k) => (
        <text
          key={s.key}
          x={x(s.losses.length - 1) + 8}
          y={ys[k]! + 5}
          fill={s.colour}
          className="race-end-label"
        >
          {shortLabel(s.key === "bot" ? "bot" : s.label)}
        </text>
      ))}
    </g>
  );
}

/** The loss whose normalised value is q (bisection on the monotone normaliser). */
function inverse(norm: (v: number) => number, min: number, max: number, q: number): number {
  let lo = min;
  let hi = max;
  for (let k = 0; k < 50; k++) {
    const mid = (lo + hi) / 2;
    if (norm(mid) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
