import type { Metadata } from "next";
import Link from "next/link";
import { competitionChoices, leaderboard } from "../../server/db/leaderboards";
import { sharedDatabase } from "../../server/db/shared";
import { BadRequest } from "../replays/_lib/bad-request";
import { beatBotLabel, formatDate, surfaceKeyOf, surfaceLabel } from "../replays/_lib/format";
import { surfaceRefKey } from "../../lib/surface-ref";
import { savedNamesOf } from "../../server/db/saved-surfaces";
import { FilterForm, surfaceMenu } from "../replays/_lib/filters";
import { Pager } from "../replays/_lib/pager";
import { hrefWith, parseLeaderboardQuery } from "../replays/_lib/params";
import type { SearchParams } from "../replays/_lib/params";
import "../replays/_lib/replays.css";

export const metadata: Metadata = {
  title: "Leaderboard",
  description:
    "The best descents: per surface and overall, per competition, by day, week or all time.",
};

/** Rendered on every request from the database (never at build time). */
export const dynamic = "force-dynamic";

const PERIOD_LABELS = { day: "Last 24 hours", week: "Last 7 days", all: "All time" } as const;

/**
 * /leaderboard: players' results, best first, filtered by surface, competition and period, 50 a
 * page; each row links to its replay. A server-rendered page: forms and links, no JavaScript.
 */
export default async function LeaderboardPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const parsed = parseLeaderboardQuery(await searchParams);
  if (!parsed.ok) {
    return (
      <BadRequest
        message={parsed.message}
        resetHref="/leaderboard"
        resetLabel="Show the whole leaderboard"
      />
    );
  }
  const { values } = parsed;
  const db = sharedDatabase();
  const [board, competitions] = await Promise.all([
    leaderboard(db, values),
    competitionChoices(db),
  ]);
  const surfaceKey = surfaceKeyOf(board.surface ?? undefined);
  // F15: formula and data rounds are grouped and named by their saved surface, if any.
  const savedNames = await savedNamesOf(db, [
    ...(surfaceKey ? [surfaceKey] : []),
    ...board.rows.map((row) => surfaceRefKey(row.surface)),
  ]);
  const label = (ref: Parameters<typeof surfaceLabel>[0]) =>
    savedNames.get(surfaceRefKey(ref)) ?? surfaceLabel(ref);
  // A procedural surface (or one no longer in the menu) reached by a link stays selectable.
  const { options: surfaceOptions, selected: selectedSurface } = surfaceMenu(
    surfaceKey,
    savedNames,
  );
  const competitionName =
    board.competition === null
      ? null
      : (competitions.find((c) => c.id === board.competition)?.name ?? board.competition);
  const showSurface = board.surface === null;
  const title = [
    surfaceKey ? surfaceOptions.find((o) => o.value === selectedSurface)?.label : "All surfaces",
    competitionName,
    PERIOD_LABELS[board.period],
  ]
    .filter(Boolean)
    .join(" · ");

  return (
    <main className="rp-page">
      <p className="rp-nav">
        <Link href="/">← Blind Descent</Link> · <Link href="/replays">Replays</Link>
      </p>
      <h1>Leaderboard</h1>
      <p className="tagline">
        Every player&apos;s result, best first: the higher score, then the fewer turns it took to
        reach the final loss, then the earlier round.
      </p>

      <FilterForm
        action="/leaderboard"
        surfaces={surfaceOptions}
        selected={selectedSurface}
        allLabel="All surfaces (overall)"
        pageSize={values.pageSize}
      >
        <label className="field">
          <span>Competition</span>
          <select
            name="competition"
            defaultValue={board.competition ?? ""}
            data-testid="filter-competition"
          >
            <option value="">Every round</option>
            {board.competition !== null && !competitions.some((c) => c.id === board.competition) ? (
              <option value={board.competition}>{board.competition}</option>
            ) : null}
            {competitions.map((competition) => (
              <option key={competition.id} value={competition.id}>
                {competition.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Period</span>
          <select name="period" defaultValue={board.period} data-testid="filter-period">
            <option value="day">{PERIOD_LABELS.day}</option>
            <option value="week">{PERIOD_LABELS.week}</option>
            <option value="all">{PERIOD_LABELS.all}</option>
          </select>
        </label>
      </FilterForm>

      <section aria-labelledby="board-title">
        <h2 id="board-title" className="h3">
          {title}
          {board.page > 1 ? `, page ${board.page}` : ""}
        </h2>
        {board.rows.length === 0 ? (
          <p className="card" data-testid="leaderboard-empty">
            No finished rounds here yet.{" "}
            {board.page > 1 ? (
              <Link href={hrefWith("/leaderboard", values, { page: null })}>First page</Link>
            ) : (
              <Link href="/">Play one</Link>
            )}
          </p>
        ) : (
          <div className="rp-table-wrap" role="region" aria-labelledby="board-title" tabIndex={0}>
            <table className="ranking rp-table" data-testid="leaderboard">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Player</th>
                  <th scope="col" className="num">
                    Score
                  </th>
                  <th scope="col">Beat the bot</th>
                  <th scope="col" className="num">
                    <abbr title="Turns in which the player moved">Turns</abbr>
                  </th>
                  {showSurface ? (
                    <th scope="col" className="rp-wide">
                      Surface
                    </th>
                  ) : null}
                  <th scope="col" className="rp-wide">
                    Date
                  </th>
                  <th scope="col">Replay</th>
                </tr>
              </thead>
              <tbody>
                {board.rows.map((row) => (
                  <tr key={`${row.roundId}-${row.position}`} data-testid="leaderboard-row">
                    <td className="num">{row.position}</td>
                    <th scope="row" className="rp-nick">
                      {row.nickname}
                      <span className="rp-narrow small muted" aria-hidden="true">
                        {showSurface ? `${label(row.surface)} · ` : ""}
                        {formatDate(row.finishedAt).slice(0, 10)}
                      </span>
                    </th>
                    <td className="num">{row.score}</td>
                    <td className={row.beatBot ? "good" : undefined}>
                      {beatBotLabel(row.beatBot)}
                    </td>
                    <td className="num">{row.turnsPlayed}</td>
                    {showSurface ? <td className="rp-wide">{label(row.surface)}</td> : null}
                    <td className="rp-wide">
                      <time dateTime={row.finishedAt}>{formatDate(row.finishedAt)}</time>
                    </td>
                    <td>
                      <Link
                        href={`/replays/${row.roundId}`}
                        prefetch={false}
                        data-testid="replay-link"
                        aria-label={`Replay of ${row.nickname}'s round, ${formatDate(row.finishedAt)}`}
                      >
                        Watch
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          page={board.page}
          hasMore={board.hasMore}
          href={(page) =>
            hrefWith("/leaderboard", values, { page: page === 1 ? null : String(page) })
          }
        />
      </section>
    </main>
  );
}
