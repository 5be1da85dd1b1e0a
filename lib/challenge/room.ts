import { resolveSettings } from "../game/settings";
import type { RoundSettings } from "../game/settings";
import { ackError, ErrorCode } from "../protocol/errors";
import type { AckFailure } from "../protocol/errors";
import type { RoomSettingsInput } from "../protocol/schemas";
import type { RoomState } from "../room/state";
import type { Surface } from "../types";
import type { ChallengeSettings } from "./index";

/**
 * The rules that tie challenges and the daily descent to rooms (docs/SPEC.md C4–C5, D5). Pure:
 * the server runs them and performs what they decide.
 */

/**
 * C4: the challenge a room's round makes when a player shares it: the round's own surface ref
 * (transform included, so the start is the same) and its resolved settings. Only a revealed
 * round can be shared: before the reveal the challenge would be made from a secret the sharer
 * has not seen, and a challenge link is a thing people post.
 */
export function challengeOfRoom(
  state: RoomState,
): { readonly ok: true; readonly challenge: ChallengeSettings } | AckFailure {
  const round = state.round;
  if (!round) {
    return ackError(
      ErrorCode.NO_ROUND,
      "no round has been played in this room yet: share a round after its reveal",
    );
  }
  if (state.gate !== "revealed") {
    return ackError(
      ErrorCode.ROUND_IN_PROGRESS,
      "the round is still being played: share it after the reveal",
    );
  }
  return { ok: true, challenge: { surface: round.surface, settings: round.settings } };
}

/**
 * C5: the lobby settings of a room that plays a fixed surface (a challenge, the daily): the
 * challenge's settings, with the surface choice a plain `surprise` (the host's view of the
 * settings shows the choice: the stored ref stays on the server, R10, C2), untimed (a solo
 * round), and the bot's hyper-parameters only when they are not the surface's defaults (the
 * defaults are the surface's own η and would name it to the host's view before the reveal;
 * left out, the round resolves them to the same values).
 */
export function fixedRoomSettings(settings: RoundSettings, surface: Surface): RoomSettingsInput {
  const bot = settings.bot;
  const params = "params" in bot ? bot.params : undefined;
  const defaults = resolveSettings({ bot: { optimizer: bot.optimizer } }, surface);
  const defaultParams =
    defaults.ok && "params" in defaults.settings.bot ? defaults.settings.bot.params : undefined;
  const sameParams = JSON.stringify(defaultParams ?? null) === JSON.stringify(params ?? null);
  return {
    surface: { kind: "surprise" },
    turns: settings.turns,
    secondsPerTurn: 0,
    etaMax: settings.etaMax,
    hint: settings.hint,
    bot:
      sameParams || params === undefined
        ? { optimizer: bot.optimizer }
        : { optimizer: bot.optimizer, params },
  } as RoomSettingsInput;
}

export { fixedSettingsRefusal } from "../room/fixed";

/** D5: the lobby settings of the daily descent's solo room: the defaults, untimed. */
export const DAILY_ROOM_SETTINGS: RoomSettingsInput = {
  surface: { kind: "surprise" },
  secondsPerTurn: 0,
};
