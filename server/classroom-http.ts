import type { IncomingMessage, ServerResponse } from "node:http";
import { standingsCsv } from "../lib/game";
import { roomCodeSchema } from "../lib/protocol";
import { competitionSnapshot } from "../lib/room";
import { competitionCsv, competitionsByCode } from "./db/competitions";
import type { Database } from "./db/database";
import type { GameHub } from "./hub";
import { isHostToken } from "./room-commands";
import { tokenHash, tokensEqual } from "./tokens";

/**
 * `GET /classroom/CODE/results.csv?token=HOST_TOKEN`: a competition's standings as CSV (nickname,
 * score per round, total, rank, bot beaten count; then L8's cos β per round, its change first→last,
 * overshoots and steps). The host token is required; the live room
 * answers while it is open, the database afterwards (and after a restart).
 */

const PATH = /^\/classroom\/([^/?#]{1,32})\/results\.csv$/;

/** The room code a CSV request names (R41: which node answers it). */
export function classroomCsvCode(req: IncomingMessage): string | null {
  const path = (req.url ?? "").split("?")[0] ?? "";
  return PATH.exec(path)?.[1] ?? null;
}

/** Whether a request is for a competition's CSV export. */
export function isClassroomCsvRequest(req: IncomingMessage): boolean {
  const path = (req.url ?? "").split("?")[0] ?? "";
  return PATH.test(path);
}

/** The CSV and its file name, or an HTTP status with a message. */
export type CsvOutcome =
  | { readonly ok: true; readonly csv: string; readonly filename: string }
  | { readonly ok: false; readonly status: number; readonly message: string };

/** Build a competition's CSV for a host (live room first, then the database). */
export async function classroomCsv(
  hub: GameHub,
  db: Database | null,
  rawCode: string,
  token: string,
): Promise<CsvOutcome> {
  const parsed = roomCodeSchema.safeParse(rawCode);
  if (!parsed.success) return { ok: false, status: 404, message: "no competition has this code" };
  const code = parsed.data;
  if (token === "") {
    return { ok: false, status: 403, message: "the host token is required (?token=…)" };
  }
  const slug = (name: string) =>
    name
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "competition";
  const room = hub.room(code);
  // A live room answers for its own host; another token may belong to an earlier competition
  // that had the same code (codes are reused once a room has closed): the database answers.
  const classroom = room && !room.isClosed ? room.state.classroom : null;
  if (room && classroom && isHostToken(room, token)) {
    const snapshot = competitionSnapshot(classroom, code, room.state.hostTokenHash);
    return {
      ok: true,
      csv: standingsCsv(
        snapshot.roundsPlayed,
        snapshot.standings,
        snapshot.kicked,
        snapshot.learning,
      ),
      filename: `${slug(snapshot.name)}-${code}.csv`,
    };
  }
  const live = classroom !== null;
  const used = db ? await competitionsByCode(db, code) : [];
  if (!live && used.length === 0) {
    return { ok: false, status: 404, message: "no competition has this code" };
  }
  const hash = tokenHash(token);
  const stored = used.find((c) => c.hostTokenHash && tokensEqual(hash, c.hostTokenHash));
  if (!stored) return { ok: false, status: 403, message: "the host token is wrong" };
  return { ok: true, csv: competitionCsv(stored), filename: `${slug(stored.name)}-${code}.csv` };
}

/** Answer a CSV request (never throws). */
export async function serveClassroomCsv(
  req: IncomingMessage,
  res: ServerResponse,
  hub: GameHub,
  db: Database | null,
): Promise<void> {
  try {
    const url = new URL(req.url ?? "/", "http://localhost");
    const code = PATH.exec(url.pathname)?.[1] ?? "";
    const outcome = await classroomCsv(hub, db, code, url.searchParams.get("token") ?? "");
    if (!outcome.ok) {
      res.writeHead(outcome.status, { "content-type": "text/plain; charset=utf-8" });
      res.end(`${outcome.message}\n`);
      return;
    }
    res.writeHead(200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${outcome.filename.replace(/[^\x20-\x7e]/g, "_")}"`,
      "cache-control": "no-store",
    });
    // A byte-order mark so that spreadsheet programs read the nicknames as UTF-8.
    res.end(`\uFEFF${outcome.csv}`);
  } catch (error) {
    hub.logger.error("CSV export failed", { error: String(error) });
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
    res.end("the export failed; try again\n");
  }
}
