/**
 * A server message as a sentence for people: the event prefix ("room:settings: ") dropped, the
 * protocol's field names in the words the page uses (η_max, not "EtaMax"), a capital first letter.
 */
const FIELD_WORDS: readonly [RegExp, string][] = [
  [/\betaMax\b/g, "η_max"],
  [/\bsecondsPerTurn\b/g, "seconds per turn"],
  [/\bnoRankings\b/g, "no rankings"],
  [/\bhostPlays\b/g, "host plays"],
];

export function sentence(raw: string): string {
  let t = raw.replace(/^[a-z]+:[a-z]+: /, "");
  for (const [pattern, words] of FIELD_WORDS) t = t.replace(pattern, words);
  // "η" has no capital worth showing: only Latin first letters are raised.
  return /^[a-z]/.test(t) ? t.charAt(0).toUpperCase() + t.slice(1) : t;
}
