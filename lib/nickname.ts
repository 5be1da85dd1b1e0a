/**
 * How nicknames are compared (unique in a room, a competition's entrants and bans, the order of
 * standings): NFKC-normalised and lower-cased, so "Ann", "ANN" and a full-width "Ａｎｎ" are one
 * name. The one definition of it: the rooms, the classroom and the standings all use this.
 */
export function nicknameKey(nickname: string): string {
  return nickname.normalize("NFKC").toLowerCase();
}

/** Graphemes are what a person sees as one character: "é", "👍🏽" and "👨‍👩‍👧" each count 1. */
const graphemes =
  typeof Intl !== "undefined" && "Segmenter" in Intl
    ? new Intl.Segmenter(undefined, { granularity: "grapheme" })
    : null;

/**
 * A nickname's length as its reader counts it: grapheme clusters of its NFC form (code points
 * where Intl.Segmenter is missing). The limit (NICKNAME_MAX_LENGTH) is in these units, on the
 * server and while typing.
 */
export function nicknameLength(nickname: string): number {
  const text = nickname.normalize("NFC");
  if (!graphemes) return [...text].length;
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}
