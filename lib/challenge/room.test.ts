import { describe, expect, it } from "vitest";
import { resolveSettings } from "../game/settings";
import type { RoundSettings } from "../game/settings";
import { roomSettingsSchema } from "../protocol/schemas";
import type { RoomState } from "../room/state";
import { resolveSurface } from "../surface-ref";
import { challengeOfRoom, fixedRoomSettings, fixedSettingsRefusal } from "./room";

const ref = { kind: "catalog", id: "booth", transform: { seed: 11 } } as const;
const surface = resolveSurface(ref);

function settings(input: unknown): RoundSettings {
  const resolved = resolveSettings(input, surface);
  if (!resolved.ok) throw new Error(resolved.error.message);
  return resolved.settings;
}

describe("challenge rooms (lib/challenge/room)", () => {
  it("C4: only a revealed round makes a challenge: its own ref and resolved settings", () => {
    const round = { surface: ref, settings: settings({ turns: 4 }) };
    const base = { round, gate: "revealed" } as unknown as RoomState;
    expect(challengeOfRoom(base)).toEqual({ ok: true, challenge: round });
    expect(challengeOfRoom({ ...base, gate: "playing" })).toMatchObject({
      ok: false,
      error: { code: "ROUND_IN_PROGRESS" },
    });
    expect(challengeOfRoom({ ...base, round: null, gate: "none" })).toMatchObject({
      ok: false,
      error: { code: "NO_ROUND" },
    });
  });

  it("C5: the room's settings hide the surface: a surprise, no default bot η; custom η kept", () => {
    const plain = fixedRoomSettings(settings({ turns: 5, hint: "taylor" }), surface);
    expect(plain).toEqual({
      surface: { kind: "surprise" },
      turns: 5,
      secondsPerTurn: 0,
      etaMax: surface.etaMax,
      hint: "taylor",
      bot: { optimizer: "gd" },
    });
    expect(JSON.stringify(plain)).not.toContain("booth");
    // Parsed as the room does, and resolved again on the surface: the same settings as stored.
    const again = settings((({ surface: _, ...rest }) => rest)(roomSettingsSchema.parse(plain)));
    expect(again).toEqual({ ...settings({ turns: 5, hint: "taylor" }), secondsPerTurn: 0 });
    const custom = fixedRoomSettings(
      settings({ bot: { optimizer: "gd", params: { eta: 0.0123 } } }),
      surface,
    );
    expect(custom.bot).toEqual({ optimizer: "gd", params: { eta: 0.0123 } });
  });

  it("C5: changing a fixed room's settings is refused with a sentence", () => {
    expect(fixedSettingsRefusal("challenge")).toMatchObject({
      ok: false,
      error: { code: "INVALID_SETTINGS", message: expect.stringMatching(/own settings/) },
    });
    expect(fixedSettingsRefusal("daily").error.message).toMatch(/daily/);
  });
});
