import { ackError, ErrorCode } from "../protocol/errors";
import type { AckFailure } from "../protocol/errors";

/**
 * C5: a room that plays a fixed surface keeps its settings: changing them (`room:settings`, or
 * `round:start` with settings) is refused with this, and nothing changes.
 */
export function fixedSettingsRefusal(kind: "challenge" | "daily"): AckFailure {
  return ackError(
    ErrorCode.INVALID_SETTINGS,
    kind === "daily"
      ? "the daily descent plays its own settings: they cannot be changed"
      : "a challenge plays exactly its own settings: they cannot be changed (open a solo practice to choose your own)",
  );
}
