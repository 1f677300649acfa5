// Browser test of the HTML report: writes a report of a fixture with the real jar, opens it from file:// in
// Debian's Chromium, and checks the ranked table, the call tree's on-demand expansion, the import-phase
// toggle, the module filter and the CDF plots. Screenshots go to test-artifacts/report/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const repo = resolve(import.meta.dirname, "../..");
const jar = join(repo, "server/target/coldspy.jar");
const artifacts = join(repo, "test-artifacts/report");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const app = "rules_engine";
let browser;
let page;
let reportPath;

function expected() {
  return JSON.parse(readFileSync(join(repo, "fixtures/apps", app, "expected-findings.json"), "utf8"));
}

before(async () => {
  assert.ok(existsSync(jar), `${jar} is missing: build it first (mvn -q package -DskipTests)`);
  mkdirSync(artifacts, { recursive: true });
  reportPath = join(mkdtempSync(join(tmpdir(), "coldspy-report-")), "report.html");
  execFileSync("java", ["-jar", jar, "report", "--profile", join(repo, "fixtures/profiles", `${app}.json`),
    "--compare", join(repo, "fixtures/profiles", `${app}.json`), join(repo, "fixtures/apps", app), "-o", reportPath],
  { stdio: "inherit" });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const requests = [];
  page.on("request", (request) => { if (!request.url().startsWith("file://")) requests.push(request.url()); });
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto("file://" + reportPath);
  await page.waitForSelector("#imports-table tbody tr");
  assert.deepEqual(errors, [], "the page ran without script errors");
  assert.deepEqual(requests, [], "the page fetched nothing");
});

after(async () => {
  if (browser) await browser.close();
});

test("the ranked table's first row is the fixture's top expected finding", async () => {
  const first = await page.locator("#imports-table tbody tr").first().locator("td").allInnerTexts();
  const wanted = expected().map((e) => `${e.file}:${e.line}`);
  assert.equal(first[0], "1");
  assert.ok(wanted.includes(first[1]), `first row ${first[1]} is one of ${wanted.join(", ")}`);
  assert.match(first[3], /^CS10\d /);
  await page.screenshot({ path: join(artifacts, "imports.png"), fullPage: true });
});

test("the filter narrows the table and sorting by cost orders it", async () => {
  const filter = page.locator("#imports-filter");
  await filter.fill("policyuniverse");
  const rows = await page.locator("#imports-table tbody tr").count();
  assert.ok(rows >= 1, "the policyuniverse import is listed");
  for (const text of await page.locator("#imports-table tbody tr").allInnerTexts()) {
    assert.match(text.toLowerCase(), /policyuniverse/);
  }
  await filter.fill("");
  await page.locator("#imports-table th", { hasText: "Cost" }).click(); // numeric columns sort descending first
  const costs = await page.locator("#imports-table tbody tr td:nth-child(6)").allInnerTexts();
  const ms = costs.map((c) => (c.endsWith(" s") ? parseFloat(c) * 1000 : parseFloat(c)));
  assert.deepEqual(ms, [...ms].sort((a, b) => b - a));
});

test("the call tree starts collapsed, expands on demand and follows the import toggle", async () => {
  await page.locator("#tabs button[data-tab=calltree]").click();
  await page.waitForSelector("#cct .node");
  assert.equal(await page.locator("#cct .node").count(), 1, "only the root is drawn at first");
  const rootCount = async () => Number((await page.locator("#cct .node").first().locator(".count").innerText()).replace(/,/g, ""));
  const execution = await rootCount();
  await page.locator("#cct .node").first().locator(".toggle").click();
  assert.ok(await page.locator("#cct .node").count() > 1, "expanding the root shows its children");
  await page.locator("input[name=cct-phase][value=import]").check();
  const importOnly = await rootCount();
  await page.locator("input[name=cct-phase][value=all]").check();
  const all = await rootCount();
  assert.equal(all, execution + importOnly, "all samples = execution + import samples");
  assert.ok(importOnly > 0, "the fixture has import-phase samples");
  await page.screenshot({ path: join(artifacts, "calltree.png"), fullPage: true });
});

test("the module filter keeps only paths through the module", async () => {
  await page.locator("input[name=cct-phase][value=all]").check();
  await page.locator("#cct-module").fill("policyuniverse");
  await page.locator("#cct-module").press("Enter");
  await page.locator("#cct-module").dispatchEvent("change");
  const filtered = Number((await page.locator("#cct .node").first().locator(".count").innerText()).replace(/,/g, ""));
  await page.locator("#cct-module").fill("");
  await page.locator("#cct-module").dispatchEvent("change");
  const unfiltered = Number((await page.locator("#cct .node").first().locator(".count").innerText()).replace(/,/g, ""));
  assert.ok(filtered > 0 && filtered < unfiltered, `policyuniverse samples ${filtered} of ${unfiltered}`);
});

test("the waterfall, the module tree and the CDF plots are drawn", async () => {
  await page.locator("#tabs button[data-tab=waterfall]").click();
  assert.ok(await page.locator("#icicle .ice").count() > 10);
  await page.screenshot({ path: join(artifacts, "waterfall.png"), fullPage: true });
  await page.locator("#tabs button[data-tab=packages]").click();
  const top = page.locator("#package-tree .node").first();
  await top.locator(".toggle").click();
  assert.ok(await page.locator("#package-tree .node").count() > 1);
  await page.locator("#tabs button[data-tab=latency]").click();
  assert.equal(await page.locator("#cdfs svg.cdf").count(), 3);
  assert.equal(await page.locator("#cdfs path[data-series=before]").count(), 3, "--compare draws the before series");
  await page.screenshot({ path: join(artifacts, "latency.png"), fullPage: true });
});
