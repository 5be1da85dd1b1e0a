import { gzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";

/**
 * Browser benchmark (prints numbers, asserts no duration):
 *  1. first-load JavaScript of /room/[code], gzip, as the browser downloads it;
 *  2. the reveal's 256×256 contour map: time to compute the levels, contour with d3-contour and
 *     fill the canvas, read from the canvas's data-draw-ms after each draw (resizing the window
 *     redraws it), on several surfaces.
 */

test("first-load JS of /room/[code]", async ({ page }) => {
  const scripts = new Map<string, number>();
  page.on("response", async (response) => {
    if (response.request().resourceType() !== "script") return;
    try {
      const body = await response.body();
      scripts.set(response.url(), gzipSync(body, { level: 9 }).length);
    } catch {
      // redirected or aborted
    }
  });
  await page.goto("/room/ZZZZZZ", { waitUntil: "networkidle" });
  await page.waitForTimeout(500);
  const total = [...scripts.values()].reduce((a, b) => a + b, 0);
  console.log(
    `/room/[code] first-load JS: ${scripts.size} scripts, ${(total / 1024).toFixed(1)} kB gzip`,
  );
  for (const [url, size] of [...scripts].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${(size / 1024).toFixed(1).padStart(6)} kB  ${new URL(url).pathname}`);
  }
});

async function soloReveal(page: Page, surface: string): Promise<void> {
  await page.goto("/");
  await page.getByLabel("Your nickname").fill("Bench");
  await page.getByTestId("play-solo").click();
  await expect(page.getByTestId("lobby")).toBeVisible();
  const turns = page.getByTestId("setting-turns");
  await turns.fill("1");
  await turns.blur();
  await page.getByTestId("setting-surface").selectOption(surface);
  await expect(page.getByTestId("setting-surface")).toHaveValue(surface);
  await page.getByTestId("start-round").click();
  await page.getByTestId("submit-move").click();
  await expect(page.getByTestId("contour-canvas")).toHaveAttribute("data-draw-ms", /\d/);
}

test("256×256 contour reveal draw time", async ({ page }) => {
  const surfaces = [
    "catalog:himmelblau",
    "catalog:rosenbrock",
    "catalog:goldstein-price",
    "catalog:rastrigin",
    "catalog:ackley",
    "procedural:expert",
  ];
  const widths = [840, 820, 800, 780, 760, 740, 720, 700];
  const all: number[] = [];
  for (const surface of surfaces) {
    await soloReveal(page, surface);
    const canvas = page.getByTestId("contour-canvas");
    const samples: number[] = [];
    samples.push(Number(await canvas.getAttribute("data-draw-ms")));
    for (const width of widths) {
      const before = await canvas.getAttribute("data-draw-ms");
      await page.setViewportSize({ width, height: 800 });
      await page
        .waitForFunction(
          (prev) =>
            document.querySelector("[data-testid=contour-canvas]")?.getAttribute("data-draw-ms") !==
            prev,
          before,
          { timeout: 2000 },
        )
        .catch(() => undefined);
      samples.push(Number(await canvas.getAttribute("data-draw-ms")));
    }
    const size = await canvas.evaluate((c: HTMLCanvasElement) => `${c.width}×${c.height}px`);
    samples.sort((a, b) => a - b);
    all.push(...samples);
    console.log(
      `${surface.padEnd(24)} median ${samples[Math.floor(samples.length / 2)]!.toFixed(1)} ms, max ${samples[samples.length - 1]!.toFixed(1)} ms (${samples.length} draws, canvas ${size})`,
    );
  }
  all.sort((a, b) => a - b);
  console.log(
    `all surfaces: median ${all[Math.floor(all.length / 2)]!.toFixed(1)} ms, p90 ${all[Math.floor(all.length * 0.9)]!.toFixed(1)} ms, max ${all[all.length - 1]!.toFixed(1)} ms`,
  );
});
