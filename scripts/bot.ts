/**
 * `npm run bot -- --url http://localhost:3000 --room CODE --optimizer adam`
 *
 * A script client that joins a room through the public protocol (docs/protocol.md) and plays with
 * any of lib/optimizers' optimizers: the proof that the protocol is usable by a third party.
 *
 * It knows only what its view grants. Each turn it builds a local model of the surface around its
 * position θ — L(θ') ≈ L + gᵀ(θ'−θ) + ½(θ'−θ)ᵀB(θ'−θ) — and lets the optimizer take one step on
 * that model; the step θ_next − θ becomes the move (angle = atan2, η = its length, at most η_max):
 * - hints `gradient` and `taylor`: g is the gradient the server sends for the current position;
 * - hint `blind`: g is estimated from the losses of the points visited so far (a least-squares
 *   plane through the last few positions); the first two turns are probes along +w and +b, and a
 *   probe perpendicular to the last step is made whenever the points are (nearly) collinear.
 * B starts as a multiple of the identity and is refined by BFGS from successive gradients (Newton
 * uses it; Nesterov uses the model's gradient g + B(θ'−θ) at its look-ahead point).
 *
 * Options: --url (default http://localhost:3000), --room (required), --optimizer (gd, momentum,
 * nesterov, rmsprop, adam, newton; default gd), --nickname (default bot-<optimizer>), --eta (the
 * optimizer's learning rate; default: scaled from η_max, see defaultEta), --seat-token (resume a
 * seat instead of joining), --rounds N (leave after N reveals; default: stay until the room
 * closes), --quiet.
 */
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import { getOptimizer, OPTIMIZER_IDS } from "../lib/optimizers";
import type { Optimizer, OptimizerParams, OptimizerState } from "../lib/optimizers";
import { PROTOCOL_VERSION } from "../lib/protocol";
import type {
  AckResponse,
  ClientToServerEvents,
  RoomSnapshot,
  ServerToClientEvents,
} from "../lib/protocol";
import type { Box, Hessian, Surface, Vec2 } from "../lib/types";

interface Options {
  url: string;
  room: string;
  optimizer: Optimizer;
  nickname: string;
  eta: number | null;
  seatToken: string | null;
  rounds: number | null;
  quiet: boolean;
}

function usage(message: string): never {
  console.error(`bot: ${message}`);
  console.error(
    "usage: npm run bot -- --room CODE [--url http://localhost:3000] [--optimizer gd|momentum|nesterov|rmsprop|adam|newton] [--nickname NAME] [--eta X] [--seat-token T] [--rounds N] [--quiet]",
  );
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Options {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) usage(`unexpected argument ${JSON.stringify(arg)}`);
    const [key, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    if (key === "quiet" || key === "help") {
      flags.add(key);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) usage(`--${key} needs a value`);
    values.set(key, value);
  }
  if (flags.has("help")) usage("help");
  const known = new Set(["url", "room", "optimizer", "nickname", "eta", "seat-token", "rounds"]);
  for (const key of values.keys()) if (!known.has(key)) usage(`unknown option --${key}`);
  const room = values.get("room");
  if (!room) usage("--room CODE is required");
  const id = values.get("optimizer") ?? "gd";
  let optimizer: Optimizer;
  try {
    optimizer = getOptimizer(id);
  } catch {
    usage(`--optimizer must be one of ${OPTIMIZER_IDS.join(", ")}, got ${JSON.stringify(id)}`);
  }
  const eta = values.has("eta") ? Number(values.get("eta")) : null;
  if (eta !== null && !(eta > 0 && Number.isFinite(eta))) usage("--eta must be a positive number");
  const rounds = values.has("rounds") ? Number(values.get("rounds")) : null;
  if (rounds !== null && !(Number.isInteger(rounds) && rounds > 0)) {
    usage("--rounds must be a positive integer");
  }
  return {
    url: values.get("url") ?? "http://localhost:3000",
    room,
    optimizer,
    nickname: values.get("nickname") ?? `bot-${optimizer.id}`,
    eta,
    seatToken: values.get("seat-token") ?? null,
    rounds,
    quiet: flags.has("quiet"),
  };
}

// ── The local model and the strategy ─────────────────────────────────────────────────────────

const sub = (a: Vec2, b: Vec2): Vec2 => [a[0] - b[0], a[1] - b[1]];
const dot = (a: Vec2, b: Vec2): number => a[0] * b[0] + a[1] * b[1];
const norm = (a: Vec2): number => Math.hypot(a[0], a[1]);
const times = (h: Hessian, v: Vec2): Vec2 => [
  h[0][0] * v[0] + h[0][1] * v[1],
  h[1][0] * v[0] + h[1][1] * v[1],
];

/**
 * The learning rate used when --eta is not given, scaled from η_max and the first gradient so
 * that the first step is a sensible fraction of η_max whatever the surface's scale.
 */
function defaultEta(optimizer: Optimizer, etaMax: number, g0: Vec2): number {
  const gn = Math.max(norm(g0), 1e-12);
  switch (optimizer.id) {
    case "gd":
      return (0.5 * etaMax) / gn;
    case "momentum":
    case "nesterov":
      return (0.15 * etaMax) / gn;
    case "rmsprop":
      return 0.1 * etaMax;
    case "adam":
      return 0.3 * etaMax;
    case "newton":
      return 1;
  }
}

/**
 * Least-squares gradient of the plane L ≈ c + gᵀ(θ − θ_last) through the last `k` points; null
 * when they do not span two dimensions.
 */
function planeGradient(path: readonly Vec2[], losses: readonly number[], k = 4): Vec2 | null {
  const n = Math.min(k, path.length);
  const last = path[path.length - 1];
  const lastLoss = losses[losses.length - 1];
  if (!last || lastLoss === undefined || n < 3) return null;
  // Normal equations for g over the differences to the last point.
  let a = 0;
  let b = 0;
  let c = 0;
  let r0 = 0;
  let r1 = 0;
  for (let i = path.length - n; i < path.length - 1; i++) {
    const p = path[i];
    const l = losses[i];
    if (!p || l === undefined) continue;
    const d = sub(p, last);
    const y = l - lastLoss;
    a += d[0] * d[0];
    b += d[0] * d[1];
    c += d[1] * d[1];
    r0 += d[0] * y;
    r1 += d[1] * y;
  }
  const det = a * c - b * b;
  if (!(Math.abs(det) > 1e-12 * (a * c + 1e-300))) return null;
  return [(c * r0 - b * r1) / det, (a * r1 - b * r0) / det];
}

/** The bot's memory across turns of one round. */
class Strategy {
  private state: OptimizerState | null = null;
  private params: OptimizerParams | null = null;
  private hessian: Hessian = [
    [1, 0],
    [0, 1],
  ];
  private lastGradient: { theta: Vec2; g: Vec2 } | null = null;

  constructor(
    private readonly optimizer: Optimizer,
    private readonly eta: number | null,
  ) {}

  /** The move for this turn, from the view's own track. */
  decide(round: NonNullable<RoomSnapshot["round"]>): { angle: number; eta: number; why: string } {
    const you = round.you;
    if (!you) throw new Error("no seat in this round");
    const theta = you.path[you.path.length - 1] ?? round.field.start;
    const etaMax = round.settings.etaMax;
    const turn = round.turn;
    let g: Vec2 | null = you.gradient ? [you.gradient[0], you.gradient[1]] : null;
    let why = "gradient hint";
    if (!g) {
      why = "estimated gradient";
      if (turn === 0) return { angle: 0, eta: 0.25 * etaMax, why: "probe +w" };
      if (turn === 1) return { angle: Math.PI / 2, eta: 0.25 * etaMax, why: "probe +b" };
      g = planeGradient(you.path, you.losses);
      if (!g) {
        const prev = you.path[you.path.length - 2] ?? theta;
        const step = sub(theta, prev);
        const angle = Math.atan2(step[1], step[0]) + Math.PI / 2;
        return { angle, eta: 0.25 * etaMax, why: "probe (collinear points)" };
      }
    }
    this.updateCurvature(theta, g, etaMax);
    const params =
      this.params ??
      (this.params = {
        ...this.optimizer.defaults,
        eta: this.eta ?? defaultEta(this.optimizer, etaMax, g),
      });
    const model = this.model(theta, g, round.field.domain);
    const current: OptimizerState = this.state
      ? { ...this.state, theta }
      : this.optimizer.init(theta);
    const next = this.optimizer.step(current, model, params);
    this.state = next;
    const delta = sub(next.theta, theta);
    const length = norm(delta);
    if (!(length > 0)) {
      // A stationary point of the model: a tiny step keeps the turn moving.
      return { angle: Math.atan2(-g[1], -g[0]), eta: Math.min(etaMax, 1e-6 * etaMax + 1e-12), why };
    }
    return { angle: Math.atan2(delta[1], delta[0]), eta: Math.min(etaMax, length), why };
  }

  /** BFGS update of the curvature estimate from the last two gradients (skipped if not convex). */
  private updateCurvature(theta: Vec2, g: Vec2, etaMax: number): void {
    if (!this.lastGradient) {
      const s = Math.max(norm(g) / (0.5 * etaMax), 1e-9);
      this.hessian = [
        [s, 0],
        [0, s],
      ];
    } else {
      const s = sub(theta, this.lastGradient.theta);
      const y = sub(g, this.lastGradient.g);
      const sy = dot(s, y);
      const bs = times(this.hessian, s);
      const sbs = dot(s, bs);
      if (sy > 1e-12 && sbs > 1e-12) {
        const h = this.hessian;
        this.hessian = [
          [
            h[0][0] - (bs[0] * bs[0]) / sbs + (y[0] * y[0]) / sy,
            h[0][1] - (bs[0] * bs[1]) / sbs + (y[0] * y[1]) / sy,
          ],
          [
            h[1][0] - (bs[1] * bs[0]) / sbs + (y[1] * y[0]) / sy,
            h[1][1] - (bs[1] * bs[1]) / sbs + (y[1] * y[1]) / sy,
          ],
        ];
      }
    }
    this.lastGradient = { theta, g };
  }

  /** The quadratic model around θ as a Surface the optimizers can step on. */
  private model(theta: Vec2, g: Vec2, domain: Box): Surface {
    const h = this.hessian;
    const gradientAt = (p: Vec2): Vec2 => {
      const d = sub(p, theta);
      const hd = times(h, d);
      return [g[0] + hd[0], g[1] + hd[1]];
    };
    return {
      id: "local-model",
      name: "local model",
      description: "the bot's quadratic model around its position",
      formula: "L ≈ L(θ) + gᵀd + ½dᵀBd",
      loss: (p) => {
        const d = sub(p, theta);
        return dot(g, d) + 0.5 * dot(d, times(h, d));
      },
      gradient: gradientAt,
      hessian: () => h,
      domain,
      minima: [],
      start: theta,
      etaMax: 1,
      botEta: 1,
      difficulty: "easy",
    };
  }
}

// ── The client ───────────────────────────────────────────────────────────────────────────────

type BotSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function request<T extends object>(
  socket: BotSocket,
  event: keyof ClientToServerEvents,
  payload: object,
): Promise<AckResponse<T>> {
  return new Promise((resolve) => {
    const emit = socket.emit.bind(socket) as unknown as (
      event: string,
      payload: object,
      ack: (response: AckResponse<T>) => void,
    ) => void;
    emit(event, payload, resolve);
  });
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const log = (message: string): void => {
    if (!options.quiet) console.log(`[${options.nickname}] ${message}`);
  };
  const socket: BotSocket = io(options.url, {
    transports: ["websocket"],
    auth: { protocolVersion: PROTOCOL_VERSION },
    reconnectionDelayMax: 2_000,
  });
  let seatToken = options.seatToken;
  let strategy: Strategy | null = null;
  let roundNumber = 0;
  let movedTurn = -1;
  let reveals = 0;
  let lastRevealRound = 0;
  let leaving = false;

  const finish = (code: number): void => {
    leaving = true;
    socket.close();
    process.exit(code);
  };

  socket.on("connect", () => {
    void (async () => {
      if (seatToken) {
        const res = await request<{ playerId: string }>(socket, "room:resume", {
          code: options.room,
          seatToken,
        });
        if (!res.ok) {
          console.error(
            `[${options.nickname}] cannot resume: ${res.error.code}: ${res.error.message}`,
          );
          finish(1);
          return;
        }
        log(`resumed my seat in room ${options.room.toUpperCase()}`);
        return;
      }
      const res = await request<{ seatToken: string; playerId: string }>(socket, "room:join", {
        code: options.room,
        nickname: options.nickname,
      });
      if (!res.ok) {
        console.error(`[${options.nickname}] cannot join: ${res.error.code}: ${res.error.message}`);
        finish(1);
        return;
      }
      seatToken = res.seatToken;
      log(`joined room ${options.room.toUpperCase()} with ${options.optimizer.name}`);
      // The seat token on stdout lets a supervisor restart the bot into the same seat.
      log(`seat token: ${res.seatToken}`);
    })();
  });

  socket.on("connect_error", (error) => {
    console.error(`[${options.nickname}] cannot connect to ${options.url}: ${error.message}`);
  });
  socket.on("disconnect", (reason) => {
    if (!leaving) log(`disconnected (${reason}); reconnecting…`);
  });
  socket.on("protocol:error", (message) => {
    console.error(
      `[${options.nickname}] protocol error on ${message.event}: ${message.error.message}`,
    );
  });
  socket.on("room:closed", (message) => {
    log(`room closed: ${message.message}`);
    finish(0);
  });

  socket.on("room:state", (snapshot) => {
    const round = snapshot.round;
    if (!round) return;
    if (snapshot.roundNumber !== roundNumber) {
      roundNumber = snapshot.roundNumber;
      strategy = new Strategy(options.optimizer, options.eta);
      movedTurn = -1;
      if (snapshot.you.inRound) log(`round ${roundNumber} started (hint ${round.settings.hint})`);
    }
    if (snapshot.phase === "revealed" && round.reveal && lastRevealRound !== snapshot.roundNumber) {
      lastRevealRound = snapshot.roundNumber;
      reveals += 1;
      const me = round.reveal.results.ranking.find((r) => r.you);
      const bot = round.reveal.results.bot;
      log(
        `round ${snapshot.roundNumber} revealed: ${round.reveal.surface.name}; ` +
          (me
            ? `rank ${me.rank}/${round.reveal.results.ranking.length}, score ${me.score}, final loss ${me.finalLoss.toPrecision(5)}` +
              (bot
                ? `, the server's bot ${bot.finalLoss.toPrecision(5)} (${me.beatBot ? "beaten" : "not beaten"})`
                : "")
            : "I watched this round"),
      );
      if (options.rounds !== null && reveals >= options.rounds) {
        leaving = true;
        void request(socket, "room:leave", {}).finally(() => finish(0));
      }
      return;
    }
    if (snapshot.phase !== "playing" || !snapshot.you.inRound || !round.you || !strategy) return;
    if (round.you.pendingMove || movedTurn === round.turn) return;
    movedTurn = round.turn;
    let decision: { angle: number; eta: number; why: string };
    try {
      decision = strategy.decide(round);
    } catch (error) {
      console.error(`[${options.nickname}] strategy failed: ${String(error)}`);
      return;
    }
    const turn = round.turn;
    void request<{ turn: number }>(socket, "round:move", {
      turn,
      angle: decision.angle,
      eta: decision.eta,
    }).then((res) => {
      const loss = round.you?.losses[round.you.losses.length - 1];
      if (res.ok) {
        log(
          `turn ${turn + 1}/${round.settings.turns}: loss ${loss?.toPrecision(5)}, move ${((decision.angle * 180) / Math.PI).toFixed(1)}° η=${decision.eta.toPrecision(3)} (${decision.why})`,
        );
      } else {
        log(`turn ${turn + 1}: move refused: ${res.error.code}: ${res.error.message}`);
      }
    });
  });

  process.once("SIGINT", () => {
    leaving = true;
    void request(socket, "room:leave", {}).finally(() => finish(0));
    setTimeout(() => finish(0), 1_000).unref();
  });
}

main();
