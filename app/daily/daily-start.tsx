"use client";

import { useEffect, useState } from "react";
import type { DailyStatusResult } from "../../lib/protocol";
import { SoloStart } from "../components/solo-start";
import { dailyStatus, messageOf, playDaily } from "../lib/room-client";

/** D5: this browser's daily so far (scored or not, the streak) and the button that opens it. */
export function DailyStart() {
  const [status, setStatus] = useState<DailyStatusResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    dailyStatus().then(
      (s) => live && setStatus(s),
      (e: unknown) => live && setProblem(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, []);
  const played = status?.scoredRoundId != null;
  return (
    <SoloStart
      open={playDaily}
      label={played ? "Play again (practice)" : "Play today's descent"}
      busyLabel="Opening…"
      testId="daily-play"
    >
      <p className="small" role="status" data-testid="daily-status">
        {status
          ? played
            ? `You have played today's descent: it is scored. Another attempt is practice and is not scored. Streak: ${status.streak} ${status.streak === 1 ? "day" : "days"}.`
            : status.streak > 0
              ? `Streak: ${status.streak} ${status.streak === 1 ? "day" : "days"}. Play today to keep it.`
              : "Your first attempt today is the scored one."
          : (problem ?? "\u00a0")}
      </p>
    </SoloStart>
  );
}
