import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultRoundEnv } from "../../lib/game";
import type { RoundEnv } from "../../lib/game";
import type { RoomSettingsInput, RoomSnapshot, SurfaceChoice } from "../../lib/protocol";
import { surfaces } from "../../lib/surfaces";
import type { Surface, Vec2 } from "../../lib/types";
import { FormulaAnalyser } from "../../server/formula-analysis";
import { connect, ok, startServer } from "./harness";
import type { TestClient, TestServer } from "./harness";

/**
 * Issue 3 §5 "Hidden information": every frame every client receives before the reveal — the raw
 * text of every engine.io packet, events and acknowledgements alike — is searched for the surface's
 * id, name, description and formula, its parameters and minima, the other players' positions and
 * the bot's positions. Numbers are compared twice: structurally (every number in every frame
 * against the secret values, exactly) and textually (each secret's shortest decimal form and its
 * 8-significant-digit rounding, when distinctive, must not appear in the text).
 */

/** A surface with distinctive constants, so that a leak is unmistakable in the text. */
const P = { a: 1.2345678901, c: [0.7316482917, -0.4421937713] as Vec2, k: 2.718281 };
const secretBowl: Surface = {
  id: "secret-bowl-qx",
  name: "Qwzx Secret Bowl",
  description: "A bowl whose every constant is a canary for leaks.",
  formula: "L = 1.2345678901((w - 0.7316482917)^2 + 2.718281(b + 0.4421937713)^2)",
  loss: ([w, b]) => P.a * ((w - P.c[0]) ** 2 + P.k * (b - P.c[1]) ** 2),
  gradient: ([w, b]) => [2 * P.a * (w - P.c[0]), 2 * P.a * P.k * (b - P.c[1])],
  hessian: () => [
    [2 * P.a, 0],
    [0, 2 * P.a * P.k],
  ],
  domain: { min: [-3, -3], max: [3, 3] },
  minima: [{ theta: P.c, loss: 0 }],
  start: [-2.5, 2.2],
  etaMax: 1,
  botEta: 0.05,
  difficulty: "easy",
};

const env: RoundEnv = {
  resolveSurface: (ref) =>
    ref.kind === "catalog" && ref.id === secretBowl.id
      ? secretBowl
      : defaultRoundEnv.resolveSurface(ref),
};

let server: TestServer;
beforeAll(async () => {
  // The formula cases' analysis thread, started first (it loads mathjs: seconds under load).
  const formulas = new FormulaAnalyser();
  await formulas.check({ text: "w^2 + b^2", box: { min: [-1, -1], max: [1, 1] } });
  server = await startServer({
    formulas,
    env,
    catalog: [
      ...surfaces.map((s) => ({ id: s.id, difficulty: s.difficulty })),
      { id: secretBowl.id, difficulty: "easy" },
    ],
  });
});
afterAll(async () => {
  await server.close();
});

interface Played {
  clients: TestClient[];
  names: string[];
  reveal: NonNullable<NonNullable<RoomSnapshot["round"]>["reveal"]>;
}

async function playRound(settings: RoomSettingsInput, hostPlays: boolean): Promise<Played> {
  const host = await connect(server.url, hostPlays ? "Host" : "host");
  const created = ok(
    await host.request(
      "room:create",
      hostPlays
        ? { mode: "room", hostPlays, nickname: "Host", settings }
        : { mode: "room", settings },
    ),
  );
  const players: TestClient[] = hostPlays ? [host] : [];
  for (const name of ["P1", "P2", "P3"]) {
    const c = await connect(server.url, name);
    ok(await c.request("room:join", { code: created.code, nickname: name }));
    players.push(c);
  }
  const spectator = await connect(server.url, "spectator");
  ok(await spectator.request("room:watch", { code: created.code }));
  ok(await host.request("round:start", { code: created.code, hostToken: created.hostToken }));
  const turns = settings.turns ?? 12;
  for (let turn = 0; turn < turns; turn++) {
    await Promise.all(
      players.map(async (p, i) => {
        const s = await p.waitFor(
          (x) => x.round?.turn === turn && x.phase === "playing",
          `turn ${turn}`,
        );
        const etaMax = s.round!.settings.etaMax;
        // Distinct, irregular moves: no two players ever share a position.
        ok(
          await p.request("round:move", {
            turn,
            angle: 0.37 + 1.71 * i + 0.53 * turn,
            eta: etaMax * (0.211 + 0.137 * i),
          }),
        );
      }),
    );
  }
  const clients = hostPlays ? [...players, spectator] : [host, ...players, spectator];
  const finals = await Promise.all(
    clients.map((c) => c.waitFor((s) => s.phase === "revealed", "reveal")),
  );
  return { clients, names: clients.map((c) => c.name), reveal: finals[0]!.round!.reveal! };
}

/** The raw packets a client received before the first revealed snapshot. */
function beforeReveal(client: TestClient): string[] {
  const index = client.wire.findIndex(
    (text) => /"room:state"/.test(text) && /"phase":"revealed"/.test(text),
  );
  expect(index, `${client.name} got the reveal`).toBeGreaterThan(0);
  return client.wire.slice(0, index);
}

function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === "number") out.push(value);
  else if (Array.isArray(value)) for (const v of value) numbersIn(v, out);
  else if (value && typeof value === "object")
    for (const v of Object.values(value)) numbersIn(v, out);
  return out;
}

/** Significant digits of a decimal form: "0.0012300" → 3, "-2.5" → 2. */
function significantDigits(form: string): number {
  const mantissa = form.replace(/^-/, "").split("e")[0]!.replace(".", "");
  return mantissa.replace(/^0+/, "").replace(/0+$/, "").length;
}

/** Whether a value is distinctive enough to be searched for (4 significant digits or more). */
function distinctive(x: number): boolean {
  return significantDigits(String(x)) >= 4;
}

function parsePacket(text: string): unknown {
  // A socket.io packet: type digit(s), optional id, then JSON.
  const start = text.search(/[[{]/);
  return start < 0 ? null : JSON.parse(text.slice(start));
}

function checkClient(
  client: TestClient,
  played: Played,
  surfaceSecrets: { strings: string[]; numbers: number[] },
) {
  const { reveal } = played;
  const frames = beforeReveal(client);
  const text = frames.join("\n");
  // Which seat is this client? (its own positions are allowed)
  const mySeat = reveal.players.findIndex((p) => p.nickname === client.name);
  const publicNumbers = new Set<number>([
    ...reveal.surface.domain.min,
    ...reveal.surface.domain.max,
    ...reveal.surface.start,
    ...(mySeat >= 0 ? reveal.players[mySeat]!.path.flat() : []),
  ]);
  const secretNumbers = new Map<number, string>();
  for (const x of surfaceSecrets.numbers) secretNumbers.set(x, "a surface parameter or minimum");
  for (const [seat, p] of reveal.players.entries()) {
    if (seat === mySeat) continue;
    for (const x of p.path.slice(1).flat()) secretNumbers.set(x, `${p.nickname}'s position`);
  }
  for (const x of reveal.bot?.path.slice(1).flat() ?? [])
    secretNumbers.set(x, "the bot's position");
  for (const x of publicNumbers) secretNumbers.delete(x);
  // Only distinctive values can be searched for: 1, -3 or 0.5 occur everywhere (turn numbers,
  // the box); such minima are covered by the structural checks below.
  for (const x of [...secretNumbers.keys()]) if (!distinctive(x)) secretNumbers.delete(x);

  for (const s of surfaceSecrets.strings) {
    expect(text.includes(s), `${client.name} saw ${JSON.stringify(s)} before the reveal`).toBe(
      false,
    );
  }
  for (const frame of frames) {
    for (const x of numbersIn(parsePacket(frame))) {
      const what = secretNumbers.get(x);
      expect(what, `${client.name} received ${x} (${what}) before the reveal`).toBeUndefined();
    }
  }
  for (const [x, what] of secretNumbers) {
    for (const form of [String(x), x.toPrecision(8)]) {
      if (significantDigits(form) < 6) continue;
      expect(text.includes(form), `${client.name} saw ${form} (${what}) before the reveal`).toBe(
        false,
      );
    }
  }
  // Structure: no reveal, and nobody else's track.
  for (const frame of frames) {
    const packet = parsePacket(frame);
    if (!Array.isArray(packet) || packet[0] !== "room:state") continue;
    const snapshot = packet[1] as RoomSnapshot;
    expect(snapshot.round?.reveal ?? null).toBeNull();
    for (const racer of snapshot.round?.race.players ?? []) {
      expect(Object.keys(racer).sort()).toEqual(["losses", "moved", "nickname", "seat", "you"]);
    }
    expect(Object.keys(snapshot.round?.race.bot ?? { optimizer: 0, losses: 0 }).sort()).toEqual([
      "losses",
      "optimizer",
    ]);
    if (snapshot.round?.you) expect(snapshot.round.you.nickname).toBe(client.name);
    for (const m of snapshot.members)
      expect(Object.keys(m).sort()).toEqual([
        "connected",
        "host",
        "inRound",
        "moved",
        "nickname",
        "seat",
        "you",
      ]);
    if (!snapshot.you.isHost) expect(snapshot.settings.surface).toBeNull();
  }
}

function surfaceSecretsOf(
  reveal: Played["reveal"],
  extra: { strings?: string[]; numbers?: number[] } = {},
) {
  const s = reveal.surface;
  return {
    strings: [s.id, s.name, s.formula, s.description, ...(extra.strings ?? [])],
    numbers: [
      ...s.minima.flatMap((m) => [...m.theta, m.loss]).filter((x) => x !== 0),
      ...(extra.numbers ?? []),
    ],
  };
}

describe("hidden information before the reveal", () => {
  for (const hint of ["gradient", "taylor", "blind"] as const) {
    it(`hint ${hint}: no frame to any client leaks the surface, the minimum, others' or the bot's positions`, async () => {
      // The host chooses a named surface but does not play: its frames are checked too, except
      // that a host sees its own lobby choice (the surface id) in the settings.
      const played = await playRound(
        {
          surface: { kind: "catalog", id: secretBowl.id },
          turns: 4,
          secondsPerTurn: 30,
          hint,
          bot: { optimizer: "adam" },
        },
        false,
      );
      expect(played.reveal.surface.id).toBe(secretBowl.id);
      const secrets = surfaceSecretsOf(played.reveal, { numbers: [P.a, P.k, ...P.c] });
      for (const client of played.clients) {
        const isHost = client.name === "host";
        checkClient(
          client,
          played,
          isHost
            ? { ...secrets, strings: secrets.strings.filter((x) => x !== secretBowl.id) }
            : secrets,
        );
      }
      for (const c of played.clients) c.close();
    });
  }

  it("R10, R34: the bot's hyper-parameters reach no player or spectator frame before the reveal", async () => {
    const played = await playRound(
      {
        surface: { kind: "catalog", id: secretBowl.id },
        turns: 2,
        bot: { optimizer: "momentum", params: { eta: 0.001234, beta: 0.8765 } },
      },
      false,
    );
    for (const client of played.clients) {
      const text = beforeReveal(client).join("\n");
      if (client.name === "host") {
        // The host set them: the host's own console shows them.
        expect(text).toContain("0.8765");
        continue;
      }
      expect(text, `${client.name}'s frames`).not.toContain("0.001234");
      expect(text, `${client.name}'s frames`).not.toContain("0.8765");
    }
    // The reveal shows them to everyone (R11).
    expect(JSON.stringify(played.reveal.settings.bot)).toContain("0.8765");
    for (const c of played.clients) c.close();
  });

  it("surprise, catalog and procedural surfaces: nobody, a host who plays included, learns them", async () => {
    const choices = [
      { kind: "surprise" },
      { kind: "surprise" },
      { kind: "procedural", difficulty: "hard" },
      { kind: "catalog", id: "neuron" },
    ] as const;
    for (const surface of choices) {
      const played = await playRound({ surface, turns: 3, hint: "gradient" }, true);
      const secrets = surfaceSecretsOf(played.reveal, {
        strings:
          played.reveal.surface.ref.kind === "procedural"
            ? [`"seed":${played.reveal.surface.ref.seed}`]
            : [],
      });
      for (const client of played.clients) {
        const hostOwnChoice = client.name === "Host" && surface.kind === "catalog";
        checkClient(
          client,
          played,
          hostOwnChoice
            ? { ...secrets, strings: secrets.strings.filter((x) => x !== surface.id) }
            : secrets,
        );
      }
      for (const c of played.clients) c.close();
    }
  });

  /** A formula with canary constants: any of its text in a frame is a leak (F7). */
  const FORMULA = "1.2345678901 (w - 0.7316482917)^2 + 2.718281 (b + 0.4421937713)^2";
  const formulaChoice: SurfaceChoice = {
    kind: "formula",
    text: FORMULA,
    box: { min: [-3, -3], max: [3, 3] },
  };
  const formulaCanaries = ["1.2345678901", "0.7316482917", "0.4421937713", "2.718281", "(w - "];

  it("F7: a formula surface's text reaches only its host's frames before the reveal", async () => {
    for (const hostPlays of [false, true]) {
      const played = await playRound(
        { surface: formulaChoice, turns: 3, hint: "taylor" },
        hostPlays,
      );
      expect(played.reveal.surface.ref).toEqual(formulaChoice);
      expect(played.reveal.surface.formula).toBe(FORMULA);
      const secrets = surfaceSecretsOf(played.reveal, {
        strings: formulaCanaries,
        numbers: [1.2345678901, 0.7316482917, -0.4421937713, 2.718281],
      });
      for (const client of played.clients) {
        const isHost = client.name === (hostPlays ? "Host" : "host");
        const text = beforeReveal(client).join("\n");
        if (isHost) {
          // F8: the host typed it and sees it back in its own settings (and nothing more).
          expect(text).toContain(JSON.stringify(FORMULA));
          checkClient(client, played, {
            strings: [played.reveal.surface.id, played.reveal.surface.description],
            numbers: secrets.numbers.filter(
              (x) => ![1.2345678901, 0.7316482917, -0.4421937713, 2.718281].includes(x),
            ),
          });
          continue;
        }
        checkClient(client, played, secrets);
      }
      // R11: the reveal shows the formula to everyone.
      for (const client of played.clients) {
        expect(client.latest?.round?.reveal?.surface.formula).toBe(FORMULA);
      }
      for (const c of played.clients) c.close();
    }
  });

  it("F7: a classroom plan's formula reaches no student or projector before its reveal", async () => {
    const host = await connect(server.url, "teacher");
    const created = ok(
      await host.request("classroom:create", {
        name: "Formula class",
        rounds: [{ surface: formulaChoice, turns: 2, secondsPerTurn: 0 }],
      }),
    );
    const student = await connect(server.url, "student");
    ok(await student.request("room:join", { code: created.code, nickname: "Stu" }));
    const projector = await connect(server.url, "projector");
    ok(await projector.request("room:watch", { code: created.code }));
    const hostSnapshot = await host.waitFor((s) => s.members.length === 1, "the student joined");
    // The host's console shows its own plan.
    expect(hostSnapshot.classroom?.plan[0]?.surface).toEqual(formulaChoice);
    ok(await host.request("round:start", { code: created.code, hostToken: created.hostToken }));
    for (let turn = 0; turn < 2; turn++) {
      const s = await student.waitFor(
        (x) => x.round?.turn === turn && x.phase === "playing",
        `turn ${turn}`,
      );
      ok(
        await student.request("round:move", { turn, angle: 1, eta: s.round!.settings.etaMax / 3 }),
      );
    }
    for (const c of [student, projector]) {
      await c.waitFor((s) => s.phase === "revealed", "reveal");
      const text = beforeReveal(c).join("\n");
      for (const canary of formulaCanaries) {
        expect(text.includes(canary), `${c.name} saw ${canary} before the reveal`).toBe(false);
      }
      for (const frame of beforeReveal(c)) {
        const packet = parsePacket(frame);
        if (!Array.isArray(packet) || packet[0] !== "room:state") continue;
        const snapshot = packet[1] as RoomSnapshot;
        expect(snapshot.classroom?.plan.every((r) => r.surface === null)).toBe(true);
        expect(snapshot.settings.surface).toBeNull();
      }
      expect(c.latest?.round?.reveal?.surface.formula).toBe(FORMULA);
    }
    for (const c of [host, student, projector]) c.close();
  });

  /** Data points with canary coordinates: any of them in a frame is a leak (F12). */
  const DATA_POINTS: [number, number][] = [
    [-1.7320508075, 0.1234567891],
    [0.3141592653, 0.2718281828],
    [1.4142135623, 0.7320508075],
    [2.2360679774, 0.8660254037],
  ];
  const dataChoice: SurfaceChoice = {
    kind: "data",
    points: DATA_POINTS,
    box: { min: [-6, -6], max: [6, 6] },
  };
  const dataCanaries = DATA_POINTS.flat();

  it("F12: a data round's points reach only its host's frames before the reveal", async () => {
    for (const hostPlays of [false, true]) {
      const played = await playRound(
        { surface: dataChoice, turns: 3, hint: "gradient" },
        hostPlays,
      );
      expect(played.reveal.surface.ref).toEqual(dataChoice);
      const secrets = surfaceSecretsOf(played.reveal, {
        strings: dataCanaries.map(String),
        numbers: dataCanaries,
      });
      for (const client of played.clients) {
        const isHost = client.name === (hostPlays ? "Host" : "host");
        const text = beforeReveal(client).join("\n");
        if (isHost) {
          // F12: the host typed them and sees them back in its own settings (and nothing more).
          expect(text).toContain(String(DATA_POINTS[1]![0]));
          checkClient(client, played, {
            strings: [played.reveal.surface.id, played.reveal.surface.description],
            numbers: secrets.numbers.filter((x) => !dataCanaries.includes(x)),
          });
          continue;
        }
        checkClient(client, played, secrets);
      }
      // R11: the reveal gives everyone the points (the page draws them and the fits).
      for (const client of played.clients) {
        expect(client.latest?.round?.reveal?.surface.ref).toEqual(dataChoice);
      }
      for (const c of played.clients) c.close();
    }
  });

  it("F12: a classroom plan's data reach no student or projector before its reveal", async () => {
    const host = await connect(server.url, "teacher");
    const created = ok(
      await host.request("classroom:create", {
        name: "Data class",
        rounds: [{ surface: dataChoice, turns: 2, secondsPerTurn: 0 }],
      }),
    );
    const student = await connect(server.url, "student");
    ok(await student.request("room:join", { code: created.code, nickname: "Stu" }));
    const projector = await connect(server.url, "projector");
    ok(await projector.request("room:watch", { code: created.code }));
    const hostSnapshot = await host.waitFor((s) => s.members.length === 1, "the student joined");
    expect(hostSnapshot.classroom?.plan[0]?.surface).toEqual(dataChoice);
    ok(await host.request("round:start", { code: created.code, hostToken: created.hostToken }));
    for (let turn = 0; turn < 2; turn++) {
      const s = await student.waitFor(
        (x) => x.round?.turn === turn && x.phase === "playing",
        `turn ${turn}`,
      );
      ok(
        await student.request("round:move", { turn, angle: 1, eta: s.round!.settings.etaMax / 3 }),
      );
    }
    for (const c of [student, projector]) {
      await c.waitFor((s) => s.phase === "revealed", "reveal");
      const text = beforeReveal(c).join("\n");
      for (const canary of dataCanaries) {
        expect(text.includes(String(canary)), `${c.name} saw ${canary} before the reveal`).toBe(
          false,
        );
      }
      for (const frame of beforeReveal(c)) {
        const packet = parsePacket(frame);
        if (!Array.isArray(packet) || packet[0] !== "room:state") continue;
        const snapshot = packet[1] as RoomSnapshot;
        expect(snapshot.classroom?.plan.every((r) => r.surface === null)).toBe(true);
        expect(snapshot.settings.surface).toBeNull();
      }
      expect(c.latest?.round?.reveal?.surface.ref).toEqual(dataChoice);
    }
    for (const c of [host, student, projector]) c.close();
  });
});
