"use client";

import { SoloStart } from "../../components/solo-start";
import { playChallenge } from "../../lib/room-client";

/** C5: open the challenge as a solo round (only its id leaves this page; the server has the rest). */
export function ChallengeStart({ id }: { id: string }) {
  return (
    <SoloStart
      open={(nickname) => playChallenge(id, nickname)}
      label="Take the challenge"
      busyLabel="Opening…"
      testId="challenge-play"
    />
  );
}
