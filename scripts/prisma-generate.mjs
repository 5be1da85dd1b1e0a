#!/usr/bin/env node
// `postinstall`: generate the Prisma client into server/db/generated (git-ignored) from
// prisma/schema.prisma, offline. `prisma generate` needs no schema engine, but the CLI looks for
// its native binary (which it cannot download here) unless PRISMA_SCHEMA_ENGINE_BINARY names an
// existing file: this script names itself.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "node_modules", "prisma", "build", "index.js");
if (!existsSync(cli)) {
  console.log("prisma is not installed yet: skipping the client generation");
  process.exit(0);
}
const result = spawnSync(process.execPath, [cli, "generate"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY:
      process.env.PRISMA_SCHEMA_ENGINE_BINARY || fileURLToPath(import.meta.url),
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
process.exit(result.status ?? 1);
