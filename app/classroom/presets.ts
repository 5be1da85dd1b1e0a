import type { RoomSettingsInput } from "../../lib/protocol";

/**
 * The competition presets of /classroom/new: a first lesson (gradient hints on bowls, where going
 * against the arrow always works) and a challenge (Taylor previews and then no hint at all, on
 * valleys and many-well surfaces, against stronger bots).
 */

/** A planned round as the form edits it. */
export type PlannedRound = RoomSettingsInput & {
  surface: NonNullable<RoomSettingsInput["surface"]>;
  turns: number;
  secondsPerTurn: number;
  hint: NonNullable<RoomSettingsInput["hint"]>;
  bot: { optimizer: NonNullable<NonNullable<RoomSettingsInput["bot"]>["optimizer"]> };
};

export interface Preset {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly rounds: readonly PlannedRound[];
}

export const PRESETS: readonly Preset[] = [
  {
    id: "first-lesson",
    label: "First lesson",
    description: "Gradient arrows on friendly bowls: learn that downhill is against the gradient.",
    rounds: [
      {
        surface: { kind: "catalog", id: "booth" },
        turns: 8,
        secondsPerTurn: 30,
        hint: "gradient",
        bot: { optimizer: "gd" },
      },
      {
        surface: { kind: "catalog", id: "matyas" },
        turns: 8,
        secondsPerTurn: 30,
        hint: "gradient",
        bot: { optimizer: "gd" },
      },
      {
        surface: { kind: "catalog", id: "ill-conditioned-bowl" },
        turns: 10,
        secondsPerTurn: 30,
        hint: "gradient",
        bot: { optimizer: "gd" },
      },
    ],
  },
  {
    id: "challenge",
    label: "Challenge",
    description: "Taylor previews, then no hints, on curved valleys and surfaces with many wells.",
    rounds: [
      {
        surface: { kind: "catalog", id: "crescent-valley" },
        turns: 12,
        secondsPerTurn: 30,
        hint: "taylor",
        bot: { optimizer: "momentum" },
      },
      {
        surface: { kind: "catalog", id: "himmelblau" },
        turns: 12,
        secondsPerTurn: 30,
        hint: "taylor",
        bot: { optimizer: "adam" },
      },
      {
        surface: { kind: "catalog", id: "rosenbrock" },
        turns: 12,
        secondsPerTurn: 30,
        hint: "blind",
        bot: { optimizer: "adam" },
      },
      {
        surface: { kind: "procedural", difficulty: "hard" },
        turns: 12,
        secondsPerTurn: 30,
        hint: "blind",
        bot: { optimizer: "nesterov" },
      },
    ],
  },
];

/** A new round for the form's "add a round". */
export function blankRound(): PlannedRound {
  return {
    surface: { kind: "surprise" },
    turns: 10,
    secondsPerTurn: 30,
    hint: "gradient",
    bot: { optimizer: "gd" },
  };
}
