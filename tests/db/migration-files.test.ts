/**
 * `npm run db:migration -- NAME` (createMigration): diffs the migrations against the schema with
 * no server and no network, writes Prisma's folder layout, and the result applies.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, createMigration } from "../../server/db";
import { PRISMA_DIR } from "../../server/db/database";

describe("creating a migration offline", () => {
  let dir: string;
  let migrationsDir: string;
  let schemaPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "blind-descent-migration-"));
    migrationsDir = join(dir, "migrations");
    schemaPath = join(dir, "schema.prisma");
    await cp(join(PRISMA_DIR, "migrations"), migrationsDir, { recursive: true });
    await cp(join(PRISMA_DIR, "schema.prisma"), schemaPath);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes nothing when the schema matches the committed migrations", async () => {
    expect(await createMigration("nothing", { migrationsDir, schemaPath })).toBeNull();
  });

  it("writes <timestamp>_<name>/migration.sql for a schema change, and it applies", async () => {
    const schema = await readFile(schemaPath, "utf8");
    await writeFile(
      schemaPath,
      schema.replace("  code      String\n", "  code      String\n  note      String?\n"),
    );
    const created = await createMigration("room_note", {
      migrationsDir,
      schemaPath,
      now: new Date(Date.UTC(2031, 1, 3, 4, 5, 6)),
    });
    expect(created?.name).toBe("20310203040506_room_note");
    expect(created?.sql).toContain('ALTER TABLE "Room" ADD COLUMN     "note" TEXT;');
    expect(await readFile(join(migrationsDir, created!.name, "migration.sql"), "utf8")).toBe(
      created!.sql,
    );
    const db = await createDatabase({ kind: "pglite", dataDir: "memory://" });
    try {
      const folders = (await readdir(migrationsDir, { withFileTypes: true }))
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
      expect((await db.migrate({ migrationsDir, schemaPath })).applied).toEqual(folders);
      const columns = await db.prisma.$queryRawUnsafe<{ column_name: string }[]>(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'Room' AND column_name = 'note'",
      );
      expect(columns).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it("refuses a bad name", async () => {
    await expect(createMigration("Bad Name", { migrationsDir, schemaPath })).rejects.toThrow(
      'a migration name is 1 to 80 of a-z, 0-9 and _, got "Bad Name"',
    );
  });
});
