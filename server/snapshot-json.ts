import type { RoundView } from "../lib/game";
import type { RoomSnapshot } from "../lib/protocol";

/**
 * The JSON text of many snapshots of one room broadcast, with the big shared arrays serialised
 * once. Every player's round view (lib/game `viewMaker`) shares the loss race, the revealed paths
 * and the ranking with the spectator's view except for the viewer's own entry (`you: true`); so
 * each of those arrays is turned into text once per broadcast, and a player's copy is that text
 * with one element replaced. In a room of N players this makes a broadcast O(N) number
 * formatting instead of O(N²). The members' list is shared the same way (each viewer's copy marks
 * their own entry `you`), and the settings object, one of two per broadcast, is serialised once.
 * The result is exactly `JSON.stringify(snapshot)`.
 */

interface ArrayText {
  readonly text: string;
  /** [start, end) of each element in `text`. */
  readonly spans: readonly (readonly [number, number])[];
}

// Markers stand in for the arrays while the rest is serialised natively. They hold a control
// character, which JSON escapes as `\u0001`; no nickname or surface text contains one (control
// characters are refused in nicknames), and every marker must be found exactly once or the
// snapshot is serialised the plain way.
const MARKS = [
  "\u0001race\u0001",
  "\u0001paths\u0001",
  "\u0001ranking\u0001",
  "\u0001round\u0001",
  "\u0001members\u0001",
  "\u0001settings\u0001",
];
const MARK_TEXT = MARKS.map((m) => JSON.stringify(m));
const [ROUND, MEMBERS, SETTINGS] = [3, 4, 5] as const;

/** One broadcast's cache: create one per broadcast, with the spectator's view of the round. */
export class SnapshotJson {
  private readonly texts = new Map<readonly unknown[], ArrayText>();
  private readonly settingsTexts = new Map<RoomSnapshot["settings"], string>();

  /**
   * @param base the spectator's round view from the same view maker as the snapshots' views.
   * @param members the members' list the snapshots' lists are copies of with the viewer's entry
   *   replaced (lib/room's `roomViewMaker(…).members`), if any.
   */
  constructor(
    private readonly base: RoundView | null,
    private readonly members: RoomSnapshot["members"] | null = null,
  ) {}

  /** `JSON.stringify(snapshot)`, reusing the text of the base view's arrays. */
  stringify(snapshot: RoomSnapshot): string {
    const round = snapshot.round;
    const base = this.base;
    if (!round || !base || round.race.players.length < 8) return JSON.stringify(snapshot);
    const roundText = this.roundText(round, base);
    if (roundText === null) return JSON.stringify(snapshot);
    // The settings object is one of two (the host's, everyone else's): its text once each.
    let settingsText = this.settingsTexts.get(snapshot.settings);
    if (settingsText === undefined) {
      settingsText = JSON.stringify(snapshot.settings);
      this.settingsTexts.set(snapshot.settings, settingsText);
    }
    const membersText = this.members
      ? this.arrayText(snapshot.members, this.members)
      : JSON.stringify(snapshot.members);
    const outer = JSON.stringify({
      ...snapshot,
      members: MARKS[MEMBERS],
      settings: MARKS[SETTINGS],
      round: MARKS[ROUND],
    });
    const parts: [number, number, string][] = [];
    for (const [mark, text] of [
      [ROUND, roundText],
      [MEMBERS, membersText],
      [SETTINGS, settingsText],
    ] as const) {
      const at = findOnce(outer, MARK_TEXT[mark]!);
      if (at < 0) return JSON.stringify(snapshot);
      parts.push([at, at + MARK_TEXT[mark]!.length, text]);
    }
    parts.sort((a, b) => a[0] - b[0]);
    // Everything is assembled in one concatenation of slices of flat strings: searching a
    // half-built (rope) string would flatten it again and again.
    let out = "";
    let from = 0;
    for (const [start, end, text] of parts) {
      out += outer.slice(from, start) + text;
      from = end;
    }
    return out + outer.slice(from);
  }

  /** The text of `round`, its big arrays from the base's cached text; null if it cannot be. */
  private roundText(round: RoundView, base: RoundView): string | null {
    const reveal = round.reveal;
    const baseReveal = base.reveal;
    if ((reveal === null) !== (baseReveal === null)) return null;
    const arrays: [readonly object[], readonly object[]][] = [
      [round.race.players, base.race.players],
    ];
    if (reveal && baseReveal) {
      arrays.push([reveal.players, baseReveal.players]);
      arrays.push([reveal.results.ranking, baseReveal.results.ranking]);
    }
    const skeleton: RoundView = {
      ...round,
      race: { ...round.race, players: MARKS[0] as unknown as RoundView["race"]["players"] },
      reveal: reveal && {
        ...reveal,
        players: MARKS[1] as unknown as typeof reveal.players,
        results: {
          ...reveal.results,
          ranking: MARKS[2] as unknown as typeof reveal.results.ranking,
        },
      },
    };
    const text = JSON.stringify(skeleton);
    let out = "";
    let from = 0;
    for (let i = 0; i < arrays.length; i++) {
      const [array, baseArray] = arrays[i]!;
      const mark = MARK_TEXT[i]!;
      const at = findOnce(text, mark);
      if (at < from) return null;
      out += text.slice(from, at) + this.arrayText(array, baseArray);
      from = at + mark.length;
    }
    return out + text.slice(from);
  }

  /** The text of `array`: the base's cached text with the elements that differ replaced. */
  private arrayText(array: readonly object[], baseArray: readonly object[]): string {
    if (array.length !== baseArray.length) return JSON.stringify(array);
    let cached = this.texts.get(baseArray);
    if (!cached) {
      const spans: [number, number][] = [];
      let text = "[";
      for (let i = 0; i < baseArray.length; i++) {
        if (i > 0) text += ",";
        const element = JSON.stringify(baseArray[i]);
        spans.push([text.length, text.length + element.length]);
        text += element;
      }
      text += "]";
      cached = { text, spans };
      this.texts.set(baseArray, cached);
    }
    let out = "";
    let from = 0;
    for (let i = 0; i < array.length; i++) {
      if (array[i] === baseArray[i]) continue;
      const [start, end] = cached.spans[i]!;
      out += cached.text.slice(from, start) + JSON.stringify(array[i]);
      from = end;
    }
    return from === 0 ? cached.text : out + cached.text.slice(from);
  }
}

/** The index of the one occurrence of `mark` in `text`, or -1 when there is none or several. */
function findOnce(text: string, mark: string): number {
  const at = text.indexOf(mark);
  if (at < 0 || text.indexOf(mark, at + mark.length) >= 0) return -1;
  return at;
}
