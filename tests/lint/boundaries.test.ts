/**
 * The module boundaries ESLint enforces (eslint.config.mjs): only server/socket-io.ts imports
 * socket.io; lib/ imports no Node module, database, server/ or app/; app/ imports from server/
 * only the data layer's page functions; lib/ uses lib/math, not the engine's Math functions.
 * Each rule is checked on a snippet that breaks it and on one that keeps it.
 */
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

let eslint: ESLint;

/** The messages of the rules this file is about, for `code` as if it were the file `path`. */
async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  return result!.messages
    .filter((m) =>
      ["no-restricted-imports", "no-restricted-properties", "no-restricted-syntax"].includes(
        m.ruleId ?? "",
      ),
    )
    .map((m) => m.message);
}

describe("module boundaries (eslint.config.mjs)", () => {
  beforeAll(() => {
    eslint = new ESLint({ cwd: ROOT });
  });

  it("only server/socket-io.ts imports socket.io", async () => {
    const code = 'import { Server } from "socket.io";\nexport const s = Server;\n';
    expect(await problems("server/socket-io.ts", code)).toEqual([]);
    for (const path of [
      "server/hub.ts",
      "server/db/replays.ts",
      "tests/server/x.test.ts",
      "app/x.tsx",
    ]) {
      expect((await problems(path, code)).join(), path).toMatch(
        /Only server\/socket-io\.ts imports socket\.io/,
      );
    }
  });

  it("lib/ imports no Node module, database, server/ or app/", async () => {
    const cases: [string, RegExp][] = [
      ['import { readFile } from "node:fs/promises";', /must not import Node modules/],
      ['import pg from "pg";', /must not touch a database/],
      ['import { saveRound } from "../server/db";', /never imports server\//],
      ['import { getReplay } from "../../server/db/replays";', /never imports server\//],
      [
        'import { ReplayViewer } from "../../app/components/replay-viewer";',
        /never imports server\/.*or app\//,
      ],
      ['import { Server } from "socket.io";', /no UI, framework or network/],
    ];
    for (const [line, message] of cases) {
      expect(
        (await problems("lib/game/x.ts", `${line}\nexport const x = 1;\n`)).join(),
        line,
      ).toMatch(message);
    }
    expect(
      await problems(
        "lib/game/x.ts",
        'import { replayRound } from "./replay";\nexport const x = replayRound;\n',
      ),
    ).toEqual([]);
  });

  it("app/ imports from server/ only the data layer's page functions (listed)", async () => {
    for (const name of ["leaderboards", "replays", "shared", "inputs"]) {
      const line = `import * as m from "../../server/db/${name}";\nexport const x = m;\n`;
      expect(await problems("app/replays/page.tsx", line), name).toEqual([]);
    }
    for (const name of [
      "../../server/db",
      "../../server/db/database",
      "../../server/db/save-round",
      "../../server/room",
      "../../server/hub",
      "../../server",
    ]) {
      const line = `import * as m from "${name}";\nexport const x = m;\n`;
      expect((await problems("app/replays/page.tsx", line)).join(), name).toMatch(
        /app\/ imports from server\/ only the data layer's page functions: server\/db\/leaderboards, server\/db\/replays, server\/db\/shared, server\/db\/inputs/,
      );
    }
  });

  it("lib/ computes with lib/math, not the engine's Math functions or ** (R16)", async () => {
    expect((await problems("lib/surfaces/x.ts", "export const y = Math.exp(2);\n")).join()).toMatch(
      /use lib\/math/,
    );
    expect(
      (await problems("lib/surfaces/x.ts", "export const y = (n: number) => n ** 2;\n")).join(),
    ).toMatch(/use pow from lib\/math/);
    expect(
      await problems("lib/surfaces/x.ts", "export const y = Math.sqrt(2) + Math.abs(-1);\n"),
    ).toEqual([]);
    expect(await problems("lib/surfaces/x.test.ts", "export const y = Math.exp(2);\n")).toEqual([]);
  });
});
