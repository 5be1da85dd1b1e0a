/**
 * D2: the daily descent's spoiler-free result (docs/SPEC.md D2), apart from lib/challenge/daily.ts
 * so that the browser, which formats it after the reveal, never loads the day's surface seed
 * (`dailySurface`). Pure: no imports.
 */

/** What the shared result says: nothing about the surface, the start or the path. */
export interface DailyResult {
  readonly day: number;
  readonly turns: number;
  readonly score: number;
  /** Null when the round had no bot. */
  readonly beatBot: boolean | null;
  /** Each turn's β (radians, in [0, π]), null when the player stayed. */
  readonly betas: readonly (number | null)[];
  /** A second attempt: played unscored. */
  readonly unscored?: boolean;
}

const ARROWS = ["⬆️", "↗️", "➡️", "↘️", "⬇️"] as const;
const PI = 3.141592653589793;

/**
 * D2: β as an arrow: ⬇️ straight down the gradient (β = π, the ideal), ↘️, ➡️ level (β = π/2), ↗️,
 * ⬆️ straight up; a stay is ⏸️. Rounded to the nearest of the five (each covers π/4).
 */
export function betaArrow(beta: number | null): string {
  if (beta === null || !Number.isFinite(beta)) return "⏸️";
  const clamped = beta < 0 ? 0 : beta > PI ? PI : beta;
  const index = (clamped / (PI / 4) + 0.5) | 0;
  return ARROWS[index > 4 ? 4 : index]!;
}

/**
 * D2: the spoiler-free result, like the word games': the day's number, turns used, score, whether
 * the bot was beaten, and one arrow per turn. No coordinates, losses or surface name.
 */
export function dailyShareText(result: DailyResult): string {
  const moved = result.betas.filter((b) => b !== null).length;
  const lines = [
    `Blind Descent daily #${result.day}${result.unscored ? " (practice)" : ""}`,
    `Score ${result.score} · ${moved}/${result.turns} turns`,
  ];
  if (result.beatBot !== null) lines.push(result.beatBot ? "🤖 Beat the bot" : "🤖 The bot won");
  lines.push(result.betas.map(betaArrow).join(""));
  return lines.join("\n");
}
