import type { ChallengeBoardRow } from "../../server/db/challenges";
import { beatBotLabel, formatDate } from "../replays/_lib/format";

/**
 * A challenge's or the day's leaderboard (docs/SPEC.md C3, D4): rank, player, score, beat the
 * bot, turns. No surface and no replay links: the board is shown to people who have not played
 * yet, and a replay reveals the surface.
 */
export function BoardTable({
  rows,
  labelledBy,
  empty,
  testId,
}: {
  rows: readonly ChallengeBoardRow[];
  labelledBy: string;
  empty: string;
  testId: string;
}) {
  if (rows.length === 0) {
    return (
      <p className="card" data-testid={`${testId}-empty`}>
        {empty}
      </p>
    );
  }
  return (
    <div className="rp-table-wrap" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table className="ranking rp-table" data-testid={testId}>
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
            <th scope="col" className="rp-wide">
              Date
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.roundId} data-testid={`${testId}-row`}>
              <td className="num">{row.position}</td>
              <th scope="row" className="rp-nick">
                {row.nickname}
              </th>
              <td className="num">{row.score}</td>
              <td className={row.beatBot ? "good" : undefined}>{beatBotLabel(row.beatBot)}</td>
              <td className="num">{row.turnsPlayed}</td>
              <td className="rp-wide">
                <time dateTime={row.finishedAt}>{formatDate(row.finishedAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
