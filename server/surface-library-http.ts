import type { IncomingMessage, ServerResponse } from "node:http";
import { analyseData, DataError as SurfaceDataError } from "../lib/surfaces/data";
import type { Database } from "./db/types";
import { DataError } from "./db/inputs";
import { getSavedSurface, saveSurface, savedRefSchema, updateSurface } from "./db/saved-surfaces";
import type { FormulaAnalyser } from "./formula-analysis";

/**
 * The library of saved surfaces over HTTP (issue 14 §3, docs/SPEC.md F13–F15):
 * - `POST /api/surfaces` `{ name, surface }` → 201 `{ id, editToken }`: the surface (a formula,
 *   checked on the analysis thread, or data, checked by lib) must make a round; the edit token is
 *   shown once and only its hash is stored;
 * - `GET /api/surfaces/ID` → `{ id, name, kind, surface, surfaceKey, createdAt, updatedAt,
 *   rounds }`, or 404;
 * - `PUT /api/surfaces/ID` `{ editToken, name?, surface? }` → `{ ok: true }`; 403 for a wrong
 *   token (nothing changes).
 * Bad input is a 400 or 422 `{ error: { code, message } }` naming the problem; nothing is stored.
 */

const PATH = /^\/api\/surfaces(?:\/([^/?#]{1,32}))?$/;
const MAX_BODY = 16 * 1024;

/** Whether a request is for the library's API. */
export function isSurfaceLibraryRequest(req: IncomingMessage): boolean {
  return PATH.test((req.url ?? "").split("?")[0] ?? "");
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { error: { code, message } });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new RangeError(`the body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

/** F13: whether the surface makes a round (null) or why not. */
async function refusal(surface: unknown, formulas: FormulaAnalyser): Promise<string | null> {
  const parsed = savedRefSchema.safeParse(surface);
  if (!parsed.success) {
    return `surface must be { kind: "formula", text, box } or { kind: "data", points, box } (${parsed.error.issues[0]?.message ?? "malformed"})`;
  }
  const ref = parsed.data;
  if (ref.kind === "formula") {
    const checked = await formulas.analyse({ text: ref.text, box: ref.box });
    return checked.ok ? null : `formula: ${checked.message}`;
  }
  try {
    analyseData({ points: ref.points, box: ref.box });
    return null;
  } catch (error) {
    if (error instanceof SurfaceDataError) return `data: ${error.message}`;
    throw error;
  }
}

/** Answer a library request (never throws). */
export async function serveSurfaceLibrary(
  req: IncomingMessage,
  res: ServerResponse,
  db: Database,
  formulas: FormulaAnalyser,
): Promise<void> {
  try {
    const [, id] = PATH.exec((req.url ?? "").split("?")[0] ?? "") ?? [];
    if (id === undefined) {
      if (req.method !== "POST") return fail(res, 405, "METHOD_NOT_ALLOWED", "use POST");
      const body = (await readJson(req)) as { name?: unknown; surface?: unknown } | null;
      if (!body || typeof body !== "object") {
        return fail(res, 400, "INVALID_INPUT", "the body must be { name, surface }");
      }
      const why = await refusal(body.surface, formulas);
      if (why) return fail(res, 422, "INVALID_SURFACE", why);
      const saved = await saveSurface(db, { name: body.name, surface: body.surface });
      return send(res, 201, saved);
    }
    if (req.method === "GET" || req.method === "HEAD") {
      const found = await getSavedSurface(db, decodeURIComponent(id));
      if (!found) return fail(res, 404, "NOT_FOUND", "no saved surface has this id");
      return send(res, 200, found);
    }
    if (req.method === "PUT") {
      const body = (await readJson(req)) as Record<string, unknown> | null;
      if (!body || typeof body !== "object") {
        return fail(res, 400, "INVALID_INPUT", "the body must be { editToken, name?, surface? }");
      }
      if (body.surface !== undefined) {
        const why = await refusal(body.surface, formulas);
        if (why) return fail(res, 422, "INVALID_SURFACE", why);
      }
      const ok = await updateSurface(db, { ...body, id: decodeURIComponent(id) });
      if (!ok) return fail(res, 403, "FORBIDDEN", "unknown surface or wrong edit token");
      return send(res, 200, { ok: true });
    }
    return fail(res, 405, "METHOD_NOT_ALLOWED", "use GET or PUT");
  } catch (error) {
    if (error instanceof DataError) return fail(res, 400, error.code, error.message);
    if (error instanceof SyntaxError || error instanceof RangeError) {
      return fail(res, 400, "INVALID_INPUT", `bad body: ${error.message}`);
    }
    fail(res, 500, "INTERNAL_ERROR", "the library failed; nothing changed");
  }
}
