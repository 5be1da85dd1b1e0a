/** The data-layer contract on embedded PGlite, in a fresh temporary data folder. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase } from "../../server/db";
import { dataLayerContract } from "./contract";

dataLayerContract("PGlite", async () => {
  const dir = await mkdtemp(join(tmpdir(), "blind-descent-pglite-"));
  const db = await createDatabase({ kind: "pglite", dataDir: join(dir, "pglite") });
  return {
    db,
    dispose: async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
