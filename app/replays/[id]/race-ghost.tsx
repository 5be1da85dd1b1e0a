"use client";

import { SoloStart } from "../../components/solo-start";
import { raceReplay } from "../../lib/room-client";

/** G1: race this stored round's winner as a ghost, in a solo practice of your own. */
export function RaceGhost({ roundId }: { roundId: string }) {
  return (
    <section className="card" aria-labelledby="race-ghost-title">
      <h2 id="race-ghost-title" className="h3">
        <span className="ghost-tag">Ghost</span> Race this round
      </h2>
      <p className="muted small">
        Play this round&apos;s surface yourself against its winner&apos;s moves, replayed turn by
        turn.
      </p>
      <SoloStart
        open={(nickname) => raceReplay(roundId, nickname)}
        label="Race this ghost"
        busyLabel="Opening…"
        testId="race-ghost"
      />
    </section>
  );
}
