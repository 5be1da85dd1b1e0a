import type { ReactNode } from "react";
import { typesetFormula } from "../../lib/surfaces/formula-typeset";
import type { FormulaPiece } from "../../lib/surfaces/formula-typeset";

function render(pieces: readonly FormulaPiece[]): ReactNode[] {
  return pieces.map((p, i) =>
    p.kind === "text" ? <span key={i}>{p.text}</span> : <sup key={i}>{render(p.pieces)}</sup>,
  );
}

/**
 * A surface's formula as the reveal and the replay show it: a teacher's formula (a `formula`
 * ref) typeset with superscripts (docs/SPEC.md F8), every other surface's text as written.
 */
export function FormulaText({ formula, typeset }: { formula: string; typeset: boolean }) {
  if (!typeset) return <>{formula}</>;
  return (
    <>
      <span className="formula-lhs">L(w, b) = </span>
      {render(typesetFormula(formula))}
    </>
  );
}
