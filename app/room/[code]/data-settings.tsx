"use client";

import { useState } from "react";
import type { FormulaPreview, RoomSettingsInput } from "../../../lib/protocol";
import { DATA_MAX_POINTS, DATA_MIN_POINTS } from "../../../lib/surfaces/data-limits";
import { pointsText, readPoints } from "../../../lib/surfaces/data-text";
import { formatLoss } from "../../lib/plot";
import { FormulaMap } from "./formula-map";
import { SaveToLibrary } from "../../components/save-surface";

export type DataChoice = Extract<NonNullable<RoomSettingsInput["surface"]>, { kind: "data" }>;

/** What a new data box starts with: the seed article's two points on the catalog neuron's box. */
export const DEFAULT_DATA: DataChoice = {
  kind: "data",
  points: [
    [0.5, 0.2],
    [2.5, 0.9],
  ],
  box: { min: [-6, -6], max: [6, 6] },
};

/**
 * The host's own data for the seed's neuron (docs/SPEC.md F9–F11): the points (x, y) typed or
 * pasted as CSV, the w and b ranges, and a button that sends them; the server checks them and
 * either refuses them (the message is shown under the box) or answers with the difficulty
 * read-out only the host sees.
 */
export function DataSettings({
  current,
  turns,
  submit,
}: {
  current: DataChoice | null;
  turns: number;
  submit: (
    surface: DataChoice,
  ) => Promise<{ ok: true; preview: FormulaPreview | null } | { ok: false; message: string }>;
}) {
  const start = current ?? DEFAULT_DATA;
  const [text, setText] = useState(() => pointsText(start.points));
  const [range, setRange] = useState(() => [
    String(start.box.min[0]),
    String(start.box.max[0]),
    String(start.box.min[1]),
    String(start.box.max[1]),
  ]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<{
    preview: FormulaPreview;
    turns: number;
    surface: DataChoice;
  } | null>(null);

  const num = (v: string) => (v.trim() === "" ? NaN : Number(v));
  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    const [w0, w1, b0, b1] = range.map(num) as [number, number, number, number];
    if (![w0, w1, b0, b1].every(Number.isFinite)) {
      setError("The w and b ranges need four numbers.");
      return;
    }
    const read = readPoints(text);
    if (!read.ok) {
      setError(read.message);
      setPreview(null);
      return;
    }
    setBusy(true);
    setError(null);
    const surface: DataChoice = {
      kind: "data",
      points: read.points,
      box: { min: [w0, b0], max: [w1, b1] },
    };
    const result = await submit(surface);
    setBusy(false);
    if (result.ok) {
      setPreview(result.preview ? { preview: result.preview, turns, surface } : null);
    } else {
      setPreview(null);
      const message = result.message.replace(/^data: /i, "").replace(/^surface\.points: /i, "");
      setError(message.charAt(0).toUpperCase() + message.slice(1));
    }
  };

  const rangeInput = (index: number, label: string) => (
    <input
      type="text"
      inputMode="decimal"
      aria-label={label}
      value={range[index]}
      onChange={(e) => setRange(range.map((v, i) => (i === index ? e.target.value : v)))}
      data-testid={`data-range-${index}`}
    />
  );

  return (
    <form className="formula-settings" onSubmit={onSubmit} data-testid="data-settings">
      <label className="field">
        <span>
          Points x, y ({DATA_MIN_POINTS}–{DATA_MAX_POINTS}, one a line, or paste CSV)
        </span>
        <textarea
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          rows={5}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={error !== null}
          aria-describedby="data-help data-error"
          data-testid="data-points"
        />
      </label>
      <p id="data-help" className="muted small">
        The round is the seed&apos;s neuron f(x) = σ(wx + b) fitted to these points, L(w, b) = ½ Σ
        (σ(w xᵢ + b) − yᵢ)²; y between 0 and 1. Only you see them until the reveal.
      </p>
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
      <div className="action-row">
        <button type="submit" disabled={busy} data-testid="data-use">
          {busy ? "Checking…" : "Check and use these points"}
        </button>
      </div>
      {error ? (
        <p id="data-error" className="formula-error" role="alert" data-testid="data-error">
          {error}
        </p>
      ) : null}
      {preview ? (
        <div className="formula-preview-row">
          <FormulaMap
            points={preview.surface.points}
            box={preview.surface.box}
            start={preview.preview.start}
          />
          <dl className="settings-read formula-preview" data-testid="data-preview">
            <dt>Bot&apos;s loss after {preview.turns} turns</dt>
            <dd>
              {formatLoss(preview.preview.botFinalLoss)} (start{" "}
              {formatLoss(preview.preview.startLoss)}, best fit{" "}
              {formatLoss(preview.preview.minimumLoss)})
            </dd>
            <dt>Start → best fit</dt>
            <dd>{preview.preview.distance.toFixed(2)} apart</dd>
          </dl>
          <SaveToLibrary surface={preview.surface} />
        </div>
      ) : null}
    </form>
  );
}
