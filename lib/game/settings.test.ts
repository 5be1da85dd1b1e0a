import { describe, expect, it } from "vitest";
import { RoundErrorCode } from "./errors";
import { resolveSettings, roundSettingsSchema } from "./settings";
import type { RoundSettings } from "./settings";
import { bowl } from "./test-utils";

function settingsOf(input: unknown): RoundSettings {
  const result = resolveSettings(input, bowl);
  if (!result.ok) throw new Error(result.error.message);
  return result.settings;
}

function messageOf(input: unknown): string {
  const result = resolveSettings(input, bowl);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(input)}`);
  expect(result.error.code).toBe(RoundErrorCode.INVALID_SETTINGS);
  return result.error.message;
}

describe("settings", () => {
  it("R2: every field defaults, η_max and the bot's η from the surface", () => {
    const expected: RoundSettings = {
      turns: 12,
      secondsPerTurn: 30,
      etaMax: bowl.etaMax,
      hint: "gradient",
      bot: { optimizer: "gd", params: { eta: bowl.botEta } },
    };
    expect(settingsOf({})).toEqual(expected);
    expect(settingsOf(undefined)).toEqual(expected);
    expect(settingsOf(null)).toEqual(expected);
  });

  it("R2: the schema applies the surface-independent defaults", () => {
    expect(roundSettingsSchema.parse({})).toEqual({
      turns: 12,
      secondsPerTurn: 30,
      hint: "gradient",
      bot: { optimizer: "gd" },
    });
  });

  it("R2: accepts every valid field", () => {
    expect(
      settingsOf({
        turns: 100,
        secondsPerTurn: 0,
        etaMax: 10,
        hint: "blind",
        bot: { optimizer: "adam", params: { eta: 0.3, beta1: 0.8, epsilon: 1e-6 } },
      }),
    ).toEqual({
      turns: 100,
      secondsPerTurn: 0,
      etaMax: 10,
      hint: "blind",
      bot: { optimizer: "adam", params: { eta: 0.3, beta1: 0.8, epsilon: 1e-6 } },
    });
    expect(settingsOf({ turns: 1, secondsPerTurn: 600, hint: "taylor" }).turns).toBe(1);
  });

  it("R2: bot none ignores params", () => {
    expect(settingsOf({ bot: { optimizer: "none", params: { eta: 1 } } }).bot).toEqual({
      optimizer: "none",
    });
  });

  it("R2: bad settings give messages naming the field", () => {
    expect(messageOf({ turns: 0 })).toBe("turns must be an integer from 1 to 100, got 0");
    expect(messageOf({ turns: 101 })).toBe("turns must be an integer from 1 to 100, got 101");
    expect(messageOf({ turns: 2.5 })).toBe("turns must be an integer from 1 to 100, got 2.5");
    expect(messageOf({ turns: "12" })).toBe('turns must be an integer from 1 to 100, got "12"');
    expect(messageOf({ secondsPerTurn: -1 })).toBe(
      "secondsPerTurn must be an integer from 0 to 600, got -1",
    );
    expect(messageOf({ secondsPerTurn: 601 })).toBe(
      "secondsPerTurn must be an integer from 0 to 600, got 601",
    );
    expect(messageOf({ etaMax: 0 })).toBe("etaMax must be a positive finite number, got 0");
    expect(messageOf({ etaMax: Number.NaN })).toBe(
      "etaMax must be a positive finite number, got NaN",
    );
    expect(messageOf({ etaMax: Infinity })).toBe(
      "etaMax must be a positive finite number, got Infinity",
    );
    expect(messageOf({ etaMax: 10.5 })).toBe(
      "etaMax must be at most 10 (10 × this surface's suggested η_max), got 10.5",
    );
    expect(messageOf({ hint: "arrow" })).toBe(
      'hint must be one of gradient, taylor, blind, got "arrow"',
    );
    expect(messageOf({ bot: { optimizer: "sgd" } })).toBe(
      'bot.optimizer must be one of gd, momentum, nesterov, rmsprop, adam, newton, none, got "sgd"',
    );
    expect(messageOf({ bot: { optimizer: "gd", params: { eta: -1 } } })).toBe(
      "bot.params.eta must be a positive finite number, got -1",
    );
    expect(messageOf({ bot: { optimizer: "momentum", params: { beta: 1 } } })).toBe(
      "bot.params.beta must be a number in [0, 1), got 1",
    );
    expect(messageOf({ bot: { params: { eta: "fast" } } })).toBe(
      'bot.params.eta must be a finite number, got "fast"',
    );
    expect(messageOf({ turns: 0, hint: "x" })).toBe(
      'turns must be an integer from 1 to 100, got 0; hint must be one of gradient, taylor, blind, got "x"',
    );
    expect(messageOf({ rounds: 3 })).toBe("unknown setting: rounds");
    expect(messageOf({ bot: { speed: 1, level: 2 } })).toBe("unknown settings: speed, level");
    expect(messageOf({ bot: { params: { lr: 1 } } })).toBe("unknown setting: lr");
    expect(messageOf("fast")).toBe("settings must be an object");
    expect(messageOf({ bot: 3 })).toBe("bot must be an object");
  });

  it("R2: resolving resolved settings changes nothing", () => {
    for (const input of [
      {},
      { bot: { optimizer: "none" } },
      { etaMax: 0.3, bot: { optimizer: "nesterov", params: { beta: 0.5 } }, hint: "taylor" },
    ]) {
      const once = settingsOf(input);
      const twice = settingsOf(once);
      expect(twice).toEqual(once);
      expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
    }
  });
});
