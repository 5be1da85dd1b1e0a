"use client";

import { useEffect, useState } from "react";
import type { RoomSnapshot } from "../../../lib/protocol";
import { firstOrderChange } from "../../../lib/taylor";
import { DirectionDial, StepSize, formatEta } from "../../components/direction-dial";
import { FeedbackPanel } from "../../components/feedback-panel";
import type { TurnFeedbackView } from "../../components/feedback-panel";
import { FogMap } from "../../components/fog-map";
import { LossRace, raceSeries } from "../../components/loss-race";
import { useTurnClock } from "../../hooks/use-turn-clock";
import type { RoomClient } from "../../lib/room-client";
import { formatDelta, formatLoss } from "../../lib/plot";
import { Members } from "./lobby";

type Round = NonNullable<RoomSnapshot["round"]>;

function TurnHeader({ snapshot, clockOffset }: { snapshot: RoomSnapshot; clockOffset: number }) {
  // Shown only during a round.
  const { turn, turns, over, left, moved, inRound } = useTurnClock(snapshot, clockOffset)!;
  return (
    <div className="turn-header">
      <span className="turn-count" data-testid="turn">
        Turn {turn} of {turns}
      </span>
      <span
        className={`timer${left !== null && left <= 5 ? " urgent" : ""}`}
        role="timer"
        aria-live="off"
      >
        {over ? "round over" : left === null ? "untimed" : `${left} s left`}
      </span>
      <span className="muted small" aria-live="polite" data-testid="moved-count">
        {moved} of {inRound} moved
      </span>
    </div>
  );
}

/** What the play view (and whoever shows it: the room, a student's phone) is given. */
export interface PlayProps {
  readonly snapshot: RoomSnapshot;
  readonly client: RoomClient;
  readonly clockOffset: number;
}

/** The play view: your fog map, the dial and step size, feedback, the loss race. */
export function Play({ snapshot, client, clockOffset }: PlayProps) {
  const round = snapshot.round as Round;
  const you = round.you!;
  useFocusOnDial();
  const etaMax = round.settings.etaMax;
  const [angle, setAngle] = useState(0);
  const [eta, setEta] = useState(etaMax / 4);
  const [sending, setSending] = useState(false);
  const hint = round.settings.hint;
  const pending = you.pendingMove;
  // Every turn played: the round is being stored, the reveal follows (R11b).
  const over = round.turn >= round.settings.turns;
  const disabled = pending !== null || sending || over;
  const u: [number, number] = [Math.cos(angle), Math.sin(angle)];
  const predicted =
    hint === "taylor" && you.gradient ? firstOrderChange(you.gradient, u, eta) : null;
  const last = you.feedback[you.feedback.length - 1];
  const feedback: TurnFeedbackView | null = last
    ? {
        loss: last.loss,
        deltaLoss: last.deltaLoss,
        predicted: last.predicted,
        beta: last.beta,
        clamped: last.clamped,
        moved: last.move !== null,
      }
    : null;

  const submit = async () => {
    if (disabled) return;
    setSending(true);
    await client.move(round.turn, angle, Math.min(eta, etaMax));
    setSending(false);
  };

  return (
    <div className="play" data-testid="play">
      <TurnHeader snapshot={snapshot} clockOffset={clockOffset} />
      <div className="play-grid">
        <div className="play-map">
          <FogMap
            box={round.field.domain}
            path={you.path}
            losses={you.losses}
            angle={angle}
            eta={eta}
            onAngle={setAngle}
            gradient={hint === "gradient" ? you.gradient : null}
            disabled={disabled}
          />
          <p className="map-legend small muted">
            Your loss now:{" "}
            <strong className="math" data-testid="current-loss">
              {formatLoss(you.losses[you.losses.length - 1])}
            </strong>
            {hint === "gradient"
              ? " · red arrow: the gradient ∇L"
              : hint === "taylor"
                ? " · Taylor hint: watch the predicted ΔL"
                : " · blind: only your losses"}
          </p>
        </div>
        <div className="play-side">
          <div className="controls">
            <DirectionDial
              angle={angle}
              onAngle={setAngle}
              eta={eta}
              etaMax={etaMax}
              onEta={setEta}
              onSubmit={() => void submit()}
              disabled={disabled}
              valueDetail={
                predicted === null ? undefined : `predicted ΔL ${formatDelta(predicted)}`
              }
            />
            <div className="controls-side">
              <StepSize eta={eta} etaMax={etaMax} onEta={setEta} disabled={disabled} />
              <p
                className="predicted"
                data-testid="predicted"
                data-value={predicted === null ? undefined : predicted}
              >
                {hint === "taylor"
                  ? predicted === null
                    ? "Predicted ΔL: —"
                    : `Predicted ΔL ≈ η uᵀ∇L = ${formatDelta(predicted)}`
                  : hint === "gradient"
                    ? "Aim against the red arrow?"
                    : "No hint: feel your way down."}
              </p>
              <button
                type="button"
                className="step-button"
                onClick={() => void submit()}
                disabled={disabled}
                data-testid="submit-move"
              >
                {pending ? "Move sent" : sending ? "Sending…" : `Step η = ${formatEta(eta)}`}
              </button>
            </div>
          </div>
          <p className="status-line" role="status" data-testid="move-status">
            {over ? (
              "Every turn is played: saving the round, then the surface is revealed…"
            ) : pending ? (
              "Move sent: waiting for the others…"
            ) : (
              <>
                Aim with the dial or the map
                <span className="keyboard-hint">; Enter steps</span>.
              </>
            )}
          </p>
          <FeedbackPanel feedback={feedback} turn={you.feedback.length} />
          <LossRace series={raceSeries(round)} turns={round.settings.turns} />
          <Members snapshot={snapshot} showMoved />
        </div>
      </div>
    </div>
  );
}

/** A host who does not play, a spectator, or someone who joined mid-round: the live race only. */
export function Spectate({ snapshot, clockOffset }: PlayProps) {
  const round = snapshot.round as Round;
  return (
    <div className="play" data-testid="spectate">
      <TurnHeader snapshot={snapshot} clockOffset={clockOffset} />
      <p className="muted">
        {snapshot.you.inRound || snapshot.you.role !== "player"
          ? "You are watching this round: positions stay hidden until the reveal."
          : "You joined during a round: you play from the next one."}
      </p>
      <LossRace series={raceSeries(round)} turns={round.settings.turns} />
      <Members snapshot={snapshot} showMoved />
    </div>
  );
}

/**
 * When the round starts, the button that started it is gone and the focus with it: a keyboard
 * player finds it on the dial instead of back at the top of the page.
 */
function useFocusOnDial(): void {
  useEffect(() => {
    const active = document.activeElement;
    if (active && active !== document.body) return;
    document
      .querySelector<SVGSVGElement>('[data-testid="direction-dial"]')
      ?.focus({ preventScroll: true });
  }, []);
}
