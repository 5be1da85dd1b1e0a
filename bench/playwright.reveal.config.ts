import { defineConfig } from "@playwright/test";
import base from "../playwright.config";

/**
 * The browser benchmark of the reveal (bench/reveal.bench.ts): same Chromium and production
 * server as the e2e tests, laptop viewport only. Run: npx playwright test -c bench/playwright.reveal.config.ts
 */
export default defineConfig({
  ...base,
  testDir: ".",
  testMatch: "reveal.bench.ts",
  outputDir: "../test-results/bench",
  reporter: [["list"]],
  timeout: 180_000,
  webServer:
    base.webServer && !Array.isArray(base.webServer)
      ? { ...base.webServer, cwd: ".." }
      : base.webServer,
  projects: base.projects?.filter((p) => p.name === "laptop"),
});
