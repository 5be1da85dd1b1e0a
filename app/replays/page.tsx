import type { Metadata } from "next";
import Link from "next/link";
import { listReplays } from "../../server/db/replays";
import { sharedDatabase } from "../../server/db/shared";
import { savedNamesOf } from "../../server/db/saved-surfaces";
import { surfaceRefKey } from "../../lib/surface-ref";
import { BadRequest } from "./_lib/bad-request";
import { botLabel, formatDate, surfaceKeyOf, surfaceLabel, surfaceLabelOfKey } from "./_lib/format";
import { FilterForm, surfaceMenu } from "./_lib/filters";
import { Pager } from "./_lib/pager";
import { hrefWith, parseReplayListQuery } from "./_lib/params";
import type { SearchParams } from "./_lib/params";
import "./_lib/replays.css";

export const metadata: Metadata = {
  title: "Replays",
  description: "Watch finished rounds again: every path, turn by turn, recomputed from the moves.",
};

/** Rendered on every request from the database (never at build time). */
export const dynamic = "force-dynamic";

/**
 * /replays: finished rounds, newest first, filtered by surface and by a player's nickname, 20 a
 * page. A server-rendered page: a GET form and links, no JavaScript needed.
 */
export default async function ReplaysPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const parsed = parseReplayListQuery(await searchParams);
  if (!parsed.ok) {
    return (
      <BadRequest message={parsed.message} resetHref="/replays" resetLabel="Show every replay" />
    );
  }
  const { values, query } = parsed;
  const db = sharedDatabase();
  const list = await listReplays(db, values);
  const surfaceKey = surfaceKeyOf(query.surface);
  // F15: formula and data rounds are grouped and named by their saved surface, if any.
  const savedNames = await savedNamesOf(db, [
    ...(surfaceKey ? [surfaceKey] : []),
    ...list.items.map((item) => surfaceRefKey(item.surface)),
  ]);
  const { options: surfaceOptions, selected: selectedSurface } = surfaceMenu(
    surfaceKey,
    savedNames,
  );

  return (
    <main className="rp-page">
      <p className="rp-nav">
        <Link href="/">← Blind Descent</Link> · <Link href="/leaderboard">Leaderboard</Link>
      </p>
      <h1>Replays</h1>
      <p className="tagline">
        Finished rounds, newest first. Each replay is recomputed from its stored moves with the
        game&apos;s own rules and checked against the stored scores.
      </p>

      <FilterForm
        action="/replays"
        surfaces={surfaceOptions}
        selected={selectedSurface}
        allLabel="Every surface"
        pageSize={values.pageSize}
      >
        <label className="field">
          <span>Player&apos;s nickname</span>
          <input
            type="text"
            name="nickname"
            defaultValue={query.nickname ?? ""}
            maxLength={100}
            autoComplete="off"
            data-testid="filter-nickname"
          />
        </label>
      </FilterForm>

      <section aria-labelledby="list-title">
        <h2 id="list-title" className="h3">
          {[
            surfaceKey
              ? (savedNames.get(surfaceKey) ?? surfaceLabelOfKey(surfaceKey))
              : "Every surface",
            query.nickname ? `with ${query.nickname}` : null,
          ]
            .filter(Boolean)
            .join(", ")}
          {list.page > 1 ? `, page ${list.page}` : ""}
        </h2>
        {list.items.length === 0 ? (
          <p className="card" data-testid="replays-empty">
            No finished rounds here yet. <Link href="/">Play one</Link>
          </p>
        ) : (
          <ol className="rp-list" data-testid="replays">
            {list.items.map((item) => {
              const players = item.participants.filter((p) => !p.isBot);
              const bot = item.participants.find((p) => p.isBot);
              return (
                <li key={item.id} className="card rp-item" data-testid="replay-item">
                  <p className="rp-item-head">
                    <Link href={`/replays/${item.id}`} prefetch={false} data-testid="replay-link">
                      {savedNames.get(surfaceRefKey(item.surface)) ?? surfaceLabel(item.surface)}
                    </Link>{" "}
                    <span className="muted small">
                      <time dateTime={item.finishedAt}>{formatDate(item.finishedAt)}</time> ·{" "}
                      {item.turns} turns · {item.hint} hint · room {item.roomCode}
                      {item.competition ? ` · ${item.competition.name}` : ""}
                    </span>
                  </p>
                  <ol className="rp-item-players" aria-label="Ranking">
                    {players.map((p) => (
                      <li key={p.seat}>
                        <span className="rp-rank">#{p.rank}</span> {p.nickname}{" "}
                        <span className="muted">
                          {p.score}
                          {p.beatBot ? " · beat the bot" : ""}
                        </span>
                      </li>
                    ))}
                    {bot ? (
                      <li className="muted">
                        {botLabel(item.botOptimizer)} {bot.score}
                      </li>
                    ) : null}
                  </ol>
                </li>
              );
            })}
          </ol>
        )}
        <Pager
          page={list.page}
          hasMore={list.hasMore}
          href={(page) => hrefWith("/replays", values, { page: page === 1 ? null : String(page) })}
        />
      </section>
    </main>
  );
}
