"use client";

import dynamic from "next/dynamic";
import type { RoomSnapshot, StandingView } from "../../lib/protocol";
import { LossRace, raceSeries } from "../components/loss-race";
import type { ConfettiBurst } from "../hooks/use-confetti";
import { useTurnClock } from "../hooks/use-turn-clock";
import styles from "./classroom.module.css";
import { StudentAim } from "./learning-parts";
import type { JoinAddress } from "./join-address";

/** Pieces shared by the projector, the host console and the student view. */

type Round = NonNullable<RoomSnapshot["round"]>;

/**
 * The revealed surface with every path: its chunk (formulas, the procedural generator) loads only
 * now, as on the room page.
 */
export const RevealMap = dynamic(
  () => import("../room/[code]/reveal-map").then((m) => m.RevealMap),
  { ssr: false, loading: () => <div className="plot placeholder" aria-busy="true" /> },
);

/**
 * The loss race with names at the ends of the lines; without rankings the players are anonymous
 * seats ("Student 3").
 */
export function ClassRace({ round }: { round: Round }) {
  return (
    <LossRace
      series={raceSeries(round, (seat) => `Student ${seat + 1}`)}
      turns={round.settings.turns}
      endLabels
    />
  );
}

/** Turn, timer, pause: one line. */
export function TurnLine({
  snapshot,
  clockOffset,
}: {
  snapshot: RoomSnapshot;
  clockOffset: number;
}) {
  const clock = useTurnClock(snapshot, clockOffset);
  if (!clock) return null;
  const { turn, turns, over, left, moved, inRound } = clock;
  const paused = snapshot.classroom?.paused === true;
  return (
    <p className={styles.status} data-testid="turn-line">
      Turn {turn} of {turns}
      {" · "}
      {over ? (
        "round over: revealing…"
      ) : paused ? (
        <span className={styles.paused} data-testid="paused">
          Paused
        </span>
      ) : left === null ? (
        "untimed"
      ) : (
        `${left} s left`
      )}
      {inRound > 0 && !over ? ` · ${moved} of ${inRound} moved` : ""}
    </p>
  );
}

/** The standings table (nicknames rendered as text). */
export function StandingsTable({
  standings,
  rounds,
  testId = "standings",
  compact = false,
  aim = false,
}: {
  standings: readonly StandingView[];
  rounds: number;
  testId?: string;
  /** The projector: rank, name, total and bots beaten only (no column per round). */
  compact?: boolean;
  /** A column with each student's aim (cos β) over the rounds (issue 16 §4, L5). */
  aim?: boolean;
}) {
  const roundColumns = compact ? 0 : rounds;
  return (
    // A region of its own (focusable, named) so a keyboard can scroll it when it is wider.
    <div className={styles.tableBox} role="region" aria-label="Standings" tabIndex={0}>
      <table className={styles.standings} data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Student</th>
            {Array.from({ length: roundColumns }, (_, i) => (
              <th key={i} scope="col" className="num">
                R{i + 1}
              </th>
            ))}
            <th scope="col" className="num">
              Total
            </th>
            {compact ? null : (
              <th scope="col" className="num">
                Won
              </th>
            )}
            <th scope="col" className="num">
              Beat bot
            </th>
            {aim ? (
              <th scope="col" title="Mean cos β of each round's steps: −1 is straight downhill">
                Aim (cos β)
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {standings.map((s) => (
            <tr
              key={s.nickname}
              className={s.you ? styles.you : undefined}
              data-testid="standing-row"
            >
              <td>{s.rank || "–"}</td>
              <th scope="row">{s.nickname}</th>
              {Array.from({ length: roundColumns }, (_, i) => (
                <td key={i} className="num">
                  {s.scores[i] ?? "–"}
                </td>
              ))}
              <td className="num" data-testid="standing-total">
                {s.total}
              </td>
              {compact ? null : <td className="num">{s.roundsWon}</td>}
              <td className="num">{s.botBeaten}</td>
              {aim ? (
                <td>
                  <StudentAim learning={s.learning} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A podium (second, first, third step). Ranks come from the server: students who share a rank
 * share its step, every name shown.
 */
export function Podium({
  places,
  testId = "podium",
}: {
  places: readonly { name: string; score: number; place: number }[];
  testId?: string;
}) {
  const steps = [2, 1, 3]
    .map((place) => ({ place, entries: places.filter((x) => x.place === place) }))
    .filter((step) => step.entries.length > 0);
  return (
    <div className={styles.podium} data-testid={testId}>
      {steps.map(({ place, entries }) => (
        <div key={place} className={styles.podiumStep} data-place={place}>
          <span className={styles.place}>{place}</span>
          <span
            className={styles.podiumName}
            data-testid={`podium-${place}`}
            title={entries.map((e) => e.name).join(", ")}
          >
            {entries.map((e) => e.name).join(", ")}
          </span>
          <span>{entries[0]!.score}</span>
        </div>
      ))}
    </div>
  );
}

/** The classroom's confetti (useConfetti): a big burst, at once. */
export const CLASSROOM_CONFETTI: ConfettiBurst = { particleCount: 180, spread: 90, originY: 0.55 };

/**
 * The join URL of a competition: on the address the server found for the class (app/classroom/
 * join-address.ts), never built from `window.location` during a render (the server's HTML and the
 * browser's first render must match).
 */
export function joinUrl(code: string, join: JoinAddress): string {
  return `${join.base}/classroom/${code}`;
}

/** The teacher's warning when the join address only works on this computer. */
export function JoinWarning({ join }: { join: JoinAddress }) {
  if (!join.warning) return null;
  return (
    <p className={styles.joinWarning} role="note" data-testid="join-warning">
      {join.warning}
    </p>
  );
}

export { QrCode } from "../components/qr-code";

/** The podium of a revealed round (top three by rank), or null when withheld. */
export function roundPodium(round: Round | null): { name: string; score: number; place: number }[] {
  const ranking = round?.reveal?.results.ranking ?? [];
  return ranking
    .filter((r) => r.rank >= 1 && r.rank <= 3 && r.nickname !== "")
    .map((r) => ({ name: r.nickname, score: r.score, place: r.rank }));
}

/** The final podium from the standings (a shared rank puts every name on its step). */
export function standingsPodium(
  standings: readonly StandingView[] | null | undefined,
): { name: string; score: number; place: number }[] {
  return (standings ?? [])
    .filter((s) => s.rank >= 1 && s.rank <= 3)
    .map((s) => ({ name: s.nickname, score: s.total, place: s.rank }));
}
