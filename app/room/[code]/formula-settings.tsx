"use client";

import { useState } from "react";
import type { FormulaPreview, RoomSettingsInput } from "../../../lib/protocol";
import { FORMULA_MAX_LENGTH } from "../../../lib/surfaces/formula-limits";
import { formatLoss } from "../../lib/plot";
import { FormulaMap } from "./formula-map";
import { SaveToLibrary } from "../../components/save-surface";

type FormulaChoice = Extract<NonNullable<RoomSettingsInput["surface"]>, { kind: "formula" }>;

/** What a new formula box starts with: Rosenbrock's valley, as in issue 14. */
export const DEFAULT_FORMULA: FormulaChoice = {
  kind: "formula",
  text: "(1 - w)^2 + 100 (b - w^2)^2",
  box: { min: [-2, -1], max: [2, 3] },
};

/**
 * The host's own formula (docs/SPEC.md F7–F8): a text box for L(w, b), the w and b ranges, and a
 * button that sends them; the server checks the formula and either refuses it (the message is
 * shown here, under the box) or answers with the difficulty read-out only the host sees.
 */
export function FormulaSettings({
  current,
  turns,
  submit,
}: {
  current: FormulaChoice | null;
  turns: number;
  submit: (
    surface: FormulaChoice,
  ) => Promise<{ ok: true; preview: FormulaPreview | null } | { ok: false; message: string }>;
}) {
  const start = current ?? DEFAULT_FORMULA;
  const [text, setText] = useState(start.text);
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
    surface: FormulaChoice;
  } | null>(null);

  const num = (v: string) => (v.trim() === "" ? NaN : Number(v));
  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    const [w0, w1, b0, b1] = range.map(num) as [number, number, number, number];
    if (![w0, w1, b0, b1].every(Number.isFinite)) {
      setError("The w and b ranges need four numbers.");
      return;
    }
    setBusy(true);
    setError(null);
    const surface: FormulaChoice = { kind: "formula", text, box: { min: [w0, b0], max: [w1, b1] } };
    const result = await submit(surface);
    setBusy(false);
    if (result.ok) {
      setPreview(result.preview ? { preview: result.preview, turns, surface } : null);
    } else {
      setPreview(null);
      // The box says what it is about: "formula: " goes, the sentence keeps its capital.
      const message = result.message.replace(/^formula: /i, "");
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
      data-testid={`formula-range-${index}`}
    />
  );

  return (
    <form className="formula-settings" onSubmit={onSubmit} data-testid="formula-settings">
      <label className="field">
        <span>L(w, b) =</span>
        <input
          type="text"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          maxLength={FORMULA_MAX_LENGTH}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={error !== null}
          aria-describedby="formula-help formula-error"
          data-testid="formula-text"
        />
      </label>
      <p id="formula-help" className="muted small">
        w, b, numbers, + − * / ^, parentheses, pi, e and sin cos tan exp log sqrt abs tanh sinh cosh
        atan. Only you see it until the reveal.
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
        <button type="submit" disabled={busy} data-testid="formula-use">
          {busy ? "Checking…" : "Check and use this formula"}
        </button>
      </div>
      {error ? (
        <p id="formula-error" className="formula-error" role="alert" data-testid="formula-error">
          {error}
        </p>
      ) : null}
      {preview ? (
        <div className="formula-preview-row">
          <FormulaMap
            text={preview.surface.text}
            box={preview.surface.box}
            start={preview.preview.start}
          />
          <dl className="settings-read formula-preview" data-testid="formula-preview">
            <dt>Bot&apos;s loss after {preview.turns} turns</dt>
            <dd>
              {formatLoss(preview.preview.botFinalLoss)} (start{" "}
              {formatLoss(preview.preview.startLoss)}, minimum{" "}
              {formatLoss(preview.preview.minimumLoss)})
            </dd>
            <dt>Start → minimum</dt>
            <dd>{preview.preview.distance.toFixed(2)} apart</dd>
          </dl>
          <SaveToLibrary surface={preview.surface} />
        </div>
      ) : null}
    </form>
  );
}
