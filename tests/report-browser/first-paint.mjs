// Prints the first-contentful-paint time (ms) of each HTML file given, opened from file:// in Debian's
// Chromium: the report benchmark's "time to first paint" (scripts/bench/report_bench.py).
import { chromium } from "playwright-core";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  for (const file of process.argv.slice(2)) {
    const page = await browser.newPage();
    await page.goto("file://" + file, { waitUntil: "load" });
    await page.waitForSelector("#imports-table tbody tr");
    const paint = await page.evaluate(() =>
      performance.getEntriesByType("paint").find((entry) => entry.name === "first-contentful-paint")?.startTime ?? -1);
    console.log(JSON.stringify({ file, firstContentfulPaintMs: Math.round(paint) }));
    await page.close();
  }
} finally {
  await browser.close();
}
