import type { Metadata } from "next";
import Link from "next/link";
import { listSavedSurfaces } from "../../server/db/saved-surfaces";
import { sharedDatabase } from "../../server/db/shared";
import { DataError } from "../../server/db/inputs";
import { formatDate } from "../replays/_lib/format";
import "../replays/_lib/replays.css";

export const metadata: Metadata = {
  title: "Library of surfaces",
  description: "Teachers' saved formulas and data sets, to reuse in rooms and competitions.",
};

/** Rendered on every request from the database (never at build time). */
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * /surfaces: the library of saved surfaces (docs/SPEC.md F15), newest first, 50 a page, searched
 * by name. Each links to a classroom plan that opens it (the share link) and to its rounds on the
 * leaderboard and the replay list (grouped by its surface key). Names, kinds and sizes only: the
 * formula or the points show where it is used (the host's settings) and at the reveal.
 */
export default async function SurfacesPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const search = one(params.q)?.trim() ?? "";
  const page = Number(one(params.page) ?? 1);
  let list: Awaited<ReturnType<typeof listSavedSurfaces>>;
  try {
    list = await listSavedSurfaces(sharedDatabase(), {
      ...(search ? { search } : {}),
      page: Number.isInteger(page) ? page : 1,
    });
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    return (
      <main className="rp-page">
        <h1>Library of surfaces</h1>
        <p className="card rp-error" role="alert">
          Bad query: {error.message}. <Link href="/surfaces">Show the whole library</Link>
        </p>
      </main>
    );
  }
  return (
    <main className="rp-page">
      <p className="rp-nav">
        <Link href="/">← Blind Descent</Link> · <Link href="/leaderboard">Leaderboard</Link> ·{" "}
        <Link href="/replays">Replays</Link>
      </p>
      <h1>Library of surfaces</h1>
      <p className="tagline">
        Formulas and data sets teachers saved from their room settings. Anyone can open one, so save
        a surface you want to keep secret from a class after the class has played it.
      </p>
      <form action="/surfaces" method="get" className="card rp-filters" role="search">
        <label className="field">
          <span>Name contains</span>
          <input
            type="search"
            name="q"
            defaultValue={search}
            maxLength={80}
            autoComplete="off"
            data-testid="library-search"
          />
        </label>
        <button type="submit" data-testid="library-search-submit">
          Search
        </button>
      </form>
      {list.items.length === 0 ? (
        <p className="card" data-testid="library-empty">
          {search ? `No saved surface is called “${search}”.` : "Nothing saved yet."} Save one from
          a room&apos;s settings once the server has accepted your formula or points.
        </p>
      ) : (
        <ol className="rp-list" data-testid="library">
          {list.items.map((item) => (
            <li key={item.id} className="card rp-item" data-testid="library-item">
              <p className="rp-item-head">
                <strong data-testid="library-item-name">{item.name}</strong>{" "}
                <span className="muted small">
                  {item.kind === "formula"
                    ? "a formula in w and b"
                    : `the neuron on ${item.surface.kind === "data" ? item.surface.points.length : 0} data points`}{" "}
                  · saved <time dateTime={item.createdAt}>{formatDate(item.createdAt)}</time> ·{" "}
                  {item.rounds} round{item.rounds === 1 ? "" : "s"} played
                </span>
              </p>
              <p className="small">
                <a href={`/classroom/new?surface=${item.id}`} data-testid="library-use">
                  Use it in a classroom competition
                </a>{" "}
                ·{" "}
                <a href={`/?surface=${item.id}`} data-testid="library-use-room">
                  Play it in a room or solo
                </a>{" "}
                ·{" "}
                <Link
                  href={`/leaderboard?surface=${encodeURIComponent(item.surfaceKey)}`}
                  prefetch={false}
                >
                  Leaderboard
                </Link>{" "}
                ·{" "}
                <Link
                  href={`/replays?surface=${encodeURIComponent(item.surfaceKey)}`}
                  prefetch={false}
                >
                  Replays
                </Link>
              </p>
            </li>
          ))}
        </ol>
      )}
      <p className="small">
        {list.hasMore ? (
          <Link
            href={`/surfaces?${new URLSearchParams({ ...(search ? { q: search } : {}), page: String((Number.isInteger(page) ? page : 1) + 1) })}`}
          >
            Next page
          </Link>
        ) : null}
      </p>
    </main>
  );
}
