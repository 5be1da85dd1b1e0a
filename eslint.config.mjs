import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const noFocusedTests = [
  { object: "describe", property: "only", message: "Remove .only before committing." },
  { object: "it", property: "only", message: "Remove .only before committing." },
  { object: "test", property: "only", message: "Remove .only before committing." },
];

/** Math functions whose results ECMAScript leaves to each engine (they differ in the last bit). */
const engineMath = [
  "acos",
  "acosh",
  "asin",
  "asinh",
  "atan",
  "atanh",
  "atan2",
  "cbrt",
  "cos",
  "cosh",
  "exp",
  "expm1",
  "hypot",
  "log",
  "log1p",
  "log10",
  "log2",
  "pow",
  "sin",
  "sinh",
  "tan",
  "tanh",
].map((property) => ({
  object: "Math",
  property,
  message:
    "Engines differ in the last bit: use lib/math (the same bits on the server and in the browser, R16).",
}));

/** The Socket.IO server package: only server/socket-io.ts (the transport adapter) imports it. */
const socketIoServer = {
  group: ["socket.io", "socket.io/*"],
  message: "Only server/socket-io.ts imports socket.io: the transport stays in one module.",
};

/**
 * What app/ may import from server/: the data layer's page functions, which the leaderboard and
 * replay pages call on the server (and nothing else: rules, rooms and sockets stay out of app/).
 */
const APP_SERVER_MODULES = [
  "server/db/leaderboards", // leaderboard, competitionChoices
  "server/db/replays", // listReplays, getReplay
  "server/db/shared", // sharedDatabase
  "server/db/inputs", // DataError, the query-string schemas
  "server/db/challenges", // getChallenge, challengeLeaderboard (the /c/<id> page)
  "server/db/daily", // dailyLeaderboard (the /daily page)
  "server/db/saved-surfaces", // listSavedSurfaces, savedNamesOf (the /surfaces library, F15)
  "server/formula-shared", // the analysis thread's registry (types only; the replay page, F7)
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    ".next-*/**",
    "node_modules/**",
    "data/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
    "server/db/generated/**",
  ]),
  {
    rules: {
      "no-restricted-properties": ["error", ...noFocusedTests],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    ignores: ["server/socket-io.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [socketIoServer] }] },
  },
  {
    // app/ renders and collects input; outcomes are decided by lib/ and server/.
    files: ["app/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            socketIoServer,
            {
              // Any path through a server/ folder, except the modules above.
              regex: `^(?!(.*/)?(${APP_SERVER_MODULES.join("|")})$).*(^|/)server(/|$)`,
              message: `app/ imports from server/ only the data layer's page functions: ${APP_SERVER_MODULES.join(", ")}.`,
            },
          ],
        },
      ],
    },
  },
  {
    // lib/ is shared by the browser and the server: pure TypeScript, no I/O, no ambient randomness.
    files: ["lib/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["node:*"], message: "lib/ must not import Node modules." },
            {
              group: ["react", "react-dom", "next", "next/*", "socket.io", "socket.io-client"],
              message: "lib/ is pure: no UI, framework or network imports.",
            },
            {
              group: ["@prisma/*", "pg", "@electric-sql/*"],
              message: "lib/ must not touch a database.",
            },
            {
              group: ["**/server", "**/server/**", "**/app", "**/app/**"],
              message:
                "lib/ is pure: it never imports server/ (effects, the database) or app/ (UI).",
            },
          ],
        },
      ],
      "no-restricted-properties": [
        "error",
        ...noFocusedTests,
        { object: "Math", property: "random", message: "Use lib/random (seeded) in lib/." },
        {
          object: "Date",
          property: "now",
          message: "The clock is passed in; lib/ never reads it.",
        },
        ...engineMath,
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "BinaryExpression[operator='**'], AssignmentExpression[operator='**=']",
          message: "Engines differ in the last bit: use pow from lib/math (R16).",
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "window", message: "lib/ runs in Node too." },
        { name: "document", message: "lib/ runs in Node too." },
        { name: "process", message: "lib/ runs in the browser too." },
      ],
    },
  },
  {
    // Tests compare lib/math with the engine's Math and write expected values with it.
    files: ["lib/**/*.test.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        ...noFocusedTests,
        { object: "Math", property: "random", message: "Use lib/random (seeded) in lib/." },
        {
          object: "Date",
          property: "now",
          message: "The clock is passed in; lib/ never reads it.",
        },
      ],
      "no-restricted-syntax": "off",
    },
  },
]);
