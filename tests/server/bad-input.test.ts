import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_EVENTS, ErrorCode } from "../../lib/protocol";
import type { RoomSnapshot } from "../../lib/protocol";
import { connect, ok, startServer } from "./harness";
import type { TestClient, TestServer } from "./harness";
import { ManualClock } from "./manual-clock";
import { FormulaAnalyser } from "../../server/formula-analysis";

/**
 * Issue 3 §4, table-driven: every client event, and every kind of bad request (malformed,
 * non-finite, out-of-range, wrong type, oversized, unknown event, out of turn, after the round,
 * duplicate, other player, non-host, unknown room) gets `{ ok: false, error: { code, message } }`
 * and changes nothing: both rooms' snapshots are identical before and after, and no connection
 * receives a new `room:state`.
 */

let server: TestServer;
let host: TestClient; // hosts room 1 without playing
let ann: TestClient; // player in room 1, has moved in turn 0
let bob: TestClient; // player in room 1, has not moved
let spectator: TestClient; // watches room 1
let outsider: TestClient; // in no room
let cid: TestClient; // solo player of room 2, whose round is revealed
let code: string;
let hostToken: string;
let annSeat: string;
let code2: string;
let hostToken2: string;
let etaMax: number;

beforeAll(async () => {
  // A manual clock, and throttles that are always free: every pending snapshot goes out at the
  // next turn of the event loop, so the table can start once they have arrived (no sleep).
  // The formula rows' analysis thread, started before the table (it loads mathjs: seconds).
  const formulas = new FormulaAnalyser();
  await formulas.check({ text: "w^2 + b^2", box: { min: [-1, -1], max: [1, 1] } });
  server = await startServer({
    clock: new ManualClock({ runDue: true }),
    limits: { presenceIntervalMs: 0, progressIntervalMs: 0 },
    formulas,
  });
  host = await connect(server.url, "host");
  const created = ok(
    await host.request("room:create", {
      mode: "room",
      settings: { surface: { kind: "catalog", id: "booth" }, turns: 3, secondsPerTurn: 0 },
    }),
  );
  code = created.code;
  hostToken = created.hostToken;
  ann = await connect(server.url, "ann");
  annSeat = ok(await ann.request("room:join", { code, nickname: "Ann" })).seatToken;
  bob = await connect(server.url, "bob");
  ok(await bob.request("room:join", { code, nickname: "Bob" }));
  spectator = await connect(server.url, "spectator");
  ok(await spectator.request("room:watch", { code }));
  outsider = await connect(server.url, "outsider");
  ok(await host.request("round:start", { code, hostToken }));
  const playing = await ann.waitFor((s) => s.phase === "playing", "playing");
  etaMax = playing.round!.settings.etaMax;
  ok(await ann.request("round:move", { turn: 0, angle: 1, eta: etaMax / 2 }));

  cid = await connect(server.url, "cid");
  const solo = ok(
    await cid.request("room:create", { mode: "solo", nickname: "Cid", settings: { turns: 1 } }),
  );
  code2 = solo.code;
  hostToken2 = solo.hostToken;
  ok(await cid.request("round:start", { code: code2, hostToken: hostToken2 }));
  await cid.waitFor((s) => s.phase === "playing", "solo playing");
  ok(await cid.request("round:move", { turn: 0, angle: 0, eta: 0.1 }));
  await cid.waitFor((s) => s.phase === "revealed", "solo revealed");
  // Let every pending snapshot arrive before the table starts.
  await host.waitFor(
    (s) => s.members.every((m) => m.moved === (m.nickname === "Ann")),
    "Ann's move shown",
  );
  const settled = () => {
    const rev1 = server.game.hub.room(code)?.state.rev;
    const rev2 = server.game.hub.room(code2)?.state.rev;
    return (
      [host, ann, bob, spectator].every((c) => c.latest?.rev === rev1) && cid.latest?.rev === rev2
    );
  };
  for (let i = 0; !settled(); i++) {
    if (i > 100_000) throw new Error("the snapshots never settled");
    await new Promise((resolve) => setImmediate(resolve));
  }
});

afterAll(async () => {
  for (const c of [host, ann, bob, spectator, outsider, cid]) c?.close();
  await server.close();
});

type Who = "host" | "ann" | "bob" | "spectator" | "outsider" | "cid";
interface Row {
  readonly kind: string;
  readonly who: Who;
  readonly event: string;
  /** Arguments before the ack callback (default: `[payload]`). */
  readonly args: () => unknown[];
  readonly code: string;
  /** A fragment the message must contain (case-insensitive). */
  readonly says?: RegExp;
}

const big = "x".repeat(3000);
const p = (payload: () => unknown) => () => [payload()];

const rows: Row[] = [
  // ── malformed ──
  ...CLIENT_EVENTS.flatMap((event): Row[] => [
    {
      kind: "malformed",
      who: "outsider",
      event,
      args: () => ["not an object"],
      code: ErrorCode.BAD_REQUEST,
      says: /object/,
    },
    {
      kind: "malformed",
      who: "outsider",
      event,
      args: () => [[1, 2]],
      code: ErrorCode.BAD_REQUEST,
      says: /object/,
    },
    { kind: "malformed", who: "outsider", event, args: () => [null], code: ErrorCode.BAD_REQUEST },
    {
      kind: "malformed",
      who: "outsider",
      event,
      args: () => [],
      code: ErrorCode.BAD_REQUEST,
      says: /exactly one payload/,
    },
    {
      kind: "malformed",
      who: "outsider",
      event,
      args: () => [{}, {}],
      code: ErrorCode.BAD_REQUEST,
      says: /exactly one payload/,
    },
    {
      kind: "malformed: unknown field",
      who: "outsider",
      event,
      args: () => [{ __proto__hack: 1, sneaky: true }],
      code: event === "room:create" ? ErrorCode.BAD_REQUEST : ErrorCode.BAD_REQUEST,
    },
    {
      kind: "oversized",
      who: "ann",
      event,
      args: p(() => ({ code, pad: big })),
      code: ErrorCode.PAYLOAD_TOO_LARGE,
      says: /at most 2048/,
    },
  ]),
  {
    kind: "malformed: __proto__ key",
    who: "ann",
    event: "round:move",
    args: () => [JSON.parse('{"turn":0,"angle":0,"eta":0.1,"__proto__":{"ok":true}}')],
    code: ErrorCode.BAD_REQUEST,
    says: /unknown field/,
  },
  {
    kind: "malformed",
    who: "outsider",
    event: "room:join",
    args: p(() => ({ code })),
    code: ErrorCode.NICKNAME_INVALID,
    says: /nickname/,
  },
  {
    kind: "malformed",
    who: "outsider",
    event: "room:create",
    args: p(() => ({ mode: "solo" })),
    code: ErrorCode.NICKNAME_INVALID,
    says: /nickname is required/,
  },
  {
    kind: "malformed",
    who: "outsider",
    event: "room:create",
    args: p(() => ({ mode: "solo", nickname: "Z", hostPlays: false })),
    code: ErrorCode.BAD_REQUEST,
    says: /solo/,
  },
  {
    kind: "malformed",
    who: "outsider",
    event: "room:create",
    args: p(() => ({ mode: "room", start: true })),
    code: ErrorCode.BAD_REQUEST,
    says: /start is for a solo practice/,
  },
  {
    kind: "wrong-type",
    who: "outsider",
    event: "room:create",
    args: p(() => ({ mode: "solo", nickname: "Z", start: "now" })),
    code: ErrorCode.BAD_REQUEST,
    says: /start must be true or false/,
  },
  {
    kind: "malformed",
    who: "outsider",
    event: "room:create",
    args: p(() => ({ mode: "room", nickname: "Z" })),
    code: ErrorCode.BAD_REQUEST,
    says: /hostPlays/,
  },
  {
    kind: "malformed",
    who: "host",
    event: "room:settings",
    args: p(() => ({ code, hostToken, settings: { surface: { kind: "catalog" } } })),
    code: ErrorCode.INVALID_SETTINGS,
  },
  {
    kind: "malformed",
    who: "host",
    event: "room:settings",
    args: p(() => ({ code, hostToken, settings: { surface: "rosenbrock" } })),
    code: ErrorCode.INVALID_SETTINGS,
    says: /surface must be/,
  },
  {
    kind: "malformed",
    who: "outsider",
    event: "room:resume",
    args: p(() => ({ code, seatToken: "short" })),
    code: ErrorCode.BAD_REQUEST,
    says: /seatToken is malformed/,
  },
  // ── non-finite (JSON turns NaN and ±Infinity into null; strings are no numbers either) ──
  {
    kind: "non-finite",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: 0, angle: NaN, eta: 0.1 })),
    code: ErrorCode.INVALID_MOVE,
    says: /angle/,
  },
  {
    kind: "non-finite",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: 0, angle: 0, eta: Infinity })),
    code: ErrorCode.INVALID_MOVE,
    says: /eta/,
  },
  {
    kind: "non-finite",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: 0, angle: "Infinity", eta: 0.1 })),
    code: ErrorCode.INVALID_MOVE,
    says: /angle/,
  },
  {
    kind: "non-finite",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: Infinity, angle: 0, eta: 0.1 })),
    code: ErrorCode.BAD_REQUEST,
    says: /turn/,
  },
  {
    kind: "non-finite",
    who: "host",
    event: "room:settings",
    args: p(() => ({ code, hostToken, settings: { etaMax: -Infinity } })),
    code: ErrorCode.INVALID_SETTINGS,
    says: /etaMax/,
  },
  {
    kind: "non-finite",
    who: "host",
    event: "round:start",
    args: p(() => ({
      code,
      hostToken,
      settings: { bot: { optimizer: "adam", params: { beta1: NaN } } },
    })),
    code: ErrorCode.INVALID_SETTINGS,
    says: /beta1/,
  },
  // ── out of range ──
  {
    kind: "out-of-range",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: 0, angle: 0, eta: 0 })),
    code: ErrorCode.INVALID_MOVE,
    says: /eta must be in/,
  },
  {
    kind: "out-of-range",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: 0, angle: 0, eta: -1 })),
    code: ErrorCode.INVALID_MOVE,
    says: /eta must be in/,
  },
  {
    kind: "out-of-range",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: 0, angle: 0, eta: etaMax * 1.0001 })),
    code: ErrorCode.INVALID_MOVE,
    says: /eta must be in/,
  },
  {
    kind: "out-of-range",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: -1, angle: 0, eta: 0.1 })),
    code: ErrorCode.BAD_REQUEST,
    says: /turn/,
  },
  {
    kind: "out-of-range",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: 0.5, angle: 0, eta: 0.1 })),
    code: ErrorCode.BAD_REQUEST,
    says: /integer/,
  },
  {
    kind: "out-of-range",
    who: "outsider",
    event: "room:join",
    args: p(() => ({ code, nickname: "y".repeat(25) })),
    code: ErrorCode.NICKNAME_INVALID,
    says: /1 to 24/,
  },
  {
    kind: "out-of-range",
    who: "outsider",
    event: "room:join",
    args: p(() => ({ code, nickname: "   " })),
    code: ErrorCode.NICKNAME_INVALID,
    says: /1 to 24/,
  },
  {
    kind: "out-of-range",
    who: "outsider",
    event: "room:join",
    args: p(() => ({ code, nickname: "bad\u0000name" })),
    code: ErrorCode.NICKNAME_INVALID,
    says: /control/,
  },
  {
    kind: "out-of-range",
    who: "outsider",
    event: "room:join",
    args: p(() => ({ code, nickname: "evil\u202Eeman" })),
    code: ErrorCode.NICKNAME_INVALID,
    says: /control/,
  },
  {
    kind: "out-of-range",
    who: "outsider",
    event: "room:join",
    args: p(() => ({ code, nickname: "two\nlines" })),
    code: ErrorCode.NICKNAME_INVALID,
    says: /control/,
  },
  {
    kind: "out-of-range",
    who: "outsider",
    event: "room:join",
    args: p(() => ({ code: "ABC", nickname: "Zoe" })),
    code: ErrorCode.BAD_REQUEST,
    says: /6 characters/,
  },
  {
    kind: "out-of-range",
    who: "outsider",
    event: "room:join",
    args: p(() => ({ code: "ABCDE0", nickname: "Zoe" })),
    code: ErrorCode.BAD_REQUEST,
    says: /6 characters/,
  },
  {
    kind: "out-of-range",
    who: "host",
    event: "room:settings",
    args: p(() => ({ code, hostToken, settings: { turns: 5 } })),
    code: ErrorCode.ROUND_IN_PROGRESS,
  },
  {
    kind: "out-of-range",
    who: "cid",
    event: "room:settings",
    args: p(() => ({ code: code2, hostToken: hostToken2, settings: { turns: 0 } })),
    code: ErrorCode.INVALID_SETTINGS,
    says: /turns must be an integer from 1 to 100, got 0/,
  },
  {
    kind: "out-of-range",
    who: "cid",
    event: "room:settings",
    args: p(() => ({ code: code2, hostToken: hostToken2, settings: { secondsPerTurn: 601 } })),
    code: ErrorCode.INVALID_SETTINGS,
    says: /secondsPerTurn/,
  },
  {
    kind: "out-of-range",
    who: "cid",
    event: "room:settings",
    args: p(() => ({
      code: code2,
      hostToken: hostToken2,
      settings: { surface: { kind: "catalog", id: "booth" }, etaMax: 1e9 },
    })),
    code: ErrorCode.INVALID_SETTINGS,
    says: /etaMax must be at most/,
  },
  {
    kind: "out-of-range",
    who: "cid",
    event: "round:start",
    args: p(() => ({
      code: code2,
      hostToken: hostToken2,
      settings: { surface: { kind: "procedural", difficulty: "easy", seed: -1 } },
    })),
    code: ErrorCode.INVALID_SETTINGS,
    says: /seed/,
  },
  {
    kind: "out-of-range",
    who: "cid",
    event: "round:start",
    args: p(() => ({
      code: code2,
      hostToken: hostToken2,
      settings: { surface: { kind: "surprise", difficulty: "impossible" } },
    })),
    code: ErrorCode.INVALID_SETTINGS,
    says: /difficulty/,
  },
  {
    kind: "out-of-range",
    who: "cid",
    event: "round:start",
    args: p(() => ({
      code: code2,
      hostToken: hostToken2,
      settings: { surface: { kind: "catalog", id: "no-such-surface" } },
    })),
    code: ErrorCode.UNKNOWN_SURFACE,
    says: /no-such-surface/,
  },
  {
    kind: "out-of-range",
    who: "cid",
    event: "round:start",
    args: p(() => ({
      code: code2,
      hostToken: hostToken2,
      settings: { bot: { optimizer: "sgd" } },
    })),
    code: ErrorCode.INVALID_SETTINGS,
    says: /bot.optimizer/,
  },
  // ── a formula surface (issue 14 §4, docs/SPEC.md F1–F4, F7) ──
  ...(
    [
      ["too long", "w" + " + w".repeat(60), ErrorCode.INVALID_SETTINGS, /too long: at most 200/],
      ["too deep", "(".repeat(30) + "w" + ")".repeat(30), ErrorCode.INVALID_FORMULA, /too deep/],
      [
        "too complex",
        "exp(sin(cos(exp(sin(cos(exp(sin(cos(w*b)))))))))",
        ErrorCode.INVALID_FORMULA,
        /too complex/,
      ],
      ["import", "import(w)", ErrorCode.INVALID_FORMULA, /not allowed: the function import/],
      ["evaluate", "evaluate(w)", ErrorCode.INVALID_FORMULA, /the function evaluate/],
      ["function definition", "f(x) = 1", ErrorCode.INVALID_FORMULA, /function definition/],
      ["assignment", "w = 1", ErrorCode.INVALID_FORMULA, /assignment/],
      ["matrix", "[1,2]", ErrorCode.INVALID_FORMULA, /matrices/],
      ["string", '"a"', ErrorCode.INVALID_FORMULA, /strings/],
      ["unit", "5 cm", ErrorCode.INVALID_FORMULA, /unknown name "cm"/],
      ["unknown name", "w^2 + x^2", ErrorCode.INVALID_FORMULA, /unknown name "x"/],
      ["empty", "  ", ErrorCode.INVALID_FORMULA, /empty/],
      ["syntax", "w^^2", ErrorCode.INVALID_FORMULA, /cannot read/],
      [
        "division by zero on the box",
        "1/w + b^2",
        ErrorCode.INVALID_FORMULA,
        /not finite at w = 0, b = -1: division by zero/,
      ],
      ["log of a negative number", "log(w) + b^2", ErrorCode.INVALID_FORMULA, /log of a number/],
      ["minimum on the edge", "3w + b^2", ErrorCode.INVALID_FORMULA, /edge/],
    ] as const
  ).map(([what, text, errorCode, says]): Row => ({
    kind: `out-of-range: formula ${what}`,
    who: "cid",
    event: "room:settings",
    args: p(() => ({
      code: code2,
      hostToken: hostToken2,
      settings: { surface: { kind: "formula", text, box: { min: [-1, -1], max: [1, 1] } } },
    })),
    code: errorCode,
    says,
  })),
  ...(
    [
      ["empty box", { min: [1, -1], max: [1, 1] }, ErrorCode.INVALID_FORMULA, /w range is empty/],
      ["inverted box", { min: [-1, 1], max: [1, -1] }, ErrorCode.INVALID_FORMULA, /b range/],
      [
        "huge box",
        { min: [-1000, -1], max: [1000, 1] },
        ErrorCode.INVALID_FORMULA,
        /wider than 100/,
      ],
      ["NaN in the box", { min: [NaN, -1], max: [1, 1] }, ErrorCode.INVALID_SETTINGS, /finite/],
      [
        "Infinity in the box",
        { min: [-1, -1], max: [Infinity, 1] },
        ErrorCode.INVALID_SETTINGS,
        /finite/,
      ],
      [
        "a box of three numbers",
        { min: [-1, -1, 0], max: [1, 1] },
        ErrorCode.INVALID_SETTINGS,
        /box.min/,
      ],
      ["no box", undefined, ErrorCode.INVALID_SETTINGS, /box/],
    ] as const
  ).map(([what, box, errorCode, says]): Row => ({
    kind: `out-of-range: formula ${what}`,
    who: "cid",
    event: "room:settings",
    args: p(() => ({
      code: code2,
      hostToken: hostToken2,
      settings: { surface: { kind: "formula", text: "w^2 + b^2", box } },
    })),
    code: errorCode,
    says,
  })),
  {
    kind: "wrong-type: formula text",
    who: "cid",
    event: "room:settings",
    args: p(() => ({
      code: code2,
      hostToken: hostToken2,
      settings: { surface: { kind: "formula", text: 42, box: { min: [-1, -1], max: [1, 1] } } },
    })),
    code: ErrorCode.INVALID_SETTINGS,
    says: /surface.text must be a string/,
  },
  {
    kind: "out-of-range: formula etaMax above the surface's",
    who: "cid",
    event: "room:settings",
    args: p(() => ({
      code: code2,
      hostToken: hostToken2,
      settings: {
        etaMax: 1e6,
        surface: { kind: "formula", text: "w^2 + b^2", box: { min: [-1, -1], max: [1, 1] } },
      },
    })),
    code: ErrorCode.INVALID_SETTINGS,
    says: /etaMax/,
  },
  {
    kind: "non-host: formula",
    who: "bob",
    event: "room:settings",
    args: p(() => ({
      code,
      hostToken: hostToken2,
      settings: {
        surface: { kind: "formula", text: "w^2 + b^2", box: { min: [-1, -1], max: [1, 1] } },
      },
    })),
    code: ErrorCode.NOT_HOST,
  },
  // ── the class's data points (issue 14 §2, §4, docs/SPEC.md F9, F11) ──
  ...(
    [
      ["one point", [[0, 0.5]], ErrorCode.INVALID_SETTINGS, /at least 2 points/],
      [
        "51 points",
        Array.from({ length: 51 }, (_, i) => [i / 10, 0.5]),
        ErrorCode.INVALID_SETTINGS,
        /at most 50 points/,
      ],
      ["not a list", "0.5,0.2\n2.5,0.9", ErrorCode.INVALID_SETTINGS, /list of \[x, y\] points/],
      [
        "a point of three numbers",
        [
          [0, 0.5],
          [1, 0.5, 2],
        ],
        ErrorCode.INVALID_SETTINGS,
        /\[x, y\]/,
      ],
      [
        "a string coordinate",
        [
          [0, 0.5],
          ["1", 0.5],
        ],
        ErrorCode.INVALID_SETTINGS,
        /finite number/,
      ],
      [
        "a NaN coordinate (null in JSON)",
        [
          [0, 0.5],
          [1, NaN],
        ],
        ErrorCode.INVALID_SETTINGS,
        /finite/,
      ],
      [
        "y above 1",
        [
          [0, 0.5],
          [1, 1.5],
        ],
        ErrorCode.INVALID_DATA,
        /point 2: y = 1.5 is outside 0…1/,
      ],
      [
        "x too large",
        [
          [0, 0.5],
          [5000, 0.5],
        ],
        ErrorCode.INVALID_DATA,
        /point 2: x = 5000/,
      ],
      [
        "one x",
        [
          [1, 0.2],
          [1, 0.9],
        ],
        ErrorCode.INVALID_DATA,
        /same x/,
      ],
      [
        "separable data",
        [
          [0, 0],
          [1, 1],
        ],
        ErrorCode.INVALID_DATA,
        /edge of the box/,
      ],
    ] as const
  ).map(([what, points, errorCode, says]): Row => ({
    kind: `out-of-range: data ${what}`,
    who: "cid",
    event: "room:settings",
    args: p(() => ({
      code: code2,
      hostToken: hostToken2,
      settings: { surface: { kind: "data", points, box: { min: [-6, -6], max: [6, 6] } } },
    })),
    code: errorCode,
    says,
  })),
  {
    kind: "out-of-range: data inverted box",
    who: "cid",
    event: "room:settings",
    args: p(() => ({
      code: code2,
      hostToken: hostToken2,
      settings: {
        surface: {
          kind: "data",
          points: [
            [0.5, 0.2],
            [2.5, 0.9],
          ],
          box: { min: [6, -6], max: [-6, 6] },
        },
      },
    })),
    code: ErrorCode.INVALID_DATA,
    says: /data: the w range is empty or inverted/,
  },
  {
    kind: "non-host: data",
    who: "bob",
    event: "room:settings",
    args: p(() => ({
      code,
      hostToken: hostToken2,
      settings: {
        surface: {
          kind: "data",
          points: [
            [0.5, 0.2],
            [2.5, 0.9],
          ],
          box: { min: [-6, -6], max: [6, 6] },
        },
      },
    })),
    code: ErrorCode.NOT_HOST,
  },
  // ── wrong type ──
  {
    kind: "wrong-type",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: "0", angle: 0, eta: 0.1 })),
    code: ErrorCode.BAD_REQUEST,
    says: /turn must be an integer, got "0"/,
  },
  {
    kind: "wrong-type",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: 0, angle: [1, 0], eta: 0.1 })),
    code: ErrorCode.INVALID_MOVE,
    says: /angle/,
  },
  {
    kind: "wrong-type",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: 0, angle: 0, eta: "0.1" })),
    code: ErrorCode.INVALID_MOVE,
    says: /eta/,
  },
  {
    kind: "wrong-type",
    who: "outsider",
    event: "room:join",
    args: p(() => ({ code: 123456, nickname: "Zoe" })),
    code: ErrorCode.BAD_REQUEST,
    says: /code must be a string/,
  },
  {
    kind: "wrong-type",
    who: "outsider",
    event: "room:join",
    args: p(() => ({ code, nickname: { first: "Zoe" } })),
    code: ErrorCode.NICKNAME_INVALID,
    says: /nickname must be a string/,
  },
  {
    kind: "wrong-type",
    who: "outsider",
    event: "room:create",
    args: p(() => ({ mode: "party" })),
    code: ErrorCode.BAD_REQUEST,
    says: /mode/,
  },
  {
    kind: "wrong-type",
    who: "outsider",
    event: "room:create",
    args: p(() => ({ mode: "room", hostPlays: "yes" })),
    code: ErrorCode.BAD_REQUEST,
    says: /hostPlays/,
  },
  {
    kind: "wrong-type",
    who: "outsider",
    event: "room:create",
    args: p(() => ({ mode: "room", settings: "fast" })),
    code: ErrorCode.INVALID_SETTINGS,
  },
  {
    kind: "wrong-type",
    who: "host",
    event: "round:start",
    args: p(() => ({ code, hostToken: 42 })),
    code: ErrorCode.NOT_HOST,
    says: /hostToken/,
  },
  {
    kind: "wrong-type",
    who: "cid",
    event: "room:settings",
    args: p(() => ({ code: code2, hostToken: hostToken2, settings: { hint: 3 } })),
    code: ErrorCode.INVALID_SETTINGS,
    says: /hint/,
  },
  // ── unknown events ──
  ...[
    "room:explode",
    "round:undo",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "",
    "x".repeat(500),
  ].map((event): Row => ({
    kind: "unknown-event",
    who: "ann",
    event,
    args: () => [{}],
    code: ErrorCode.UNKNOWN_EVENT,
    says: /unknown event/,
  })),
  // ── out of turn ──
  {
    kind: "out-of-turn",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: 1, angle: 0, eta: 0.1 })),
    code: ErrorCode.WRONG_TURN,
    says: /not the current turn 0/,
  },
  {
    kind: "out-of-turn",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: 99, angle: 0, eta: 0.1 })),
    code: ErrorCode.WRONG_TURN,
  },
  {
    kind: "out-of-turn",
    who: "host",
    event: "round:start",
    args: p(() => ({ code, hostToken })),
    code: ErrorCode.ROUND_IN_PROGRESS,
    says: /after the reveal/,
  },
  // ── after the round ──
  {
    kind: "after-the-round",
    who: "cid",
    event: "round:move",
    args: p(() => ({ turn: 1, angle: 0, eta: 0.1 })),
    code: ErrorCode.NOT_PLAYING,
    says: /over/,
  },
  {
    kind: "after-the-round",
    who: "cid",
    event: "round:move",
    args: p(() => ({ turn: 0, angle: 0, eta: 0.1 })),
    code: ErrorCode.NOT_PLAYING,
  },
  // ── duplicates ──
  {
    kind: "duplicate",
    who: "ann",
    event: "round:move",
    args: p(() => ({ turn: 0, angle: 2, eta: 0.1 })),
    code: ErrorCode.ALREADY_MOVED,
    says: /first move stands/,
  },
  {
    kind: "duplicate",
    who: "ann",
    event: "room:join",
    args: p(() => ({ code, nickname: "Ann2" })),
    code: ErrorCode.ALREADY_IN_ROOM,
    says: /room:leave/,
  },
  {
    kind: "duplicate",
    who: "outsider",
    event: "room:join",
    args: p(() => ({ code, nickname: "ann" })),
    code: ErrorCode.NICKNAME_TAKEN,
    says: /taken/,
  },
  {
    kind: "duplicate",
    who: "outsider",
    event: "room:join",
    args: p(() => ({ code, nickname: " BOB " })),
    code: ErrorCode.NICKNAME_TAKEN,
    says: /taken/,
  },
  {
    kind: "duplicate",
    who: "host",
    event: "room:create",
    args: p(() => ({ mode: "room" })),
    code: ErrorCode.ALREADY_IN_ROOM,
  },
  {
    kind: "duplicate",
    who: "spectator",
    event: "room:watch",
    args: p(() => ({ code })),
    code: ErrorCode.ALREADY_IN_ROOM,
  },
  {
    kind: "duplicate",
    who: "ann",
    event: "room:resume",
    args: p(() => ({ code: code2, seatToken: annSeat })),
    code: ErrorCode.ALREADY_IN_ROOM,
  },
  {
    kind: "duplicate",
    who: "outsider",
    event: "room:resume",
    args: p(() => ({ code: code2, seatToken: annSeat })),
    code: ErrorCode.SEAT_NOT_FOUND,
  },
  // ── other player ──
  {
    kind: "other-player",
    who: "bob",
    event: "round:move",
    args: p(() => ({ turn: 0, angle: 0, eta: 0.1, playerId: "someone-else" })),
    code: ErrorCode.BAD_REQUEST,
    says: /unknown field: playerId/,
  },
  {
    kind: "other-player",
    who: "bob",
    event: "room:resume",
    args: p(() => ({ code, seatToken: annSeat.replace(/^./, (c) => (c === "A" ? "B" : "A")) })),
    code: ErrorCode.SEAT_NOT_FOUND,
  },
  {
    kind: "other-player",
    who: "spectator",
    event: "round:move",
    args: p(() => ({ turn: 0, angle: 0, eta: 0.1 })),
    code: ErrorCode.NOT_A_PLAYER,
    says: /spectators/,
  },
  {
    kind: "other-player",
    who: "host",
    event: "round:move",
    args: p(() => ({ turn: 0, angle: 0, eta: 0.1 })),
    code: ErrorCode.NOT_A_PLAYER,
    says: /only players move/,
  },
  {
    kind: "other-player",
    who: "outsider",
    event: "round:move",
    args: p(() => ({ turn: 0, angle: 0, eta: 0.1 })),
    code: ErrorCode.NOT_IN_ROOM,
  },
  {
    kind: "other-player",
    who: "outsider",
    event: "room:leave",
    args: p(() => ({})),
    code: ErrorCode.NOT_IN_ROOM,
  },
  {
    kind: "other-player",
    who: "outsider",
    event: "room:sync",
    args: p(() => ({})),
    code: ErrorCode.NOT_IN_ROOM,
  },
  // ── non-host ──
  ...(["room:settings", "room:kick", "room:close", "round:start", "room:host"] as const).flatMap(
    (event): Row[] => {
      const extra =
        event === "room:settings"
          ? { settings: {} }
          : event === "room:kick"
            ? { nickname: "Ann" }
            : {};
      return [
        {
          kind: "non-host: no token",
          who: "bob",
          event,
          args: p(() => ({ code, ...extra })),
          code: ErrorCode.NOT_HOST,
        },
        {
          kind: "non-host: wrong token",
          who: "bob",
          event,
          args: p(() => ({ code, hostToken: hostToken2, ...extra })),
          code: ErrorCode.NOT_HOST,
        },
        {
          kind: "non-host: outsider",
          who: "outsider",
          event,
          args: p(() => ({ code, hostToken: "A".repeat(24), ...extra })),
          code: ErrorCode.NOT_HOST,
        },
      ];
    },
  ),
  {
    kind: "non-host: kick unknown",
    who: "host",
    event: "room:kick",
    args: p(() => ({ code, hostToken, nickname: "Nobody" })),
    code: ErrorCode.PLAYER_NOT_FOUND,
  },
  // ── challenge links and the daily descent (issue 16 §5; docs/SPEC.md C4, C5, D3, D5) ──
  {
    kind: "wrong-type",
    who: "cid",
    event: "challenge:create",
    args: p(() => ({ code: 42 })),
    code: ErrorCode.BAD_REQUEST,
    says: /code must be a string/,
  },
  {
    kind: "unknown-room: challenge:create from outside the room",
    who: "outsider",
    event: "challenge:create",
    args: p(() => ({ code: code2 })),
    code: ErrorCode.NOT_IN_ROOM,
    says: /not in room/,
  },
  {
    kind: "other-player: challenge:create of another room",
    who: "ann",
    event: "challenge:create",
    args: p(() => ({ code: code2 })),
    code: ErrorCode.NOT_IN_ROOM,
  },
  {
    kind: "out-of-turn: challenge:create before the reveal (C4)",
    who: "ann",
    event: "challenge:create",
    args: p(() => ({ code })),
    code: ErrorCode.ROUND_IN_PROGRESS,
    says: /after the reveal/,
  },
  {
    kind: "malformed: challenge id (C1)",
    who: "outsider",
    event: "challenge:play",
    args: p(() => ({ id: "ABCDEFGHJK", nickname: "Zoe" })),
    code: ErrorCode.BAD_REQUEST,
    says: /challenge id/,
  },
  {
    kind: "wrong-type: challenge id",
    who: "outsider",
    event: "challenge:play",
    args: p(() => ({ id: 1234567890, nickname: "Zoe" })),
    code: ErrorCode.BAD_REQUEST,
    says: /challenge id/,
  },
  {
    kind: "malformed: challenge:play without a nickname",
    who: "outsider",
    event: "challenge:play",
    args: p(() => ({ id: "0123456789" })),
    code: ErrorCode.NICKNAME_INVALID,
  },
  {
    kind: "duplicate: challenge:play while in a room",
    who: "cid",
    event: "challenge:play",
    args: p(() => ({ id: "0123456789", nickname: "Cid" })),
    code: ErrorCode.ALREADY_IN_ROOM,
  },
  {
    kind: "malformed: player token (D3)",
    who: "outsider",
    event: "daily:play",
    args: p(() => ({ playerToken: "too-short", nickname: "Zoe" })),
    code: ErrorCode.BAD_REQUEST,
    says: /playerToken is malformed/,
  },
  {
    kind: "malformed: missing player token (D3)",
    who: "outsider",
    event: "daily:play",
    args: p(() => ({ nickname: "Zoe" })),
    code: ErrorCode.BAD_REQUEST,
    says: /playerToken/,
  },
  {
    kind: "wrong-type: player token",
    who: "outsider",
    event: "daily:status",
    args: p(() => ({ playerToken: ["A".repeat(24)] })),
    code: ErrorCode.BAD_REQUEST,
    says: /playerToken must be a string/,
  },
  {
    kind: "malformed: a forged daily result (D5: the server keeps score)",
    who: "outsider",
    event: "daily:play",
    args: p(() => ({ playerToken: "A".repeat(24), nickname: "Zoe", score: 1000 })),
    code: ErrorCode.BAD_REQUEST,
    says: /unknown field: score/,
  },
  {
    kind: "malformed: a replayed daily attempt (D5: attempts are the server's rounds)",
    who: "outsider",
    event: "daily:status",
    args: p(() => ({ playerToken: "A".repeat(24), roundId: "r-1" })),
    code: ErrorCode.BAD_REQUEST,
    says: /unknown field: roundId/,
  },
  {
    kind: "duplicate: daily:play while in a room",
    who: "ann",
    event: "daily:play",
    args: p(() => ({ playerToken: "A".repeat(24), nickname: "Ann" })),
    code: ErrorCode.ALREADY_IN_ROOM,
  },
  {
    kind: "malformed: a ghost from nowhere (G1)",
    who: "host",
    event: "ghost:add",
    args: p(() => ({ code, hostToken, from: { kind: "somewhere" } })),
    code: ErrorCode.BAD_REQUEST,
    says: /from must be/,
  },
  {
    kind: "malformed: a ghost's round id (G1)",
    who: "host",
    event: "ghost:add",
    args: p(() => ({ code, hostToken, from: { kind: "round", roundId: "../x" } })),
    code: ErrorCode.BAD_REQUEST,
    says: /replay id/,
  },
  {
    kind: "out-of-turn: ghost:add during a round (G1)",
    who: "host",
    event: "ghost:add",
    args: p(() => ({ code, hostToken, from: { kind: "best" } })),
    code: ErrorCode.ROUND_IN_PROGRESS,
    says: /after the reveal/,
  },
  {
    kind: "non-host: ghost:add",
    who: "ann",
    event: "ghost:add",
    args: p(() => ({ code, hostToken: "A".repeat(24), from: { kind: "best" } })),
    code: ErrorCode.NOT_HOST,
  },
  {
    kind: "non-host: ghost:remove",
    who: "cid",
    event: "ghost:remove",
    args: p(() => ({ code: code2, hostToken: "A".repeat(24) })),
    code: ErrorCode.NOT_HOST,
  },
  {
    kind: "after-the-round: ghost:add without a database (G1)",
    who: "cid",
    event: "ghost:add",
    args: p(() => ({ code: code2, hostToken: hostToken2, from: { kind: "round", roundId: "r1" } })),
    code: ErrorCode.UNAVAILABLE,
    says: /database/,
  },
  // ── unknown room ──
  ...(
    [
      "room:join",
      "room:resume",
      "room:watch",
      "room:host",
      "room:settings",
      "room:kick",
      "room:close",
      "round:start",
      "ghost:add",
      "ghost:remove",
    ] as const
  ).map((event): Row => {
    const extra: Record<string, Record<string, unknown>> = {
      "room:join": { nickname: "Zoe" },
      "room:resume": { seatToken: "A".repeat(24) },
      "room:watch": {},
      "room:host": { hostToken: "A".repeat(24) },
      "room:settings": { hostToken: "A".repeat(24), settings: {} },
      "room:kick": { hostToken: "A".repeat(24), nickname: "Ann" },
      "room:close": { hostToken: "A".repeat(24) },
      "round:start": { hostToken: "A".repeat(24) },
      "ghost:add": { hostToken: "A".repeat(24), from: { kind: "best" } },
      "ghost:remove": { hostToken: "A".repeat(24) },
    };
    return {
      kind: "unknown-room",
      who: "outsider",
      event,
      args: p(() => ({ code: code === "ZZZZZZ" ? "YYYYYY" : "ZZZZZZ", ...extra[event] })),
      code: ErrorCode.ROOM_NOT_FOUND,
      says: /no open room/,
    };
  }),
];

function clients(): Record<Who, TestClient> {
  return { host, ann, bob, spectator, outsider, cid };
}

function stable(snapshot: RoomSnapshot): unknown {
  return { ...snapshot, serverTime: 0 };
}

async function roomStates() {
  return {
    one: stable(ok(await host.request("room:sync", {})).state),
    oneAnn: stable(ok(await ann.request("room:sync", {})).state),
    two: stable(ok(await cid.request("room:sync", {})).state),
    rooms: server.game.stats().rooms,
    moves: server.game.stats().movesAccepted,
  };
}

describe("bad input changes nothing (issue 3 §4)", () => {
  it("covers every event and every kind of bad request", () => {
    const kinds = new Set(rows.map((r) => r.kind.split(":")[0]));
    for (const kind of [
      "malformed",
      "non-finite",
      "out-of-range",
      "wrong-type",
      "oversized",
      "unknown-event",
      "out-of-turn",
      "after-the-round",
      "duplicate",
      "other-player",
      "non-host",
      "unknown-room",
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    const events = new Set(rows.map((r) => r.event));
    for (const event of CLIENT_EVENTS) expect(events, event).toContain(event);
  });

  it.each(
    rows.map((row, i) => [`${i} ${row.kind} — ${row.who} ${row.event.slice(0, 24)}`, row] as const),
  )("%s", async (_name, row) => {
    const before = await roomStates();
    const framesBefore = Object.values(clients()).map((c) => c.framesOf("room:state").length);
    const response = (await clients()[row.who].raw(row.event, row.args())) as {
      ok: boolean;
      error?: { code: string; message: string };
    };
    expect(response.ok).toBe(false);
    expect(response.error?.code).toBe(row.code);
    expect(typeof response.error?.message).toBe("string");
    expect(response.error!.message.length).toBeGreaterThan(10);
    if (row.says) expect(response.error!.message).toMatch(new RegExp(row.says.source, "i"));
    const after = await roomStates();
    expect(after).toEqual(before);
    await new Promise((r) => setImmediate(r));
    expect(Object.values(clients()).map((c) => c.framesOf("room:state").length)).toEqual(
      framesBefore,
    );
  });

  it("an event without an acknowledgement callback is refused with protocol:error", async () => {
    const before = await roomStates();
    const count = bob.framesOf("protocol:error").length;
    (bob.socket.emit as unknown as (e: string, p: unknown) => void)("round:move", {
      turn: 0,
      angle: 0,
      eta: 0.1,
    });
    (bob.socket.emit as unknown as (e: string, p: unknown) => void)("room:nonsense", {});
    await bob.until(
      () => bob.framesOf("protocol:error").length === count + 2,
      "two protocol errors",
    );
    const [missing, unknown] = bob
      .framesOf("protocol:error")
      .slice(-2)
      .map((f) => f.payload) as {
      event: string;
      error: { code: string; message: string };
    }[];
    expect(missing).toMatchObject({ event: "round:move", error: { code: ErrorCode.MISSING_ACK } });
    expect(unknown).toMatchObject({
      event: "room:nonsense",
      error: { code: ErrorCode.UNKNOWN_EVENT },
    });
    expect(await roomStates()).toEqual(before);
  });

  it("the room still works after all that: Bob's move closes the turn", async () => {
    ok(await bob.request("round:move", { turn: 0, angle: 0, eta: etaMax / 4 }));
    const s = await ann.waitFor((x) => x.round?.turn === 1, "turn 1");
    expect(s.members.map((m) => m.nickname)).toEqual(["Ann", "Bob"]);
  });
});
