import { loadavg } from "node:os";
import { gzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { ascending, percentile } from "./stats";

/**
 * Browser benchmark (prints numbers, asserts no duration):
 *  1. first-load JavaScript of /room/[code], gzip, as the browser downloads it;
 *  2. the reveal's 256×256 contour map: the first draw, from the sampled grid to pixels (levels,
 *     d3-contour, paths, painting; and separately the same plus the page's layout in between), read from the canvas's data-first-draw-ms on cold page loads
 *     (the reveal, then reloads of it) on several surfaces; then redraws after resizes, which
 *     only repaint.
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
  // Draws wait for their pixels (a 1-pixel read-back), so painting is timed, not just recorded.
  await page.evaluate(() => window.localStorage.setItem("blind-descent:measure", "1"));
  await page.getByLabel("Your nickname").fill("Bench");
  await page.getByTestId("solo-settings").click();
  await expect(page.getByTestId("lobby")).toBeVisible();
  const turns = page.getByTestId("setting-turns");
  await turns.fill("1");
  await turns.blur();
  await page.getByTestId("setting-surface").selectOption(surface);
  await expect(page.getByTestId("setting-surface")).toHaveValue(surface);
  await page.getByTestId("start-round").click();
  await expect(page.getByTestId("submit-move")).toBeEnabled();
  await page.waitForTimeout(2000); // a player looks at the map before stepping
  await page.getByTestId("submit-move").click();
  await expect(page.getByTestId("contour-canvas")).toHaveAttribute("data-first-draw-ms", /\d/);
}

/** Median and 95th percentile (nearest rank) of a sample. */
function stats(values: readonly number[]): string {
  const v = ascending(values);
  const at = (q: number) => percentile(v, 100 * q);
  return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${v[v.length - 1]!.toFixed(1)} ms (n = ${v.length})`;
}

/** The canvas's timings once it has drawn: first draw and its parts. */
async function readTimings(page: Page) {
  const canvas = page.getByTestId("contour-canvas");
  await expect(canvas).toHaveAttribute("data-first-draw-ms", /\d/);
  return canvas.evaluate((c: HTMLCanvasElement) => ({
    first: Number(c.dataset.firstDrawMs),
    frame: Number(c.dataset.firstFrameMs),
    levels: Number(c.dataset.levelsMs),
    contour: Number(c.dataset.contourMs),
    paint: Number(c.dataset.paintMs),
    size: `${c.width}×${c.height}px`,
  }));
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
  // The first draw right after playing the round, then after reloads of the revealed page (a
  // cold page: the reveal's chunk is parsed and d3-contour runs for the first time).
  const reloads = 3;
  const widths = [840, 800, 760, 720];
  const first: number[] = [];
  const afterPlay: number[] = [];
  const afterReload: number[] = [];
  const frames: number[] = [];
  const parts = {
    levels: [] as number[],
    contour: [] as number[],
    paint: [] as number[],
  };
  const redraws: number[] = [];
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  for (const surface of surfaces) {
    await page.setViewportSize({ width: 1280, height: 720 });
    await soloReveal(page, surface);
    const mine: number[] = [];
    let size = "";
    for (let r = 0; r <= reloads; r++) {
      if (r > 0) await page.reload();
      const t = await readTimings(page);
      mine.push(t.first);
      first.push(t.first);
      (r === 0 ? afterPlay : afterReload).push(t.first);
      frames.push(t.frame);
      parts.levels.push(t.levels);
      parts.contour.push(t.contour);
      parts.paint.push(t.paint);
      size = t.size;
    }
    const canvas = page.getByTestId("contour-canvas");
    for (const width of widths) {
      const before = await canvas.getAttribute("data-draws");
      await page.setViewportSize({ width, height: 800 });
      await page
        .waitForFunction(
          (prev) =>
            document.querySelector("[data-testid=contour-canvas]")?.getAttribute("data-draws") !==
            prev,
          before,
          { timeout: 2000 },
        )
        .catch(() => undefined);
      redraws.push(Number(await canvas.getAttribute("data-draw-ms")));
    }
    console.log(`${surface.padEnd(24)} first draw ${stats(mine)}, canvas ${size}`);
  }
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(`first draw, all surfaces (grid → pixels): ${stats(first)}`);
  console.log(`  right after playing a round:     ${stats(afterPlay)}`);
  console.log(`  after reloading the reveal:      ${stats(afterReload)}`);
  console.log(`  levels (quantiles):              ${stats(parts.levels)}`);
  console.log(`  d3-contour + paths:              ${stats(parts.contour)}`);
  console.log(`  painting the canvas:             ${stats(parts.paint)}`);
  console.log(`grid → painted map incl. the page's layout in between: ${stats(frames)}`);
  console.log(`redraw after a resize (paint only): ${stats(redraws)}`);
});
