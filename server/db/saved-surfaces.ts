/**
 * The library of saved surfaces (issue 14 §3, docs/SPEC.md F13–F15): a teacher's formula or data
 * under a name, with a private edit token stored as its SHA-256 hash (like the host token). The
 * caller checks that the surface makes a round (server/surface-library-http.ts: the formula on
 * the analysis thread, the data by lib) before it is saved; here only its shape is checked.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { challengeIdFromBytes, challengeIdSchema } from "../../lib/challenge";
import { surfaceRefKey } from "../../lib/surface-ref";
import type { SurfaceRef } from "../../lib/surface-ref";
import { DATA_MAX_POINTS, DATA_MIN_POINTS } from "../../lib/surfaces/data-limits";
import { FORMULA_MAX_LENGTH } from "../../lib/surfaces/formula-limits";
import { newToken, tokenHash, tokensEqual } from "../tokens";
import { DataError, parseInput } from "./inputs";
import type { Database } from "./types";
import type { Prisma } from "./generated/client";

/** Longest name of a saved surface. */
export const SAVED_NAME_MAX_LENGTH = 80;

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const box = z.strictObject({ min: z.tuple([finite, finite]), max: z.tuple([finite, finite]) });

/** A saved surface's ref: a formula or data (F13). */
export const savedRefSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("formula"),
    text: z.string().min(1).max(FORMULA_MAX_LENGTH),
    box,
  }),
  z.strictObject({
    kind: z.literal("data"),
    points: z
      .array(z.tuple([finite, finite]))
      .min(DATA_MIN_POINTS)
      .max(DATA_MAX_POINTS),
    box,
  }),
]);

/** A saved surface's name: trimmed, 1–80 characters, no control characters. */
export const savedNameSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "must not be empty")
  .max(SAVED_NAME_MAX_LENGTH, `must be at most ${SAVED_NAME_MAX_LENGTH} characters`)
  .refine((s) => !/\p{Cc}/u.test(s), "must not contain control characters");

const saveSchema = z.strictObject({ name: savedNameSchema, surface: savedRefSchema });
const updateSchema = z.strictObject({
  id: challengeIdSchema,
  editToken: z.string().min(16).max(64),
  name: savedNameSchema.optional(),
  surface: savedRefSchema.optional(),
});
const listSchema = z.strictObject({
  search: z.string().trim().max(SAVED_NAME_MAX_LENGTH).optional(),
  page: z.number().int().min(1).max(1000).default(1),
});

/** A saved surface as the library shows it (never its edit token). */
export interface SavedSurface {
  readonly id: string;
  readonly name: string;
  readonly kind: "formula" | "data";
  readonly surface: Extract<SurfaceRef, { kind: "formula" | "data" }>;
  readonly surfaceKey: string;
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601. */
  readonly updatedAt: string;
  /** Stored rounds played on this surface (its key), F15. */
  readonly rounds: number;
}

/** The page size of {@link listSavedSurfaces}. */
export const SAVED_PAGE_SIZE = 50;

function fold(name: string): string {
  return name.toLowerCase();
}

/**
 * F13: save a surface under a name; returns its random id and its edit token (shown to the
 * teacher once; only its hash is stored). `INVALID_INPUT` for a bad name or surface shape.
 */
export async function saveSurface(
  db: Database,
  input: unknown,
  bytes: () => Uint8Array = () => randomBytes(16),
): Promise<{ id: string; editToken: string }> {
  const { name, surface } = parseInput(saveSchema, input, "saved surface");
  const editToken = newToken();
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = challengeIdFromBytes(bytes());
    const taken = await db.prisma.savedSurface.findUnique({ where: { id }, select: { id: true } });
    if (taken) continue;
    await db.prisma.savedSurface.create({
      data: {
        id,
        name,
        nameFolded: fold(name),
        kind: surface.kind,
        surface: surface as unknown as Prisma.InputJsonValue,
        surfaceKey: surfaceRefKey(surface),
        editTokenHash: tokenHash(editToken),
      },
    });
    await db.afterWrite();
    return { id, editToken };
  }
  throw new DataError("INVALID_INPUT", "could not draw a free surface id");
}

/**
 * F14: change a saved surface's name or surface with its edit token. Resolves false (nothing
 * changes) for an unknown id or a wrong token.
 */
export async function updateSurface(db: Database, input: unknown): Promise<boolean> {
  const { id, editToken, name, surface } = parseInput(updateSchema, input, "surface update");
  const row = await db.prisma.savedSurface.findUnique({
    where: { id },
    select: { editTokenHash: true },
  });
  if (!row || !tokensEqual(tokenHash(editToken), row.editTokenHash)) return false;
  await db.prisma.savedSurface.update({
    where: { id },
    data: {
      ...(name !== undefined && { name, nameFolded: fold(name) }),
      ...(surface !== undefined && {
        kind: surface.kind,
        surface: surface as unknown as Prisma.InputJsonValue,
        surfaceKey: surfaceRefKey(surface),
      }),
      updatedAt: new Date(),
    },
  });
  await db.afterWrite();
  return true;
}

type Row = {
  id: string;
  name: string;
  kind: string;
  surface: unknown;
  surfaceKey: string;
  createdAt: Date;
  updatedAt: Date;
};

const SELECT = {
  id: true,
  name: true,
  kind: true,
  surface: true,
  surfaceKey: true,
  createdAt: true,
  updatedAt: true,
} as const;

async function withRounds(db: Database, rows: readonly Row[]): Promise<SavedSurface[]> {
  const keys = [...new Set(rows.map((r) => r.surfaceKey))];
  const counts =
    keys.length === 0
      ? []
      : await db.prisma.round.groupBy({
          by: ["surfaceKey"],
          where: { surfaceKey: { in: keys } },
          _count: { _all: true },
        });
  const byKey = new Map(counts.map((c) => [c.surfaceKey, c._count._all]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind === "data" ? "data" : "formula",
    surface: r.surface as SavedSurface["surface"],
    surfaceKey: r.surfaceKey,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    rounds: byKey.get(r.surfaceKey) ?? 0,
  }));
}

/** A saved surface by id, or null (unknown or malformed id). */
export async function getSavedSurface(db: Database, id: string): Promise<SavedSurface | null> {
  const parsed = challengeIdSchema.safeParse(id);
  if (!parsed.success) return null;
  const row = await db.prisma.savedSurface.findUnique({
    where: { id: parsed.data },
    select: SELECT,
  });
  return row ? ((await withRounds(db, [row]))[0] ?? null) : null;
}

/**
 * F15: the library, newest first, 50 a page; `search` keeps the names containing it (case
 * folded).
 */
export async function listSavedSurfaces(
  db: Database,
  query: unknown = {},
): Promise<{ items: SavedSurface[]; hasMore: boolean }> {
  const { search, page } = parseInput(listSchema, query, "library query");
  const rows = await db.prisma.savedSurface.findMany({
    where: search ? { nameFolded: { contains: fold(search) } } : {},
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    skip: (page - 1) * SAVED_PAGE_SIZE,
    take: SAVED_PAGE_SIZE + 1,
    select: SELECT,
  });
  const items = await withRounds(db, rows.slice(0, SAVED_PAGE_SIZE));
  return { items, hasMore: rows.length > SAVED_PAGE_SIZE };
}

/** F15: the saved names of surface keys (the oldest save of each key), for boards and lists. */
export async function savedNamesOf(
  db: Database,
  keys: readonly string[],
): Promise<Map<string, string>> {
  const wanted = [
    ...new Set(keys.filter((k) => k.startsWith("formula:") || k.startsWith("data:"))),
  ];
  if (wanted.length === 0) return new Map();
  const rows = await db.prisma.savedSurface.findMany({
    where: { surfaceKey: { in: wanted } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { surfaceKey: true, name: true },
  });
  const names = new Map<string, string>();
  for (const r of rows) if (!names.has(r.surfaceKey)) names.set(r.surfaceKey, r.name);
  return names;
}
