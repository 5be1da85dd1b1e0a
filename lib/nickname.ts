/**
 * How nicknames are compared (unique in a room, a competition's entrants and bans, the order of
 * standings): NFKC-normalised and lower-cased, so "Ann", "ANN" and a full-width "Ａｎｎ" are one
 * name. The one definition of it: the rooms, the classroom and the standings all use this.
 */
export function nicknameKey(nickname: string): string {
  return nickname.normalize("NFKC").toLowerCase();
}
