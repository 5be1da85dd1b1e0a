import type { SurfaceRef } from "../../../lib/surface-ref";
import type { Difficulty } from "../../../lib/types";
import { botName, CATALOG_NAMES } from "../../lib/surface-names";

/** Display helpers of the leaderboard and replay pages (names only: no surface is resolved). */

const NAMES = new Map(CATALOG_NAMES.map((entry) => [entry.id, entry.name]));

/** A surface's human name: the catalog's, "Procedural #seed (difficulty)", "Formula: text" or "Neuron on N data points". */
export function surfaceLabel(ref: SurfaceRef): string {
  if (ref.kind === "formula") return `Formula: ${ref.text}`;
  if (ref.kind === "data") return `Neuron on ${ref.points.length} data points`;
  return ref.kind === "catalog"
    ? (NAMES.get(ref.id) ?? ref.id)
    : `Procedural #${ref.seed} (${ref.difficulty})`;
}

/** A surface key's human name (`catalog:booth` → Booth, `procedural:42:hard` → Procedural #42 (hard)). */
export function surfaceLabelOfKey(key: string): string {
  const [kind, a = "", b = ""] = key.split(":");
  // `formula:<box>:<text>` (lib/surface-ref; a formula has no `:`).
  if (kind === "formula") return `Formula: ${key.split(":").slice(2).join(":")}`;
  // `data:<box>:<x>,<y>;…` (F12).
  if (kind === "data")
    return `Neuron on ${(key.split(":")[2] ?? "").split(";").length} data points`;
  return kind === "procedural"
    ? surfaceLabel({ kind: "procedural", seed: Number(a), difficulty: b as Difficulty })
    : surfaceLabel({ kind: "catalog", id: a });
}

/** The catalog, as the surface menus list it: the value is the bare id. */
export const SURFACE_OPTIONS: readonly { readonly value: string; readonly label: string }[] =
  CATALOG_NAMES.map((entry) => ({ value: entry.id, label: entry.name }));

/** A surface filter value as a key (`rosenbrock` → `catalog:rosenbrock`). */
export function surfaceKeyOf(value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  return value.includes(":") ? value : `catalog:${value}`;
}

/** The bot's optimizer id as people read it. */
export function botLabel(optimizer: string): string {
  return optimizer === "none" ? "no bot" : `Bot (${botName(optimizer)})`;
}

/** An ISO time as `2026-11-24 16:31 UTC` (server and browser agree: no local time zone). */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A player's result against the bot, under a "Beat the bot" heading. */
export function beatBotLabel(beatBot: boolean | null): string {
  return beatBot === null ? "no bot" : beatBot ? "yes" : "no";
}
