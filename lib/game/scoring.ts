import type {
  BotResult,
  BotTrack,
  PlayerResult,
  PlayerTrack,
  RoundResults,
  ScoreScale,
} from "./state";

/**
 * Scoring (docs/SPEC.md R13–R15, GAME.md "Scoring"): how far down from the start towards the
 * global minimum a path ended, ranked with a total, deterministic tie rule.
 */

/**
 * progress = (L(θ₀) − L_final)/(L(θ₀) − L*) clamped to [0, 1] (R13). When L(θ₀) ≤ L* (the start
 * is already a global minimum) there is nothing to gain: progress is 1 if L_final ≤ L(θ₀), else 0.
 * A non-finite result counts as 0.
 */
export function progressOf(finalLoss: number, scale: ScoreScale): number {
  const span = scale.startLoss - scale.minLoss;
  if (!(span > 0)) return finalLoss <= scale.startLoss ? 1 : 0;
  const progress = (scale.startLoss - finalLoss) / span;
  if (Number.isNaN(progress)) return 0;
  return Math.min(1, Math.max(0, progress));
}

/** score = round(1000 · progress), an integer in [0, 1000] (R13). */
export function scoreOf(progress: number): number {
  return Math.round(1000 * progress);
}

/**
 * The earliest turn k from which a player's loss stayed equal to their final loss: the smallest k
 * with losses[j] = losses[last] for every j ≥ k (R14). 0 when the loss never changed.
 */
export function reachedTurnOf(losses: readonly number[]): number {
  const last = losses.length - 1;
  const final = losses[last];
  let k = last;
  while (k > 0 && losses[k - 1] === final) k--;
  return Math.max(0, k);
}

/** A final loss for ordering: NaN (never expected) sorts after every number. */
function lossKey(loss: number): number {
  return Number.isNaN(loss) ? Infinity : loss;
}

/**
 * Ranking order (R14): higher score first; on equal scores the lower final loss (scores clamp at
 * 0 and 1000 and round, so two different final losses can share a score); then the earlier
 * `reachedTurn`; then the earlier `reachedAt` (null, i.e. turn 0, first); then the lower seat.
 * Total and deterministic.
 */
export function compareResults(
  a: Pick<PlayerResult, "score" | "finalLoss" | "reachedTurn" | "reachedAt" | "seat">,
  b: Pick<PlayerResult, "score" | "finalLoss" | "reachedTurn" | "reachedAt" | "seat">,
): number {
  if (a.score !== b.score) return b.score - a.score;
  const aLoss = lossKey(a.finalLoss);
  const bLoss = lossKey(b.finalLoss);
  if (aLoss !== bLoss) return aLoss < bLoss ? -1 : 1;
  if (a.reachedTurn !== b.reachedTurn) return a.reachedTurn - b.reachedTurn;
  const aAt = a.reachedAt ?? -Infinity;
  const bAt = b.reachedAt ?? -Infinity;
  if (aAt !== bAt) return aAt < bAt ? -1 : 1;
  return a.seat - b.seat;
}

/**
 * The results of a finished round (R13–R15): every player scored and ranked 1, 2, … (unique
 * ranks); the bot scored too but unranked; `beatBot` = final loss strictly below the bot's (null
 * without a bot).
 */
export function computeResults(
  players: readonly PlayerTrack[],
  bot: BotTrack | null,
  scale: ScoreScale,
): RoundResults {
  const botFinal = bot ? bot.losses[bot.losses.length - 1] : undefined;
  const botResult: BotResult | null =
    bot && botFinal !== undefined
      ? {
          optimizer: bot.optimizer,
          finalLoss: botFinal,
          progress: progressOf(botFinal, scale),
          score: scoreOf(progressOf(botFinal, scale)),
        }
      : null;
  const unranked = players.map((player, seat) => {
    const finalLoss = player.losses[player.losses.length - 1] ?? scale.startLoss;
    const progress = progressOf(finalLoss, scale);
    const reachedTurn = reachedTurnOf(player.losses);
    const reachedAt = reachedTurn > 0 ? (player.feedback[reachedTurn - 1]?.move?.at ?? null) : null;
    return {
      playerId: player.id,
      nickname: player.nickname,
      seat,
      finalLoss,
      progress,
      score: scoreOf(progress),
      reachedTurn,
      reachedAt,
      beatBot: botResult ? finalLoss < botResult.finalLoss : null,
    };
  });
  const ranking: PlayerResult[] = [...unranked].sort(compareResults).map((result, index) => ({
    playerId: result.playerId,
    nickname: result.nickname,
    seat: result.seat,
    rank: index + 1,
    finalLoss: result.finalLoss,
    progress: result.progress,
    score: result.score,
    reachedTurn: result.reachedTurn,
    reachedAt: result.reachedAt,
    beatBot: result.beatBot,
  }));
  return { scale, ranking, bot: botResult };
}
