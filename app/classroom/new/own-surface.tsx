"use client";

import { useState } from "react";
import type { RoomSettingsInput } from "../../../lib/protocol";
import { FORMULA_MAX_LENGTH } from "../../../lib/surfaces/formula-limits";
import { pointsText, readPoints } from "../../../lib/surfaces/data-text";

type Choice = NonNullable<RoomSettingsInput["surface"]>;
type Own = Extract<Choice, { kind: "formula" | "data" }>;

/**
 * A planned round's own surface in the classroom plan (docs/SPEC.md F7, F12): the formula's text
 * or the class's points (typed or pasted as CSV), and the w and b ranges. The server checks every
 * planned round when the competition is created ("round 2: formula: …"); a line of points that is
 * not two numbers is reported here at once (`onProblem`), and the plan cannot be sent with it.
 */
export function OwnSurfaceFields({
  round,
  surface,
  onChange,
  onProblem,
}: {
  round: number;
  surface: Own;
  onChange: (surface: Own) => void;
  onProblem: (problem: string | null) => void;
}) {
  const [text, setText] = useState(() =>
    surface.kind === "formula" ? surface.text : pointsText(surface.points),
  );
  const [range, setRange] = useState(() => [
    String(surface.box.min[0]),
    String(surface.box.max[0]),
    String(surface.box.min[1]),
    String(surface.box.max[1]),
  ]);
  const [problem, setProblem] = useState<string | null>(null);

  const emit = (nextText: string, nextRange: string[]) => {
    const [w0, w1, b0, b1] = nextRange.map((v) => (v.trim() === "" ? NaN : Number(v))) as [
      number,
      number,
      number,
      number,
    ];
    let issue: string | null = null;
    if (![w0, w1, b0, b1].every(Number.isFinite)) issue = "The w and b ranges need four numbers.";
    const box = { min: [w0, b0] as [number, number], max: [w1, b1] as [number, number] };
    if (surface.kind === "formula") {
      if (!issue) onChange({ kind: "formula", text: nextText, box });
    } else {
      const read = readPoints(nextText);
      if (!read.ok) issue = read.message;
      else if (!issue) onChange({ kind: "data", points: read.points, box });
    }
    setProblem(issue);
    onProblem(issue ? `Round ${round}: ${issue}` : null);
  };

  const rangeInput = (index: number, label: string) => (
    <input
      type="text"
      inputMode="decimal"
      aria-label={`Round ${round}: ${label}`}
      value={range[index]}
      onChange={(e) => {
        const next = range.map((v, i) => (i === index ? e.target.value : v));
        setRange(next);
        emit(text, next);
      }}
      data-testid={`plan-range-${index}`}
    />
  );

  return (
    <div className="formula-settings plan-own-surface" data-testid="plan-own-surface">
      {surface.kind === "formula" ? (
        <label className="field">
          <span>L(w, b) =</span>
          <input
            type="text"
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            maxLength={FORMULA_MAX_LENGTH}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              emit(e.target.value, range);
            }}
            data-testid="plan-formula-text"
          />
        </label>
      ) : (
        <label className="field">
          <span>Points x, y (2–50, one a line, or paste CSV)</span>
          <textarea
            rows={4}
            spellCheck={false}
            autoCapitalize="off"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              emit(e.target.value, range);
            }}
            aria-invalid={problem !== null}
            data-testid="plan-data-points"
          />
        </label>
      )}
      <div className="formula-ranges">
        <span className="muted">w from</span>
        {rangeInput(0, "w from")}
        <span className="muted">to</span>
        {rangeInput(1, "w to")}
        <span className="muted">b from</span>
        {rangeInput(2, "b from")}
        <span className="muted">to</span>
        {rangeInput(3, "b to")}
      </div>
      {problem ? (
        <p className="formula-error" role="alert" data-testid="plan-surface-error">
          {problem}
        </p>
      ) : (
        <p className="muted small">
          Checked by the server when you create the competition; only you see it until its reveal.
        </p>
      )}
    </div>
  );
}
