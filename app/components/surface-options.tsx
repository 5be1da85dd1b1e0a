import type { SurfaceChoice } from "../../lib/protocol";
import { DIFFICULTIES } from "../../lib/types";
import { CATALOG_NAMES } from "../lib/surface-names";

/**
 * The host's surface menu, shared by the room's settings and the classroom's round plan: a
 * `<select>` value per surface choice (`surprise`, `surprise:hard`, `procedural:easy`,
 * `catalog:booth`) and the options in that order.
 */

/** The menu value of a surface choice (no choice: a surprise). */
export function surfaceKey(choice: SurfaceChoice | null): string {
  if (!choice) return "surprise";
  if (choice.kind === "catalog") return `catalog:${choice.id}`;
  if (choice.kind === "procedural") return `procedural:${choice.difficulty}`;
  if (choice.kind === "formula") return "formula";
  if (choice.kind === "data") return "data";
  return choice.difficulty ? `surprise:${choice.difficulty}` : "surprise";
}

/** The surface choice of a menu value (anything unknown: a surprise). */
export function surfaceFromKey(key: string): SurfaceChoice {
  const [kind, rest] = key.split(":");
  if (kind === "catalog" && rest) return { kind: "catalog", id: rest };
  const difficulty = DIFFICULTIES.find((d) => d === rest);
  if (kind === "procedural" && difficulty) return { kind: "procedural", difficulty };
  return difficulty ? { kind: "surprise", difficulty } : { kind: "surprise" };
}

/**
 * The `<option>`s of the surface menu; `formula` adds "Your own formula" (value `formula`) and
 * "The neuron on your own data" (value `data`), which the menu's owner handles: the choice needs
 * a text or points, and a box.
 */
export function SurfaceOptions({ formula = false }: { formula?: boolean }) {
  return (
    <>
      <option value="surprise">Surprise me</option>
      {formula ? <option value="formula">Your own formula</option> : null}
      {formula ? <option value="data">The neuron on your own data</option> : null}
      {DIFFICULTIES.map((d) => (
        <option key={`s${d}`} value={`surprise:${d}`}>
          Surprise me ({d})
        </option>
      ))}
      {DIFFICULTIES.map((d) => (
        <option key={`p${d}`} value={`procedural:${d}`}>
          A new procedural surface ({d})
        </option>
      ))}
      {CATALOG_NAMES.map((c) => (
        <option key={c.id} value={`catalog:${c.id}`}>
          {c.name}
        </option>
      ))}
    </>
  );
}
