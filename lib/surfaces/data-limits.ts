/**
 * The bounds of a data round (docs/SPEC.md F9), apart from lib/surfaces/data.ts so that the
 * protocol's schemas and the settings form can use them without the neuron's code.
 */

/** Fewest points of a data round. */
export const DATA_MIN_POINTS = 2;
/** Most points of a data round. */
export const DATA_MAX_POINTS = 50;
/** Largest |x| of a point. */
export const DATA_MAX_X = 1000;
/** Widest side of a data round's box (as for formulas). */
export const DATA_MAX_BOX_SIDE = 100;
