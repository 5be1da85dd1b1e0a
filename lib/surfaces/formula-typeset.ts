/**
 * A teacher's formula typeset simply for the reveal (docs/SPEC.md F8): powers as superscripts,
 * `*` as a centred dot, minus signs as −, `pi` as π. Works on the text alone (no mathjs), so the
 * browser can show it without loading the parser; the text was whitelisted by the server (F1).
 */

/** A run of text, or a superscript holding its own pieces. */
export type FormulaPiece =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "sup"; readonly pieces: readonly FormulaPiece[] };

function words(text: string): string {
  return text
    .replace(/\s*\*\s*/g, "·")
    .replace(/-/g, "−")
    .replace(/\bpi\b/g, "π");
}

/** The index just after the exponent that starts at `i` (after the `^`). */
function exponentEnd(text: string, i: number): number {
  let j = i;
  while (text[j] === " ") j++;
  if (text[j] === "-" || text[j] === "+") j++;
  if (text[j] === "(") {
    let depth = 0;
    for (; j < text.length; j++) {
      if (text[j] === "(") depth++;
      else if (text[j] === ")" && --depth === 0) return j + 1;
    }
    return text.length;
  }
  const m = /^(\d+(\.\d*)?|\.\d+|[A-Za-z_]\w*(\([^()]*\))?)/.exec(text.slice(j));
  return j + (m ? m[0].length : 0);
}

/** The pieces of a formula's text, superscripts nested as written. */
export function typesetFormula(text: string): FormulaPiece[] {
  const pieces: FormulaPiece[] = [];
  let run = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== "^") {
      run += c;
      i++;
      continue;
    }
    if (run) pieces.push({ kind: "text", text: words(run.replace(/\s+$/, "")) });
    run = "";
    const end = exponentEnd(text, i + 1);
    let inner = text.slice(i + 1, end).trim();
    if (inner.startsWith("(") && inner.endsWith(")")) inner = inner.slice(1, -1);
    pieces.push({ kind: "sup", pieces: typesetFormula(inner) });
    i = end;
  }
  if (run) pieces.push({ kind: "text", text: words(run) });
  return pieces;
}

/** The typeset formula as plain text (superscripts in `^(…)`), e.g. for a label. */
export function formulaPlainText(pieces: readonly FormulaPiece[]): string {
  return pieces
    .map((p) => (p.kind === "text" ? p.text : `^(${formulaPlainText(p.pieces)})`))
    .join("");
}
