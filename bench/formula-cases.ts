/**
 * Catalog surfaces typed as formula text over the catalog's own box, for `npm run bench:lib`'s
 * formula section (issue 14 §5): the compiled formula against the hand-written catalog surface.
 */
export const FORMULA_CASES: readonly { readonly id: string; readonly text: string }[] = [
  { id: "booth", text: "(w + 2 b - 7)^2 + (2 w + b - 5)^2" },
  { id: "matyas", text: "0.26 (w^2 + b^2) - 0.48 w b" },
  { id: "three-hump-camel", text: "2 w^2 - 1.05 w^4 + w^6 / 6 + w b + b^2" },
  { id: "himmelblau", text: "(w^2 + b - 11)^2 + (w + b^2 - 7)^2" },
  { id: "rosenbrock", text: "(1 - w)^2 + 100 (b - w^2)^2" },
  {
    id: "beale",
    text: "(1.5 - w + w b)^2 + (2.25 - w + w b^2)^2 + (2.625 - w + w b^3)^2",
  },
  {
    id: "neuron",
    text: "0.5 ((1 / (1 + exp(-(0.5 w + b))) - 0.2)^2 + (1 / (1 + exp(-(2.5 w + b))) - 0.9)^2)",
  },
];
