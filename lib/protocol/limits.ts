/**
 * The protocol's plain limits, without zod: the browser's forms import them from here (importing
 * lib/protocol/schemas would bring the validators into the page), the schemas re-export them.
 */

/** The room code alphabet: digits and capitals without the look-alikes 0, 1, I, L, O. */
export const ROOM_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/** Characters in a room code: 31⁶ ≈ 8.9·10⁸ codes (about 29.7 bits). */
export const ROOM_CODE_LENGTH = 6;
/** Longest nickname, in characters as a person counts them (grapheme clusters, after trimming). */
export const NICKNAME_MAX_LENGTH = 24;
/** And at most this many code points (a grapheme can hold many: skin tones, families, accents). */
export const NICKNAME_MAX_CODE_POINTS = 96;
/**
 * Largest payload the server handles, as the length of its JSON text. Larger payloads (up to the
 * transport's limit) are refused with `PAYLOAD_TOO_LARGE`; beyond the transport limit
 * ({@link TRANSPORT_MAX_BYTES}) Socket.IO closes the connection.
 */
export const MAX_PAYLOAD_CHARS = 2048;
/** Socket.IO's `maxHttpBufferSize`: a message larger than this closes the connection. */
export const TRANSPORT_MAX_BYTES = 8 * 1024;
/** Longest competition name, in code points (after trimming). */
export const COMPETITION_NAME_MAX_LENGTH = 60;
/** Most rounds a competition may plan (a plan of 8 fits in {@link MAX_PAYLOAD_CHARS}). */
export const COMPETITION_MAX_ROUNDS = 8;
