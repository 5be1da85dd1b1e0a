/**
 * The limits of a formula surface (docs/SPEC.md F1), apart from lib/surfaces/formula.ts so that
 * the protocol's schemas and the browser can use them without loading mathjs.
 */

/** Longest formula text accepted (F1). */
export const FORMULA_MAX_LENGTH = 200;
/** Deepest expression tree accepted (F1). */
export const FORMULA_MAX_DEPTH = 24;
/** Widest box side accepted (F1). */
export const FORMULA_MAX_BOX_SIDE = 100;
/** Most nodes of the five derivative trees together (gradient and Hessian, F1). */
export const FORMULA_MAX_DERIVATIVE_NODES = 3000;
