import type { ReactNode } from "react";
import { SURFACE_OPTIONS, surfaceKeyOf, surfaceLabelOfKey } from "./format";

type SurfaceOption = { readonly value: string; readonly label: string };

/**
 * The surface menu of a filter form for the surface key asked for: the catalog, plus that surface
 * when the menu lacks it (a procedural one, or one no longer in the menu, reached by a link), and
 * the option to select (empty: every surface).
 */
export function surfaceMenu(
  surfaceKey: string | undefined,
  /** The library's names of surface keys (F15): a saved surface is listed by its name. */
  savedNames: ReadonlyMap<string, string> = new Map(),
): {
  options: SurfaceOption[];
  selected: string;
} {
  const options: SurfaceOption[] = [...SURFACE_OPTIONS];
  if (surfaceKey && !options.some((o) => surfaceKeyOf(o.value) === surfaceKey)) {
    const saved = savedNames.get(surfaceKey);
    options.push({
      value: surfaceKey,
      label: saved ? `${saved} (library)` : surfaceLabelOfKey(surfaceKey),
    });
  }
  const selected = options.find((o) => surfaceKeyOf(o.value) === surfaceKey)?.value ?? "";
  return { options, selected };
}

/**
 * A GET filter form of the leaderboard and replay pages: the surface menu (`allLabel` names the
 * empty choice), the page's own fields (`children`), the page size asked for, kept, and Show.
 */
export function FilterForm({
  action,
  surfaces,
  selected,
  allLabel,
  pageSize,
  children,
}: {
  action: string;
  surfaces: readonly SurfaceOption[];
  selected: string;
  allLabel: string;
  pageSize: string | undefined;
  children: ReactNode;
}) {
  return (
    <form method="get" action={action} className="card rp-filters" aria-label="Filters">
      <label className="field">
        <span>Surface</span>
        <select name="surface" defaultValue={selected} data-testid="filter-surface">
          <option value="">{allLabel}</option>
          {surfaces.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      {children}
      {pageSize ? <input type="hidden" name="pageSize" value={pageSize} /> : null}
      <button type="submit" data-testid="filter-submit">
        Show
      </button>
    </form>
  );
}
