import { describe, expect, it } from "vitest";
import { RoundErrorCode } from "../game/errors";
import {
  applyProgress,
  CLIENT_EVENTS,
  clientSchemas,
  ErrorCode,
  isClientEventName,
  isErrorCode,
  parseClientPayload,
  ROOM_CODE_ALPHABET,
} from "./index";
import type { RoomSnapshot } from "./index";

describe("error codes", () => {
  it("include every round rule code, unchanged, and the transport and room codes", () => {
    for (const code of Object.values(RoundErrorCode)) expect(ErrorCode[code]).toBe(code);
    for (const code of [
      "BAD_REQUEST",
      "UNKNOWN_EVENT",
      "RATE_LIMITED",
      "ROOM_NOT_FOUND",
      "NICKNAME_TAKEN",
      "NICKNAME_INVALID",
      "NOT_HOST",
      "NOT_IN_ROOM",
      "ROUND_IN_PROGRESS",
    ]) {
      expect(isErrorCode(code), code).toBe(true);
    }
    expect(isErrorCode("toString")).toBe(false);
  });
});

describe("event names", () => {
  it("every client event has a schema; prototype names are not events", () => {
    expect(CLIENT_EVENTS).toHaveLength(Object.keys(clientSchemas).length);
    for (const event of CLIENT_EVENTS) expect(isClientEventName(event)).toBe(true);
    for (const name of ["__proto__", "constructor", "toString", "", "room:Join"])
      expect(isClientEventName(name)).toBe(false);
  });
});

describe("room codes", () => {
  it("are trimmed, upper-cased, freed of spaces and dashes", () => {
    const r = parseClientPayload("room:watch", { code: " k7m-2qx " });
    expect(r).toEqual({ ok: true, data: { code: "K7M2QX" } });
  });
  it("use an alphabet without look-alikes", () => {
    for (const c of "01ILO") expect(ROOM_CODE_ALPHABET).not.toContain(c);
    const r = parseClientPayload("room:watch", { code: "K7M2Q0" });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toEqual({
        code: "BAD_REQUEST",
        message: `room:watch: code must be 6 characters from ${ROOM_CODE_ALPHABET}, e.g. K7M2QX`,
      });
  });
});

describe("nicknames", () => {
  const nick = (nickname: unknown) => parseClientPayload("room:join", { code: "K7M2QX", nickname });
  it("are trimmed and their inner whitespace collapsed", () => {
    expect(nick("  Ada   Lovelace ")).toEqual({
      ok: true,
      data: { code: "K7M2QX", nickname: "Ada Lovelace" },
    });
  });
  it("count what a person sees (grapheme clusters): 24 family emoji pass, 25 letters do not", () => {
    expect(nick("😀".repeat(24)).ok).toBe(true);
    // 👨‍👩‍👧 is five code points but one character on screen; 👍🏽 two.
    expect(nick("👨‍👩‍👧".repeat(12) + "👍🏽".repeat(12)).ok).toBe(true);
    expect(nick("é".normalize("NFD").repeat(24)).ok).toBe(true);
    expect(nick("👨‍👩‍👧".repeat(25)).ok).toBe(false);
    const r = nick("a".repeat(25));
    expect(r.ok ? null : r.error).toEqual({
      code: "NICKNAME_INVALID",
      message: "room:join: nickname must be 1 to 24 characters after trimming, got 25",
    });
  });
  it.each([
    ["tab\there"],
    ["nul\u0000"],
    ["rtl\u202Eoverride"],
    ["zero\u200Bwidth"],
    ["line\u2028sep"],
  ])("refuse control and invisible characters: %j", (value) => {
    const r = nick(value);
    expect(r.ok ? null : r.error.code).toBe("NICKNAME_INVALID");
  });
  it("refuse non-strings with a readable message", () => {
    const r = nick(42);
    expect(r.ok ? null : r.error).toEqual({
      code: "NICKNAME_INVALID",
      message: "room:join: nickname must be a string, got 42",
    });
  });
});

describe("payloads", () => {
  it("are strict objects: unknown fields are refused", () => {
    const r = parseClientPayload("round:move", { turn: 0, angle: 0, eta: 1, playerId: "x" });
    expect(r.ok ? null : r.error).toEqual({
      code: "BAD_REQUEST",
      message: "round:move: unknown field: playerId",
    });
  });
  it("map a move's angle and eta problems to INVALID_MOVE, a missing host token to NOT_HOST", () => {
    const m = parseClientPayload("round:move", { turn: 0, angle: "north", eta: 1 });
    expect(m.ok ? null : m.error.code).toBe("INVALID_MOVE");
    const h = parseClientPayload("round:start", { code: "K7M2QX" });
    expect(h.ok ? null : h.error.code).toBe("NOT_HOST");
  });
  it("apply the settings' defaults, and refuse a bad setting as INVALID_SETTINGS", () => {
    const ok = parseClientPayload("room:create", { mode: "room" });
    expect(ok).toEqual({ ok: true, data: { mode: "room" } });
    const withSettings = parseClientPayload("room:settings", {
      code: "K7M2QX",
      hostToken: "A".repeat(24),
      settings: {},
    });
    expect(withSettings.ok && withSettings.data.settings).toEqual({
      turns: 12,
      secondsPerTurn: 30,
      hint: "gradient",
      bot: { optimizer: "gd" },
      surface: { kind: "surprise" },
    });
    const bad = parseClientPayload("room:settings", {
      code: "K7M2QX",
      hostToken: "A".repeat(24),
      settings: { turns: 0 },
    });
    expect(bad.ok ? null : bad.error).toEqual({
      code: "INVALID_SETTINGS",
      message: "room:settings: turns must be an integer from 1 to 100, got 0",
    });
  });
  it("solo practice needs a nickname and the host playing", () => {
    const r = parseClientPayload("room:create", { mode: "solo" });
    expect(r.ok ? null : r.error.code).toBe("NICKNAME_INVALID");
    const s = parseClientPayload("room:create", { mode: "solo", nickname: "Me", hostPlays: false });
    expect(s.ok ? null : s.error.message).toMatch(/solo practice is played by its host/);
  });
});

describe("applyProgress", () => {
  const base = {
    code: "K7M2QX",
    rev: 5,
    roundNumber: 1,
    phase: "playing",
    members: [
      {
        nickname: "A",
        connected: true,
        inRound: true,
        moved: false,
        you: true,
        host: false,
        seat: 0,
      },
      {
        nickname: "B",
        connected: true,
        inRound: true,
        moved: false,
        you: false,
        host: false,
        seat: 1,
      },
      {
        nickname: "C",
        connected: true,
        inRound: false,
        moved: false,
        you: false,
        host: false,
        seat: null,
      },
    ],
    round: {
      phase: "playing",
      turn: 2,
      race: {
        players: [
          { seat: 0, moved: false },
          { seat: 1, moved: false },
        ],
        bot: null,
      },
    },
  } as unknown as RoomSnapshot;

  it("patches the moved flags and the rev", () => {
    const next = applyProgress(base, {
      code: "K7M2QX",
      rev: 7,
      roundNumber: 1,
      turn: 2,
      moved: [1],
    });
    expect(next.rev).toBe(7);
    expect(next.members.map((m) => m.moved)).toEqual([false, true, false]);
    expect(next.round!.race.players.map((p) => p.moved)).toEqual([false, true]);
    expect(base.members[1]!.moved).toBe(false);
  });
  it("ignores stale patches and patches of another turn, round or room", () => {
    for (const p of [
      { code: "K7M2QX", rev: 5, roundNumber: 1, turn: 2, moved: [1] },
      { code: "K7M2QX", rev: 9, roundNumber: 1, turn: 3, moved: [1] },
      { code: "K7M2QX", rev: 9, roundNumber: 2, turn: 2, moved: [1] },
      { code: "AAAAAA", rev: 9, roundNumber: 1, turn: 2, moved: [1] },
    ]) {
      expect(applyProgress(base, p)).toBe(base);
    }
  });
});
