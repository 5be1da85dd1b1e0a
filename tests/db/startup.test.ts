/**
 * Opening the database: the configuration from the environment, and one clear message plus a
 * non-zero exit when the database cannot be reached.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createDatabase,
  databaseConfigFromEnv,
  DatabaseUnavailableError,
  postgresTarget,
} from "../../server/db";

describe("database configuration", () => {
  it("defaults to embedded PGlite in ./data, or DATA_DIR", () => {
    expect(databaseConfigFromEnv({})).toEqual({
      kind: "pglite",
      dataDir: resolve("data", "pglite"),
    });
    expect(databaseConfigFromEnv({ DATA_DIR: "/srv/bd" })).toEqual({
      kind: "pglite",
      dataDir: "/srv/bd/pglite",
    });
  });

  it("uses PostgreSQL for a postgresql:// DATABASE_URL and refuses other URLs", () => {
    expect(databaseConfigFromEnv({ DATABASE_URL: "postgresql://u@h/db" })).toEqual({
      kind: "postgres",
      url: "postgresql://u@h/db",
    });
    expect(() => databaseConfigFromEnv({ DATABASE_URL: "mysql://user:pw@h/db" })).toThrow(
      'DATABASE_URL must be a postgresql:// URL, got "mysql://…@h/db"',
    );
  });

  it("reads Prisma's ?schema= parameter", () => {
    expect(postgresTarget("postgresql://u:secret@h:6543/db?schema=s1")).toEqual({
      connectionString: "postgresql://u:secret@h:6543/db",
      schema: "s1",
      label: "h:6543/db",
    });
    expect(() => postgresTarget("postgresql://h/db?schema=a;b")).toThrow(/plain identifier/);
  });
});

describe("an unreachable database", () => {
  it("gives one clear error", async () => {
    const error = await createDatabase({
      kind: "postgres",
      url: "postgresql://postgres:pw@127.0.0.1:1/test",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toBe(
      "Cannot reach the database (PostgreSQL at 127.0.0.1:1/test): connect ECONNREFUSED 127.0.0.1:1",
    );
  });

  it("makes `npm run db:migrate` print that one line and exit non-zero", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/db-migrate.ts"], {
      env: { ...process.env, DATABASE_URL: "postgresql://postgres@127.0.0.1:1/test" },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      "Cannot reach the database (PostgreSQL at 127.0.0.1:1/test): connect ECONNREFUSED 127.0.0.1:1",
    );
  });
});

describe("the PGlite folder lock", () => {
  it("refuses a second opener while the first holds the folder, and takes over a stale lock", async () => {
    const dir = await mkdtemp(join(tmpdir(), "blind-descent-lock-"));
    const dataDir = join(dir, "pglite");
    try {
      // A lock left by a process that is gone (kill -9) does not keep the folder shut.
      await writeFile(`${dataDir}.lock`, "999999999");
      const first = await createDatabase({ kind: "pglite", dataDir });
      try {
        const error = await createDatabase({ kind: "pglite", dataDir }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DatabaseUnavailableError);
        expect((error as Error).message).toBe(
          `Cannot open the database (PGlite in ${dataDir}): it is in use by process ${process.pid} (${dataDir}.lock)`,
        );
      } finally {
        await first.close();
      }
      await expect(readFile(`${dataDir}.lock`)).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
