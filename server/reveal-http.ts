import type { IncomingMessage, ServerResponse } from "node:http";
import { gzip } from "node:zlib";
import { roomCodeSchema } from "../lib/protocol";
import type { GameHub } from "./hub";
import type { RevealShare } from "./room";

/**
 * `GET /api/rooms/CODE/reveals/KEY`: a big reveal's shared entries (docs/SPEC.md R11a), the
 * `revealPlayers.href` of a room's snapshots. The body is made once per reveal by the room and
 * compressed once here, so sixty phones fetching it cost sixty small writes instead of sixty
 * copies of every path in the socket's reveal burst. It holds exactly what a spectator of the room
 * sees of the players after the reveal (anyone with the room code may spectate), and only while
 * that reveal is the room's latest; the key is random, so the URL cannot be guessed before the
 * reveal either.
 */

const PATH = /^\/api\/rooms\/([^/?#]{1,32})\/reveals\/([A-Za-z0-9_-]{1,64})$/;

/** Whether a request is for a reveal's shared entries. */
export function isRevealPlayersRequest(req: IncomingMessage): boolean {
  const path = (req.url ?? "").split("?")[0] ?? "";
  return path.startsWith("/api/rooms/") && PATH.test(path);
}

/** The room code a reveal request names (R41: which node answers it). */
export function revealRoomCode(req: IncomingMessage): string | null {
  const path = (req.url ?? "").split("?")[0] ?? "";
  return PATH.exec(path)?.[1] ?? null;
}

const compressed = new WeakMap<RevealShare, Promise<Buffer>>();

/** The gzip of a share's body, made once (on the thread pool, off the event loop). */
function gzipOf(share: RevealShare): Promise<Buffer> {
  let done = compressed.get(share);
  if (!done) {
    done = new Promise<Buffer>((resolve, reject) =>
      gzip(share.json, (error, result) => (error ? reject(error) : resolve(result))),
    );
    compressed.set(share, done);
  }
  return done;
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    ...(status === 405 && { allow: "GET, HEAD" }),
  });
  res.end(JSON.stringify({ error: { code, message } }));
}

/** Answer a request for a reveal's shared entries (never throws). */
export async function serveRevealPlayers(
  req: IncomingMessage,
  res: ServerResponse,
  hub: GameHub,
): Promise<void> {
  try {
    if (req.method !== "GET" && req.method !== "HEAD") {
      fail(res, 405, "METHOD_NOT_ALLOWED", "only GET and HEAD are allowed here");
      return;
    }
    const path = (req.url ?? "").split("?")[0] ?? "";
    const [, rawCode = "", key = ""] = PATH.exec(path) ?? [];
    const code = roomCodeSchema.safeParse(rawCode);
    const share = code.success ? (hub.room(code.data)?.revealPlayers(key) ?? null) : null;
    if (!share) {
      fail(
        res,
        404,
        "NOT_FOUND",
        "no such reveal: the room has closed or played another round since; its replay is on /replays",
      );
      return;
    }
    const accepts = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = accepts ? await gzipOf(share) : Buffer.from(share.json);
    res.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "content-length": body.length,
      // The key names one revealed state: the body never changes.
      "cache-control": "private, max-age=86400, immutable",
      vary: "accept-encoding",
      ...(accepts && { "content-encoding": "gzip" }),
    });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch (error) {
    hub.logger.error("serving a reveal failed", { error: String(error) });
    if (!res.headersSent) fail(res, 500, "INTERNAL_ERROR", "the server failed; try again");
    else res.end();
  }
}
