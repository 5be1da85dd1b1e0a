/**
 * F11: the host's read-out of its own data surface in the `room:settings` acknowledgement (the
 * same shape as a formula's, F8). The rules accepted the points (the surface is in lib's cache);
 * this only adds what the host sees: the bot's loss after the round's turns, L(θ₀), L* and the
 * distance θ₀ → θ*.
 */
import type { ClientEventName, ClientEventResults, RoomSettings } from "../lib/protocol";
import { resolveSurface } from "../lib/surface-ref";
import { formulaPreview } from "./formula-analysis";
import { mapAck } from "./room-deps";
import type { Acked } from "./room-deps";

/** The acknowledgement of `event`, with the data preview added to an accepted `room:settings`. */
export function withDataPreview<E extends ClientEventName>(
  event: E,
  payload: unknown,
  ack: Acked<ClientEventResults[E]>,
): Acked<ClientEventResults[E]> {
  if (event !== "room:settings") return ack;
  const settings = (payload as { settings?: RoomSettings }).settings;
  const surface = settings?.surface;
  if (!settings || surface?.kind !== "data") return ack;
  return mapAck(ack, (answer) => {
    if (!answer.ok) return answer;
    const resolved = resolveSurface({ kind: "data", points: surface.points, box: surface.box });
    return { ...answer, formula: formulaPreview(resolved, settings.turns) };
  });
}
