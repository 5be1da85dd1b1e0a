import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH } from "../lib/protocol";

/**
 * Room codes and secret tokens, from the operating system's cryptographic randomness.
 *
 * A room code is 6 characters from a 31-character alphabet: 31⁶ ≈ 8.9·10⁸ codes (29.7 bits). With
 * R open rooms a guessed code hits one with probability R/8.9·10⁸ (1.1·10⁻⁶ for 1,000 rooms), and
 * each socket may try at most a handful of codes per second (rate limit). A code only lets you
 * join as a player or watch: the host token is needed for anything else.
 */

/** Bytes of randomness in a host or seat token: 18 bytes = 144 bits, 24 base64url characters. */
export const TOKEN_BYTES = 18;

/** A fresh room code, uniform over the alphabet. */
export function newRoomCode(): string {
  let code = "";
  for (let i = 0; i < ROOM_CODE_LENGTH; i++)
    code += ROOM_CODE_ALPHABET[randomInt(ROOM_CODE_ALPHABET.length)];
  return code;
}

/** A fresh secret token (host or seat). */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

/** A fresh opaque player id (not a secret, but never shown to other players). */
export function newPlayerId(): string {
  return randomBytes(9).toString("base64url");
}

/** A fresh id for a finished round: its key in the database and in `/replays/<id>`. */
export function newRoundId(): string {
  return randomBytes(12).toString("base64url");
}

/** A uniform unsigned 32-bit integer (a round's seed, a procedural surface's seed). */
export function randomUint32(): number {
  return randomBytes(4).readUInt32BE(0);
}

/** A uniform integer in [0, n). */
export function randomBelow(n: number): number {
  return randomInt(n);
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/**
 * Whether two tokens are equal, in time independent of where they differ (both sides are hashed
 * to 32 bytes first, so lengths leak nothing either).
 */
export function tokensEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** SHA-256 of a token, hex: what is stored to recognise a host token later (never the token). */
export function tokenHash(token: string): string {
  return digest(token).toString("hex");
}
