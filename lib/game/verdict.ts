/**
 * Verdicts: the sentence every screen shows a player (or the class) about a finished round or
 * competition, made from the results alone (docs/SPEC.md R13–R15, R19, R21). One function per
 * kind of screen, so that "You won!" never sits next to a score of 0, a bot that ended lower, or a
 * ranking of one. Pure: the page renders the strings, it never decides an outcome.
 */

/** What a verdict needs of one ranked player (lib/game's RankedPlayer and PlayerResult fit). */
export interface VerdictPlayer {
  readonly seat: number;
  readonly nickname: string;
  /** 1, 2, …; 0 when the ranking is withheld (no rankings, R21). */
  readonly rank: number;
  readonly score: number;
  readonly finalLoss: number;
  readonly beatBot: boolean | null;
}

/** What a verdict needs of a round's results. */
export interface VerdictResults {
  /** Players in rank order (withheld ranks: as sent). */
  readonly ranking: readonly VerdictPlayer[];
  readonly bot: { readonly finalLoss: number; readonly score: number } | null;
}

/**
 * `win`: first among several players with points; `good`: beat the bot or scored; `neutral`:
 * nothing to celebrate nor regret; `lose`: the bot or other players did better.
 */
export type VerdictTone = "win" | "good" | "neutral" | "lose";

export interface Verdict {
  /** One short sentence, the big line. */
  readonly headline: string;
  /** The numbers behind it, one or two sentences. */
  readonly detail: string;
  /** Confetti: the round's winner (with points) and everyone who beat the bot. */
  readonly celebrate: boolean;
  readonly tone: VerdictTone;
}

export interface VerdictOptions {
  /** How a loss is printed (the page's formatter); defaults to 3 significant digits. */
  readonly formatLoss?: (loss: number) => string;
  /** A class without rankings (R21): no rank, no "won", whatever the lines carry. */
  readonly noRankings?: boolean;
}

const defaultFormat = (loss: number): string =>
  Number.isFinite(loss) ? String(Number(loss.toPrecision(3))) : String(loss);

function pointsText(points: number): string {
  return `${points} point${points === 1 ? "" : "s"}`;
}

function botLine(
  me: VerdictPlayer,
  bot: VerdictResults["bot"],
  format: (loss: number) => string,
): string {
  if (!bot || me.beatBot === null) return "";
  if (me.beatBot) return `You beat the bot (${format(me.finalLoss)} vs ${format(bot.finalLoss)}).`;
  if (me.finalLoss === bot.finalLoss) return `You tied with the bot at ${format(bot.finalLoss)}.`;
  return `The bot ended lower (${format(bot.finalLoss)} vs your ${format(me.finalLoss)}).`;
}

function scoreLine(me: VerdictPlayer, format: (loss: number) => string): string {
  return me.score > 0
    ? `Score ${me.score} of 1000 (final loss ${format(me.finalLoss)}).`
    : `Score 0: you ended no lower than the start (final loss ${format(me.finalLoss)}).`;
}

/** Why the player just above `me` ranks above: a lower loss, or the same loss reached first. */
function tieLine(
  me: VerdictPlayer,
  above: VerdictPlayer | undefined,
  format: (loss: number) => string,
): string {
  if (!above || above.score !== me.score) return "";
  if (above.finalLoss === me.finalLoss) {
    return `Same final loss as ${above.nickname}, who got there first.`;
  }
  if (format(above.finalLoss) === format(me.finalLoss)) {
    return `Level with ${above.nickname} on screen, but their final loss was a hair lower.`;
  }
  return "";
}

/**
 * A player's verdict on a finished round, or null when `seat` is not in the ranking.
 * - ranked among several: "You won!" only for #1 with points; #1 with 0 points says nobody
 *   scored; a #1 the bot beat is "best of the players", never "won"; others get "#k of n";
 * - alone (solo) or without rankings: no rank at all, the bot and the score decide.
 */
export function roundVerdict(
  results: VerdictResults,
  seat: number,
  options: VerdictOptions = {},
): Verdict | null {
  const format = options.formatLoss ?? defaultFormat;
  const index = results.ranking.findIndex((r) => r.seat === seat);
  const me = results.ranking[index];
  if (!me) return null;
  const n = results.ranking.length;
  const ranked = !options.noRankings && me.rank > 0 && n > 1;
  const bot = botLine(me, results.bot, format);
  const score = scoreLine(me, format);
  const join = (...parts: string[]) => parts.filter((p) => p !== "").join(" ");
  const beat = me.beatBot === true;

  if (!ranked) {
    if (beat) {
      return {
        headline: "You beat the bot!",
        detail: join(score, bot),
        celebrate: true,
        tone: "good",
      };
    }
    if (me.beatBot === false) {
      const tied = results.bot !== null && me.finalLoss === results.bot.finalLoss;
      return {
        headline: tied ? "A tie with the bot." : "The bot beat you this time.",
        detail: join(score, bot),
        celebrate: false,
        tone: tied ? "neutral" : "lose",
      };
    }
    return {
      headline: me.score > 0 ? `You scored ${me.score}.` : "No points this round.",
      detail: score,
      celebrate: false,
      tone: me.score > 0 ? "good" : "neutral",
    };
  }

  if (me.rank === 1) {
    const next = results.ranking.find((r) => r.rank === 2);
    const tie = next && next.score === me.score && next.finalLoss === me.finalLoss;
    const tieText = tie ? `${next.nickname} reached the same loss, but you got there first.` : "";
    if (me.score === 0) {
      return {
        headline: "Nobody scored this round.",
        detail: join(
          `Everyone ended no lower than the start; your final loss, ${format(me.finalLoss)}, was the lowest of ${n}.`,
          tieText,
          bot,
        ),
        celebrate: false,
        tone: "neutral",
      };
    }
    if (me.beatBot === false) {
      return {
        headline: "Best of the players, but the bot did better.",
        detail: join(score, tieText, bot),
        celebrate: true,
        tone: "good",
      };
    }
    return {
      headline: "You won!",
      detail: join(`Best of ${n} players.`, score, tieText, bot),
      celebrate: true,
      tone: "win",
    };
  }

  return {
    headline: `You finished #${me.rank} of ${n}.`,
    detail: join(score, tieLine(me, results.ranking[index - 1], format), bot),
    celebrate: beat,
    tone: beat || me.score > 0 ? "good" : "lose",
  };
}

/**
 * The class's verdict on a round (the projector, spectators): who won, or that nobody scored, or
 * that the bot beat everyone; without rankings only the class-wide count.
 */
export function classRoundVerdict(results: VerdictResults, options: VerdictOptions = {}): Verdict {
  const format = options.formatLoss ?? defaultFormat;
  const n = results.ranking.length;
  const beaten = results.ranking.filter((r) => r.beatBot === true).length;
  const botText = results.bot ? `${beaten} of ${n} beat the bot.` : "";
  if (n === 0) {
    return { headline: "Nobody played this round.", detail: "", celebrate: false, tone: "neutral" };
  }
  const top = results.ranking[0]!;
  const anyScored = results.ranking.some((r) => r.score > 0);
  if (options.noRankings || top.rank === 0) {
    return {
      headline: anyScored ? "Round over!" : "Nobody scored this round.",
      detail: botText,
      celebrate: beaten > 0 || anyScored,
      tone: beaten > 0 ? "good" : "neutral",
    };
  }
  if (!anyScored) {
    return {
      headline: "Nobody scored this round.",
      detail:
        `Everyone ended no lower than the start; ${top.nickname} came closest (${format(top.finalLoss)}). ${botText}`.trim(),
      celebrate: false,
      tone: "neutral",
    };
  }
  if (results.bot && beaten === 0) {
    return {
      headline: "The bot beat everyone this round.",
      detail: `Best player: ${top.nickname} with ${top.score} (${format(top.finalLoss)} vs the bot's ${format(results.bot.finalLoss)}).`,
      celebrate: false,
      tone: "lose",
    };
  }
  return {
    headline: `${top.nickname} wins the round!`,
    detail: `Score ${top.score} (final loss ${format(top.finalLoss)}). ${botText}`.trim(),
    celebrate: true,
    tone: "win",
  };
}

/** What a verdict needs of a standings line (lib/game's Standing and the protocol's view fit). */
export interface VerdictStanding {
  /** 1, 2, … shared on equal numbers (R19); 0 when withheld (R21). */
  readonly rank: number;
  readonly total: number;
  readonly botBeaten: number;
  readonly roundsPlayed: number;
}

/**
 * A student's verdict at the end of a competition. `standings` (all lines, when the student may
 * see them) tells how many took part and whether the rank is shared.
 */
export function competitionVerdict(
  me: VerdictStanding,
  standings: readonly Pick<VerdictStanding, "rank" | "total">[] | null,
  options: Pick<VerdictOptions, "noRankings"> = {},
): Verdict {
  const botText =
    me.roundsPlayed > 0
      ? `You beat the bot in ${me.botBeaten} of ${me.roundsPlayed} round${me.roundsPlayed === 1 ? "" : "s"}.`
      : "";
  if (me.roundsPlayed === 0) {
    return {
      headline: "You did not play a round.",
      detail: "Join earlier next time to play every round.",
      celebrate: false,
      tone: "neutral",
    };
  }
  const n = standings?.length ?? 0;
  const ranked = !options.noRankings && me.rank > 0 && n > 1;
  if (!ranked || me.total === 0) {
    return {
      headline: me.total > 0 ? `You scored ${pointsText(me.total)}.` : "No points this time.",
      detail: botText,
      celebrate: me.botBeaten > 0,
      tone: me.total > 0 || me.botBeaten > 0 ? "good" : "neutral",
    };
  }
  const shared = (standings ?? []).filter((s) => s.rank === me.rank).length > 1;
  const place = `${shared ? "joint " : ""}#${me.rank} of ${n}`;
  if (me.rank === 1) {
    return {
      headline: shared ? `You share first place of ${n}!` : "You won the competition!",
      detail: `${pointsText(me.total)}. ${botText}`,
      celebrate: true,
      tone: "win",
    };
  }
  return {
    headline: `You finished ${place}.`,
    detail: `${pointsText(me.total)}. ${botText}`,
    celebrate: me.botBeaten > 0,
    tone: "good",
  };
}

/**
 * The small "#k" next to a student's total: only once a round has been played, the rank is not
 * withheld and the student has points (before that everyone is "#1").
 */
export function standingBadge(me: VerdictStanding | null, noRankings = false): string {
  if (!me || noRankings || me.rank <= 0 || me.roundsPlayed === 0 || me.total === 0) return "";
  return `#${me.rank}`;
}
